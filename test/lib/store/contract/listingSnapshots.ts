import type { ConnectorStore, OwedItem, SnapshotEntry, SnapshotWrite } from '../../../../lib/store';
import { OTHER_SOURCE, SOURCE } from '../helpers';
import type { StoreContract } from './support';

/** An owed item whose order key is its one byte `rank`, so tests say the order they expect. */
const owed = (id: string, rank: number, item = `{"id":"${id}"}`): OwedItem => ({ id, order: Uint8Array.of(rank), item });
const entry = (field: string, key: string, value = `"${key}"`): SnapshotEntry => ({ field, key, value });

function snapshotWrite(snapshot: number, overrides: Partial<SnapshotWrite> = {}): SnapshotWrite {
	return { snapshot, base: null, state: '{"rootId":"root","files":{}}', entries: [], removed: [], owed: [], settled: [], committed: null, keptProposals: 8, ...overrides };
}

async function entriesOf(store: ConnectorStore, snapshot: number, sourceKey = SOURCE): Promise<{ state: string | null; entries: string[] }> {
	const entries: string[] = [];
	const state = await store.cursors.readSnapshot(sourceKey, snapshot, ({ field, key, value }) => entries.push(`${field}/${key}=${value}`));
	return { state, entries: entries.sort() };
}

const all = { skip: new Set<string>(), limit: Number.MAX_SAFE_INTEGER };

