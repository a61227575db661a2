import {
	type CachedFingerprint,
	type ChangeDecision,
	claimFingerprint,
	detectChange,
	fingerprint,
	type IncomingFingerprint,
	permissionsKey,
} from '../../../lib/store/changeDetection';

const cached = (overrides: Partial<CachedFingerprint> = {}): CachedFingerprint => ({
	version: '7',
	hash: 'md5-a',
	modified_at: '2025-01-01T10:00:00.000Z',
	content_hash: null,
	deleted: false,
	...overrides,
});

const incoming = (overrides: Partial<IncomingFingerprint> = {}): IncomingFingerprint => ({
	change: 'upsert',
	version: '7',
	hash: 'md5-a',
	modified_at: '2025-01-01T10:00:00.000Z',
	...overrides,
});

describe('detectChange', () => {
	const cases: Array<[string, IncomingFingerprint, CachedFingerprint | undefined, ChangeDecision]> = [
		['an item the cache has never seen is new', incoming(), undefined, { change: 'new', reason: 'not_in_cache', contentChanged: true, changedFields: [] }],
		[
			'an item that reappears after its deletion was recorded is new',
			incoming(),
			cached({ deleted: true }),
			{ change: 'new', reason: 'restored_after_deletion', contentChanged: true, changedFields: [] },
		],
		[
			'a deletion of a known, live item is deleted',
			incoming({ change: 'deleted' }),
			cached(),
			{ change: 'deleted', reason: 'deleted_upstream' },
		],
		[
			'a deletion of an item the cache never saw has nothing to delete',
			incoming({ change: 'deleted' }),
			undefined,
			{ change: 'unchanged', reason: 'nothing_to_delete' },
		],
		[
			'a deletion of an item already recorded as deleted is unchanged',
			incoming({ change: 'deleted' }),
			cached({ deleted: true }),
			{ change: 'unchanged', reason: 'already_deleted' },
		],
		[
			'equal content hashes are unchanged even when version, name and modified_at moved',
			incoming({ content_hash: 'sha-1', version: '8', modified_at: '2025-02-01T00:00:00.000Z' }),
			cached({ content_hash: 'sha-1' }),
			{ change: 'unchanged', reason: 'same_content' },
		],
		[
			'different content hashes are changed even when modified_at is equal at minute precision',
			incoming({ content_hash: 'sha-2', version: '2025-01-01T10:00:00.000Z', modified_at: '2025-01-01T10:00:00.000Z' }),
			cached({ content_hash: 'sha-1', version: '2025-01-01T10:00:00.000Z' }),
			{ change: 'changed', reason: 'content_changed', contentChanged: true, changedFields: [] },
		],
		[
			'a content hash on one side only falls back to the metadata',
			incoming({ content_hash: 'sha-2' }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'a cached content hash does not hide a new checksum listed without one',
			incoming({ version: '8', hash: 'md5-b' }),
			cached({ content_hash: 'sha-1' }),
			{ change: 'changed', reason: 'hash_changed', contentChanged: true, changedFields: [] },
		],
		[
			'a new version with the same checksum and time is the same content (Drive bumps the version on a rename)',
			incoming({ version: '8' }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'a checksum decides over the time: bytes saved again unchanged are the same content',
			incoming({ version: '8', modified_at: '2025-03-01T00:00:00.000Z' }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'the version decides when neither checksum nor time is comparable',
			incoming({ version: '8', hash: null, modified_at: null }),
			cached(),
			{ change: 'changed', reason: 'version_changed', contentChanged: true, changedFields: [] },
		],
		['a different checksum is changed', incoming({ hash: 'md5-b' }), cached(), { change: 'changed', reason: 'hash_changed', contentChanged: true, changedFields: [] }],
		[
			'a different modified_at is changed when there is no checksum (a Google Doc, a Notion page)',
			incoming({ hash: null, modified_at: '2025-01-01T10:01:00.000Z' }),
			cached(),
			{ change: 'changed', reason: 'modified_at_changed', contentChanged: true, changedFields: [] },
		],
		[
			'the same instant written with or without milliseconds is unchanged',
			incoming({ modified_at: '2025-01-01T10:00:00Z' }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		['identical metadata is unchanged', incoming(), cached(), { change: 'unchanged', reason: 'same_version' }],
		[
			'a field missing on one side is not compared',
			incoming({ version: null, hash: null }),
			cached({ modified_at: '2025-01-01T10:00:00.000Z' }),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'a field missing on one side does not hide a difference in another',
			incoming({ version: null, hash: null, modified_at: '2025-06-01T00:00:00.000Z' }),
			cached(),
			{ change: 'changed', reason: 'modified_at_changed', contentChanged: true, changedFields: [] },
		],
		[
			'with no field comparable on both sides the item is re-ingested as changed',
			incoming({ version: null, hash: null, modified_at: '2025-01-01T10:00:00.000Z' }),
			cached({ modified_at: null }),
			{ change: 'changed', reason: 'no_comparable_fields', contentChanged: true, changedFields: [] },
		],
		[
			'empty strings count as missing',
			incoming({ version: '', hash: '', modified_at: '' }),
			cached(),
			{ change: 'changed', reason: 'no_comparable_fields', contentChanged: true, changedFields: [] },
		],
		[
			'a numeric version from a Code node compares with the cached text',
			incoming({ version: 7 as unknown as string }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'an unparsable modified_at compares as text',
			incoming({ hash: null, modified_at: 'yesterday' }),
			cached({ modified_at: 'today' }),
			{ change: 'changed', reason: 'modified_at_changed', contentChanged: true, changedFields: [] },
		],
	];

	it.each(cases)('%s', (_name, item, row, expected) => {
		expect(detectChange(item, row)).toEqual(expected);
	});
});

describe('detectChange on metadata', () => {
	const known = cached({ name: 'a.txt', path: '/docs/a.txt', permissions: permissionsKey([{ type: 'user', email: 'a@example.com', role: 'reader' }]) });
	const same = { name: 'a.txt', path: '/docs/a.txt', permissions: [{ type: 'user', email: 'a@example.com', role: 'reader' }] };

	it('finds the same content, name, path and permissions unchanged', () => {
		expect(detectChange(incoming(same), known)).toEqual({ change: 'unchanged', reason: 'same_version' });
	});

	it('routes a rename to Changed without a content change', () => {
		expect(detectChange(incoming({ ...same, version: '8', name: 'b.txt', path: '/docs/b.txt' }), known)).toEqual({
			change: 'changed',
			reason: 'metadata_changed',
			contentChanged: false,
			changedFields: ['name', 'path'],
		});
	});

	it('routes a renamed parent folder (same version, new path) to Changed without a content change', () => {
		expect(detectChange(incoming({ ...same, path: '/handbook/a.txt' }), known)).toMatchObject({ contentChanged: false, changedFields: ['path'] });
	});

	it('routes new sharing to Changed without a content change, whatever order the permissions come in', () => {
		const shared = [{ role: 'writer', type: 'domain', domain: 'example.com' }, ...same.permissions];
		expect(detectChange(incoming({ ...same, permissions: shared }), known)).toMatchObject({ changedFields: ['permissions'], contentChanged: false });
		expect(detectChange(incoming({ ...same, permissions: [...shared].reverse() }), cached({ ...known, permissions: permissionsKey(shared) }))).toEqual({
			change: 'unchanged',
			reason: 'same_version',
		});
	});

	it('says nothing of permissions an item does not carry (listed with permissions switched off)', () => {
		expect(detectChange(incoming({ name: 'a.txt', path: '/docs/a.txt' }), known)).toEqual({ change: 'unchanged', reason: 'same_version' });
	});

	it('counts permissions never recorded as changed, so the index learns them once', () => {
		expect(detectChange(incoming(same), cached({ name: 'a.txt', path: '/docs/a.txt', permissions: null }))).toMatchObject({
			changedFields: ['permissions'],
			contentChanged: false,
		});
	});

	it('lists the metadata that moved with a content change too', () => {
		expect(detectChange(incoming({ ...same, hash: 'md5-b', name: 'b.txt' }), known)).toEqual({
			change: 'changed',
			reason: 'hash_changed',
			contentChanged: true,
			changedFields: ['name'],
		});
	});
});

describe('claimFingerprint', () => {
	it('tells a metadata-only change apart from the version already committed', () => {
		expect(claimFingerprint(incoming({ path: '/b/a.txt' }))).not.toBe(claimFingerprint(incoming({ path: '/a/a.txt' })));
		expect(claimFingerprint(incoming({ permissions: [{ type: 'anyone', role: 'reader' }] }))).not.toBe(claimFingerprint(incoming()));
	});

	it('is the same for the same permissions in another order', () => {
		const one = { type: 'user', email: 'a@example.com', role: 'reader' };
		const two = { type: 'anyone', role: 'reader', with_link: true };
		expect(claimFingerprint(incoming({ permissions: [one, two] }))).toBe(claimFingerprint(incoming({ permissions: [two, one] })));
	});
});

describe('fingerprint', () => {
	it('is the same for the same version listed twice', () => {
		expect(fingerprint(incoming())).toBe(fingerprint({ ...incoming() }));
	});

	it.each([
		['version', { version: '8' }],
		['hash', { hash: 'md5-b' }],
		['modified_at', { modified_at: '2025-01-02T00:00:00.000Z' }],
		['content_hash', { content_hash: 'sha-9' }],
		['deletion', { change: 'deleted' as const }],
	])('differs when the %s differs', (_field, overrides) => {
		expect(fingerprint(incoming(overrides))).not.toBe(fingerprint(incoming()));
	});

	it('ignores what check sets on the way out, such as new or changed', () => {
		expect(fingerprint(incoming({ change: 'new' }))).toBe(fingerprint(incoming({ change: 'changed' })));
	});
});
