import type { CursorStore } from '../../../lib/store';
import { readSnapshot, writeSnapshot } from '../../../lib/sync/snapshots';
import { FAKE_PROVIDER } from './fakeProvider';

const SOURCE_KEY = 'fake:alice@example.com:root';

/** The provider-state half of a cursor store, in memory. */
function memoryCursors(initial: string | null = null): CursorStore & { raw(): string | null } {
	let state = initial;
	return {
		raw: () => state,
		committed: async () => null,
		propose: async () => undefined,
		providerState: async () => state,
		updateProviderState: async (_sourceKey, _provider, update) => {
			state = update(state);
		},
	};
}

const document = (snapshots: Record<string, unknown>) => JSON.stringify({ v: 1, snapshots });
const ids = (cursors: { raw(): string | null }) => Object.keys((JSON.parse(cursors.raw() ?? '{}') as { snapshots: object }).snapshots);

describe('snapshots', () => {
	it('reads the snapshot a cursor names', async () => {
		const cursors = memoryCursors(document({ 3: { known: ['a'] }, 4: { known: ['a', 'b'] } }));
		expect(await readSnapshot(cursors, SOURCE_KEY, '3')).toEqual({ known: ['a'] });
	});

	it.each([
		['no state', null],
		['a state without that snapshot', document({ 4: {} })],
		['a state that is not JSON', '{"v":1,'],
		['a state of another version', JSON.stringify({ v: 2, snapshots: { 3: {} } })],
	])('reads no snapshot from %s', async (_case, raw) => {
		expect(await readSnapshot(memoryCursors(raw), SOURCE_KEY, '3')).toBeNull();
	});

	it('keeps the committed snapshot and the 7 newest proposals beside the one written, dropping those older than the committed', async () => {
		const snapshots: Record<string, unknown> = {};
		for (let run = 1; run <= 12; run++) snapshots[run] = { run };
		const cursors = memoryCursors(document(snapshots));

		await writeSnapshot(cursors, FAKE_PROVIDER, SOURCE_KEY, '13', { run: 13 }, '3');

		expect(ids(cursors)).toEqual(['3', '6', '7', '8', '9', '10', '11', '12', '13']);
		expect(await readSnapshot(cursors, SOURCE_KEY, '3')).toEqual({ run: 3 });
		expect(await readSnapshot(cursors, SOURCE_KEY, '13')).toEqual({ run: 13 });
	});

	it('keeps the newest proposals when no cursor has been committed yet', async () => {
		const cursors = memoryCursors(document({ 1: {}, 2: {} }));
		await writeSnapshot(cursors, FAKE_PROVIDER, SOURCE_KEY, '3', {}, null);
		expect(ids(cursors)).toEqual(['1', '2', '3']);
	});

	it('starts a fresh state over one it cannot read', async () => {
		const cursors = memoryCursors('not json');
		await writeSnapshot(cursors, FAKE_PROVIDER, SOURCE_KEY, '5', { known: [] }, '4');
		expect(JSON.parse(cursors.raw() ?? '')).toEqual({ v: 1, snapshots: { 5: { known: [] } } });
	});
});
