import type { ConnectorItem } from '../../../lib/items';
import { byPath } from '../../../lib/items';
import type { SnapshotWrite } from '../../../lib/store';
import { orderKey, owedItems, readSnapshot, sameState, SnapshotReplacedError, writeSnapshot, type SnapshotUpdate } from '../../../lib/sync/snapshots';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStore } from '../../../lib/store';
import { openDriver } from '../../../lib/store/sqlite/driver';
import { migrate, MIGRATIONS } from '../../../lib/store/sqlite/migrations';
import { listSource } from '../../../lib/sync';
import { FAKE_PROVIDER, FakeProvider, fakeSourceKey } from './fakeProvider';
import { useStore } from './support';

const SOURCE_KEY = 'fake:alice@example.com:root';

function owed(id: string, path = `/${id}.txt`): ConnectorItem {
	return {
		provider: FAKE_PROVIDER,
		external_id: id,
		source_key: SOURCE_KEY,
		name: `${id}.txt`,
		path,
		parents: [],
		mime: 'text/plain',
		size: 1,
		modified_at: null,
		created_at: null,
		version: '1',
		hash: null,
		url: null,
		change: 'upsert',
	};
}

type State = Record<string, unknown>;

/** A listing state shaped like Drive's: scalars, a map of folders and a map of files. */
function driveLike(files: number, extra: State = {}): State {
	const state: State = { rootId: 'root', recursive: true, folders: { f1: ['Docs', 'root'] }, files: {}, ...extra };
	for (let index = 0; index < files; index++) (state.files as State)[`id${index}`] = { name: `${index}.txt`, parent: 'f1', mime: null };
	return state;
}

const update = (state: State, owedNow: ConnectorItem[] = [], settled: string[] = []): SnapshotUpdate => ({ state, owed: owedNow, settled });