export function listingSnapshots({ open }: StoreContract): void {
	describe('listing snapshots', () => {
		it('give back their state, one entry per row and the items owed in the order of their keys', async () => {
			const store = await open();
			const written = await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, {
				entries: [entry('files', 'b'), entry('files', 'a'), entry('folders', 'f')],
				owed: [owed('late', 9), owed('early', 1), owed('middle', 5)],
			}));
			expect(written).toBe(true);
			expect(await entriesOf(store, 3)).toEqual({ state: '{"rootId":"root","files":{}}', entries: ['files/a="a"', 'files/b="b"', 'folders/f="f"'] });
			expect(await store.cursors.pendingItems(SOURCE, 3, all)).toEqual(['{"id":"early"}', '{"id":"middle"}', '{"id":"late"}']);
			expect(await store.cursors.pendingItems(SOURCE, 3, { skip: new Set(['early']), limit: 1 })).toEqual(['{"id":"middle"}']);
			expect(await store.cursors.providerState(SOURCE)).toBeNull();
		});

		it('are nothing for a snapshot or a source the store does not hold', async () => {
			const store = await open();
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, { owed: [owed('a', 1)] }));
			expect(await entriesOf(store, 4)).toEqual({ state: null, entries: [] });
			expect(await entriesOf(store, 3, OTHER_SOURCE)).toEqual({ state: null, entries: [] });
			expect(await store.cursors.pendingItems(OTHER_SOURCE, 3, all)).toEqual([]);
			expect(await store.cursors.snapshotIds(OTHER_SOURCE)).toEqual([]);
		});

		it('follow their base: its entries and owed items copied, then what changed set, removed and settled', async () => {
			const store = await open();
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, {
				entries: [entry('files', 'a'), entry('files', 'b'), entry('files', 'c')],
				owed: [owed('x', 1), owed('y', 2), owed('z', 3)],
			}));
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(4, {
				base: 3,
				state: '{"rootId":"moved","files":{}}',
				entries: [entry('files', 'b', '"renamed"'), entry('files', 'd')],
				removed: [{ field: 'files', key: 'c' }],
				owed: [owed('y', 9, '{"id":"y","version":2}'), owed('w', 4)],
				settled: ['x'],
				committed: 3,
			}));
			expect(await entriesOf(store, 4)).toEqual({ state: '{"rootId":"moved","files":{}}', entries: ['files/a="a"', 'files/b="renamed"', 'files/d="d"'] });
			expect(await store.cursors.pendingItems(SOURCE, 4, all)).toEqual(['{"id":"z"}', '{"id":"w"}', '{"id":"y","version":2}']);
			// The base is left as it was.
			expect((await entriesOf(store, 3)).entries).toEqual(['files/a="a"', 'files/b="b"', 'files/c="c"']);
			expect(await store.cursors.pendingItems(SOURCE, 3, all)).toEqual(['{"id":"x"}', '{"id":"y"}', '{"id":"z"}']);
		});

		it('are not written over a base the store no longer keeps', async () => {
			const store = await open();
			expect(await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(4, { base: 3, entries: [entry('files', 'a')] }))).toBe(false);
			expect(await store.cursors.snapshotIds(SOURCE)).toEqual([]);
		});

		it('replace a snapshot written again under the same id', async () => {
			const store = await open();
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, { entries: [entry('files', 'a')], owed: [owed('x', 1)] }));
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, { entries: [entry('files', 'b')] }));
			expect((await entriesOf(store, 3)).entries).toEqual(['files/b="b"']);
			expect(await store.cursors.pendingItems(SOURCE, 3, all)).toEqual([]);
		});

		it('keep the committed one and the newest proposals, dropping those older than the committed', async () => {
			const store = await open();
			for (const id of [1, 2, 3, 4, 5, 6]) await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(id, { owed: [owed(`item-${id}`, id)] }));
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(7, { committed: 2, keptProposals: 3 }));
			expect(await store.cursors.snapshotIds(SOURCE)).toEqual([2, 5, 6, 7]);
			expect(await store.cursors.pendingItems(SOURCE, 3, all)).toEqual([]);
			expect(await store.cursors.pendingItems(SOURCE, 2, all)).toEqual(['{"id":"item-2"}']);
		});

		it('are read whole however many rows they hold, and owed items only as far as asked', async () => {
			const store = await open();
			const files = Array.from({ length: 12_000 }, (_, index) => entry('files', `id-${String(index).padStart(5, '0')}`));
			const items = Array.from({ length: 12_000 }, (_, index) => ({ id: `owed-${index}`, order: Uint8Array.of(index >> 8, index & 255), item: String(index) }));
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, { entries: files, owed: items }));
			let read = 0;
			await store.cursors.readSnapshot(SOURCE, 3, () => read++);
			expect(read).toBe(12_000);
			expect(await store.cursors.pendingItems(SOURCE, 3, { skip: new Set(['owed-0']), limit: 3 })).toEqual(['1', '2', '3']);
			const owedAll = await store.cursors.pendingItems(SOURCE, 3, all);
			expect(owedAll).toHaveLength(12_000);
			expect(owedAll.slice(-2)).toEqual(['11998', '11999']);
		});

		it('keep the owed items staged before them, the last word on an id winning and the settled ones gone', async () => {
			const store = await open();
			expect(await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('a', 1), owed('c', 3)], { begin: true })).toBe(true);
			expect(await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('b', 2), owed('a', 7, '{"id":"a","version":2}')], { begin: false })).toBe(true);
			const written = await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(5, {
				staged: true,
				entries: [entry('files', 'a')],
				owed: [owed('d', 9)],
				settled: ['c'],
			}));
			expect(written).toBe(true);
			expect(await entriesOf(store, 5)).toEqual({ state: '{"rootId":"root","files":{}}', entries: ['files/a="a"'] });
			expect(await store.cursors.pendingItems(SOURCE, 5, all)).toEqual(['{"id":"b"}', '{"id":"a","version":2}', '{"id":"d"}']);
			expect(await store.cursors.snapshotIds(SOURCE)).toEqual([5]);
		});

		it('keep the entries staged before them, the last word on a key winning, the written entries set over them', async () => {
			const store = await open();
			expect(await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [], { begin: true, entries: [entry('files', 'a'), entry('files', 'b')] })).toBe(true);
			const again = [entry('files', 'b', '"b2"'), entry('files', 'c'), entry('files', 'c', '"c2"')];
			expect(await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('x', 1)], { begin: false, entries: again })).toBe(true);
			const written = await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(5, {
				staged: true,
				entries: [entry('files', 'a', '"a2"'), entry('folders', 'f')],
			}));
			expect(written).toBe(true);
			expect(await entriesOf(store, 5)).toEqual({
				state: '{"rootId":"root","files":{}}',
				entries: ['files/a="a2"', 'files/b="b2"', 'files/c="c2"', 'folders/f="f"'],
			});
			expect(await store.cursors.pendingItems(SOURCE, 5, all)).toEqual(['{"id":"x"}']);
		});

		it('staged afresh, drop what was staged under that id before', async () => {
			const store = await open();
			await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('a', 1)], { begin: true, entries: [entry('files', 'a')] });
			await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('b', 2)], { begin: true });
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(5, { staged: true }));
			expect(await store.cursors.pendingItems(SOURCE, 5, all)).toEqual(['{"id":"b"}']);
			expect((await entriesOf(store, 5)).entries).toEqual([]);
		});

		it('staged and dropped meanwhile, are neither staged further nor written', async () => {
			const store = await open();
			await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('a', 1)], { begin: true });
			// Another run's snapshot commits: proposals older than it can never commit and go.
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(9, { committed: 9 }));
			expect(await store.cursors.stageOwed(SOURCE, 'google_drive', 5, [owed('b', 2)], { begin: false })).toBe(false);
			expect(await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(5, { staged: true }))).toBe(false);
			expect(await store.cursors.snapshotIds(SOURCE)).toEqual([9]);
			expect(await store.cursors.pendingItems(SOURCE, 5, all)).toEqual([]);
		});

		it('go with the source when it is forgotten', async () => {
			const store = await open();
			await store.cursors.writeSnapshot(SOURCE, 'google_drive', snapshotWrite(3, { entries: [entry('files', 'a')], owed: [owed('x', 1)] }));
			await store.forget(SOURCE);
			expect(await store.cursors.snapshotIds(SOURCE)).toEqual([]);
			expect(await entriesOf(store, 3)).toEqual({ state: null, entries: [] });
			expect(await store.cursors.pendingItems(SOURCE, 3, all)).toEqual([]);
		});
	});
}
