import {
	type CachedFingerprint,
	type ChangeDecision,
	detectChange,
	fingerprint,
	type IncomingFingerprint,
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
		['an item the cache has never seen is new', incoming(), undefined, { change: 'new', reason: 'not_in_cache' }],
		[
			'an item that reappears after its deletion was recorded is new',
			incoming(),
			cached({ deleted: true }),
			{ change: 'new', reason: 'restored_after_deletion' },
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
			{ change: 'changed', reason: 'content_changed' },
		],
		[
			'a content hash on one side only falls back to the metadata',
			incoming({ content_hash: 'sha-2' }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'a cached content hash does not hide a new version listed without one',
			incoming({ version: '8' }),
			cached({ content_hash: 'sha-1' }),
			{ change: 'changed', reason: 'version_changed' },
		],
		['a different version is changed', incoming({ version: '8' }), cached(), { change: 'changed', reason: 'version_changed' }],
		['a different checksum is changed', incoming({ hash: 'md5-b' }), cached(), { change: 'changed', reason: 'hash_changed' }],
		[
			'a different modified_at is changed',
			incoming({ modified_at: '2025-01-01T10:01:00.000Z' }),
			cached(),
			{ change: 'changed', reason: 'modified_at_changed' },
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
			incoming({ version: null, modified_at: '2025-06-01T00:00:00.000Z' }),
			cached(),
			{ change: 'changed', reason: 'modified_at_changed' },
		],
		[
			'with no field comparable on both sides the item is re-ingested as changed',
			incoming({ version: null, hash: null, modified_at: '2025-01-01T10:00:00.000Z' }),
			cached({ modified_at: null }),
			{ change: 'changed', reason: 'no_comparable_fields' },
		],
		[
			'empty strings count as missing',
			incoming({ version: '', hash: '', modified_at: '' }),
			cached(),
			{ change: 'changed', reason: 'no_comparable_fields' },
		],
		[
			'a numeric version from a Code node compares with the cached text',
			incoming({ version: 7 as unknown as string }),
			cached(),
			{ change: 'unchanged', reason: 'same_version' },
		],
		[
			'an unparsable modified_at compares as text',
			incoming({ modified_at: 'yesterday' }),
			cached({ modified_at: 'today' }),
			{ change: 'changed', reason: 'modified_at_changed' },
		],
	];

	it.each(cases)('%s', (_name, item, row, expected) => {
		expect(detectChange(item, row)).toEqual(expected);
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