describe('snapshots', () => {
	const store = useStore();
	const write = (id: number, next: SnapshotUpdate, base: { id: string; state: State } | null = null, committed: string | null = null) =>
		writeSnapshot(store().cursors, FAKE_PROVIDER, SOURCE_KEY, String(id), next, base, committed);
	const read = (id: string) => readSnapshot(store().cursors, FAKE_PROVIDER, SOURCE_KEY, id);
	const owedBy = (id: string, limit = Number.MAX_SAFE_INTEGER, skip: Set<string> = new Set()) => owedItems(store().cursors, SOURCE_KEY, id, { skip, limit });

	/** Counts what the engine hands the store, as the store consumes it. */
	function countWrites(): Array<{ base: number | null; entries: number; removed: number; owed: number; settled: number }> {
		const cursors = store().cursors;
		const original = cursors.writeSnapshot.bind(cursors);
		const calls: Array<{ base: number | null; entries: number; removed: number; owed: number; settled: number }> = [];
		jest.spyOn(cursors, 'writeSnapshot').mockImplementation(async (sourceKey, provider, request: SnapshotWrite) => {
			const [entries, removed, owedNow, settled] = [[...request.entries], [...request.removed], [...request.owed], [...request.settled]];
			calls.push({ base: request.base, entries: entries.length, removed: removed.length, owed: owedNow.length, settled: settled.length });
			return await original(sourceKey, provider, { ...request, entries, removed, owed: owedNow, settled });
		});
		return calls;
	}

	it('reads back the listing state a cursor names, its maps whole', async () => {
		const state = driveLike(3, { shortcuts: {} });
		await write(3, update(state));
		expect(await read('3')).toEqual(state);
	});

	it.each([
		['no snapshot by that id', '4'],
		['an id that is no run id', 'not-a-run'],
	])('reads nothing for %s', async (_case, id) => {
		await write(3, update(driveLike(1)));
		expect(await read(id)).toBeNull();
		expect(await owedBy(id)).toEqual([]);
	});

	it('keeps one row per entry and per owed item, and never the listing as one value', async () => {
		await write(3, update(driveLike(1000), [owed('a'), owed('b')]));
		let entries = 0;
		const state = await store().cursors.readSnapshot(SOURCE_KEY, 3, () => entries++);
		expect(entries).toBe(1001);
		expect(JSON.parse(state ?? '')).toEqual({ rootId: 'root', recursive: true, folders: {}, files: {} });
		expect(await owedBy('3')).toEqual([owed('a'), owed('b')]);
		expect(await store().cursors.providerState(SOURCE_KEY)).toBeNull();
	});

	it('reads only as many owed items as asked for, in the order the listing emits them, leaving out those asked to', async () => {
		const items = ['/b/z.txt', '/a.txt', '/b.txt', '/ä.txt', '/😀.txt', '/ｚ.txt', '/B.txt'].map((path, index) => owed(`id${index}`, path));
		await write(3, update(driveLike(0), items));
		const sorted = [...items].sort(byPath);
		expect(await owedBy('3')).toEqual(sorted);
		expect(await owedBy('3', 2)).toEqual(sorted.slice(0, 2));
		expect(await owedBy('3', 2, new Set([sorted[0].external_id]))).toEqual(sorted.slice(1, 3));
	});

	it('orders owed items as the listing sorts them: by path, change and id, by UTF-16 code unit', () => {
		const items = ['/a', '/a/b', '/a b', '/😀', '/ｚ', '/é', '/a'].map((path, index) => ({ ...owed(`id${index}`, path), change: index === 6 ? ('deleted' as const) : ('upsert' as const) }));
		const byKey = [...items].sort((left, right) => Buffer.compare(Buffer.from(orderKey(left)), Buffer.from(orderKey(right))));
		expect(byKey).toEqual([...items].sort(byPath));
	});

	it('writes a snapshot that follows the committed one as what changed, the rest copied by the store', async () => {
		const base = driveLike(1000);
		await write(3, update(base, [owed('a'), owed('b'), owed('c')]));
		const next = structuredClone(base);
		const files = next.files as State;
		files.id7 = { name: 'renamed.txt', parent: 'f1', mime: null };
		delete files.id8;
		files.added = { name: 'added.txt', parent: 'f1', mime: null };
		const calls = countWrites();

		await write(4, update(next, [{ ...owed('c'), version: '2' }, owed('d')], ['a']), { id: '3', state: base }, '3');

		expect(calls).toEqual([{ base: 3, entries: 2, removed: 1, owed: 2, settled: 1 }]);
		expect(await read('4')).toEqual(next);
		expect(await owedBy('4')).toEqual([owed('b'), { ...owed('c'), version: '2' }, owed('d')]);
		expect(await read('3')).toEqual(base);
		expect(await owedBy('3')).toEqual([owed('a'), owed('b'), owed('c')]);
	});

	it('refuses to write over a base another run dropped meanwhile, writing nothing', async () => {
		await write(3, update(driveLike(10), [owed('a')]));
		// A newer snapshot commits and drops run 3's.
		await write(5, update(driveLike(1)), null, '5');

		await expect(write(6, update(driveLike(10)), { id: '3', state: driveLike(10) }, '5')).rejects.toBeInstanceOf(SnapshotReplacedError);
		expect(await store().cursors.snapshotIds(SOURCE_KEY)).toEqual([5]);
	});

	it('keeps the committed snapshot and the 7 newest proposals beside the one written, dropping those older than the committed', async () => {
		for (let run = 1; run <= 12; run++) await write(run, update(driveLike(1, { run })), null, run >= 3 ? '3' : null);
		await write(13, update(driveLike(1, { run: 13 })), null, '3');
		expect(await store().cursors.snapshotIds(SOURCE_KEY)).toEqual([3, 6, 7, 8, 9, 10, 11, 12, 13]);
		expect((await read('3'))?.run).toBe(3);
		expect((await read('13'))?.run).toBe(13);
	});

	it('keeps the newest proposals when no cursor has been committed yet', async () => {
		for (const run of [1, 2, 3]) await write(run, update(driveLike(0)));
		expect(await store().cursors.snapshotIds(SOURCE_KEY)).toEqual([1, 2, 3]);
	});

	it('tells listing states apart entry by entry', () => {
		const state = driveLike(3);
		expect(sameState(state, structuredClone(state))).toBe(true);
		const renamed = structuredClone(state);
		(renamed.files as Record<string, { name: string }>).id1.name = 'other.txt';
		expect(sameState(state, renamed)).toBe(false);
		const fewer = structuredClone(state);
		delete (fewer.files as State).id2;
		expect(sameState(state, fewer)).toBe(false);
		expect(sameState(fewer, state)).toBe(false);
		expect(sameState(state, { ...structuredClone(state), rootId: 'other' })).toBe(false);
	});

	describe('the provider state of earlier releases, every snapshot in one value', () => {
		const legacy = (snapshots: Record<string, unknown>) => JSON.stringify({ v: 1, snapshots });

		it('is read once: each snapshot it holds becomes rows, with its owed items, and the value is cleared', async () => {
			const committed = { rootId: 'root', files: { a: { name: 'a.txt', parent: 'root', mime: null } }, pending: [owed('c'), owed('b')] };
			const proposal = { rootId: 'root', files: {}, pending: [] };
			await store().cursors.updateProviderState(SOURCE_KEY, FAKE_PROVIDER, () => legacy({ 3: committed, 4: proposal }));

			expect(await read('3')).toEqual({ rootId: 'root', files: committed.files });
			expect(await store().cursors.providerState(SOURCE_KEY)).toBeNull();
			expect(await store().cursors.snapshotIds(SOURCE_KEY)).toEqual([3, 4]);
			expect(await owedBy('3')).toEqual([owed('b'), owed('c')]);
			expect(await read('4')).toEqual({ rootId: 'root', files: {} });
		});

		it.each([
			['not JSON', '{"v":1,'],
			['of another version', JSON.stringify({ v: 2, snapshots: { 3: { pending: [] } } })],
			['without that snapshot', JSON.stringify({ v: 1, snapshots: { 4: { pending: [] } } })],
			['holding it without its owed items', JSON.stringify({ v: 1, snapshots: { 3: { rootId: 'root' } } })],
		])('reads as no snapshot when it is %s', async (_case, raw) => {
			await store().cursors.updateProviderState(SOURCE_KEY, FAKE_PROVIDER, () => raw);
			expect(await read('3')).toBeNull();
		});
	});

	it('in a cache file of the schema before snapshots were rows, still go on from the committed cursor after the upgrade', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'connectors-legacy-'));
		try {
			const path = join(directory, 'cache.sqlite');
			const sourceKey = fakeSourceKey();
			const known = [{ id: 'a', path: '/a.txt', mime: null }, { id: 'b', path: '/b.txt', mime: null }];
			const fake = new FakeProvider();
			fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
			const owedB = { ...fake.item('b') };
			// Written as the previous release did: schema 3, the cursor naming snapshot 1 inside provider_state.
			const old = openDriver(path);
			migrate(old, MIGRATIONS.slice(0, 3));
			old.prepare(
				"INSERT INTO sync_state (source_key, provider, committed_cursor, committed_run_id, provider_state, created_at) VALUES (?, ?, ?, 1, ?, 'then')",
			).run(sourceKey, FAKE_PROVIDER, JSON.stringify({ position: 2, snapshot: '1' }), JSON.stringify({ v: 1, snapshots: { 1: { known, pending: [owedB] } } }));
			old.prepare("INSERT INTO runs (id, source_id, provider, started_at, finished_at, status) VALUES (1, 1, ?, 'then', 'then', 'success')").run(FAKE_PROVIDER);
			old.close();

			const upgraded = await openStore({ path });
			try {
				const runId = await upgraded.runs.start({ sourceKey, provider: FAKE_PROVIDER });
				const next = await listSource({ store: upgraded, provider: fake, connection: { credentialKey: 'cred' }, source: { root: 'root' }, sourceKey, runId });
				expect(fake.listCalls).toEqual([{ cursor: { position: 2 }, snapshot: { known } }]);
				expect(next.fullListing).toBe(false);
				// The item the earlier release still owed comes now.
				expect(next.items.map((item) => item.external_id)).toEqual(['b']);
				expect(await upgraded.cursors.providerState(sourceKey)).toBeNull();
			} finally {
				await upgraded.close();
			}
		} finally {
			rmSync(directory, { recursive: true, force: true });
		}
	});
});
