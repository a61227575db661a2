import { InvalidInputError } from '../../../lib/errors';
import { listSource, type ListingOptions } from '../../../lib/sync';
import { FAKE_PROVIDER, FakeProvider, fakeSourceKey } from './fakeProvider';
import { check, checkAndCommit, committedCursor, dropSnapshots, storedSnapshots, useStore } from './support';

const SOURCE_KEY = fakeSourceKey();
const EXECUTION = 'exec-listing';

describe('listSource', () => {
	const store = useStore();
	let fake: FakeProvider;

	beforeEach(() => {
		fake = new FakeProvider();
	});

	async function list(options?: ListingOptions) {
		const runId = await store().runs.start({ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER, executionId: EXECUTION });
		const result = await listSource({
			store: store(),
			provider: fake,
			connection: { credentialKey: 'cred' },
			source: { root: 'root' },
			sourceKey: SOURCE_KEY,
			runId,
			options,
		});
		return { runId, ...result };
	}

	it('asks the provider with no cursor and no snapshot on the first run', async () => {
		fake.put('a', { path: '/a.txt' });
		const first = await list();
		expect(fake.listCalls).toEqual([{ cursor: null, snapshot: null }]);
		expect(first.fullListing).toBe(true);
		expect(first.items.map((item) => item.external_id)).toEqual(['a']);
	});

	it("stores as cursor the provider's cursor plus the id of the run whose snapshot goes with it", async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		const first = await list();
		await checkAndCommit(store(), first.items, EXECUTION);
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 2, snapshot: String(first.runId) });
	});

	it("stores as snapshot the provider's listing state with the items still owed as its last key", async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		const first = await list({ maxItems: 1 });
		const state = await storedSnapshots(store(), SOURCE_KEY);
		const snapshot = state?.snapshots[String(first.runId)] as Record<string, unknown>;
		expect(Object.keys(snapshot)).toEqual(['known', 'pending']);
		expect(snapshot).toEqual({
			known: [
				{ id: 'a', path: '/a.txt', mime: null },
				{ id: 'b', path: '/b.txt', mime: null },
			],
			pending: [fake.item('b')],
		});
	});

	it('hands the next run the committed cursor and its snapshot, without the items owed', async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		await checkAndCommit(store(), (await list({ maxItems: 1 })).items, EXECUTION);
		await list();
		expect(fake.listCalls[1]).toEqual({
			cursor: { position: 2 },
			snapshot: {
				known: [
					{ id: 'a', path: '/a.txt', mime: null },
					{ id: 'b', path: '/b.txt', mime: null },
				],
			},
		});
	});

	it('reuses the committed snapshot and writes none when nothing changed', async () => {
		fake.put('a', { path: '/a.txt' });
		const first = await list();
		await checkAndCommit(store(), first.items, EXECUTION);
		const writes = jest.spyOn(store().cursors, 'writeSnapshot');

		const second = await list();

		expect(second.items).toEqual([]);
		expect(second.fullListing).toBe(false);
		expect(writes).not.toHaveBeenCalled();
		expect(await store().cursors.snapshotIds(SOURCE_KEY)).toEqual([first.runId]);
		// A run that lists nothing settles at once: its proposal is now the committed cursor.
		expect((await store().runs.get(second.runId))?.cursorCommittedAt).not.toBeNull();
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 1, snapshot: String(first.runId) });
	});

	it("writes a changed listing state under the new run's id beside the committed one", async () => {
		fake.put('a', { path: '/a.txt' });
		const first = await list();
		await checkAndCommit(store(), first.items, EXECUTION);
		fake.put('b', { path: '/b.txt' });
		const second = await list();
		expect(Object.keys((await storedSnapshots(store(), SOURCE_KEY))?.snapshots ?? {})).toEqual([String(first.runId), String(second.runId)]);
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 1, snapshot: String(first.runId) });
		await checkAndCommit(store(), second.items, EXECUTION);
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 2, snapshot: String(second.runId) });
	});

	it('sorts the items by path, whatever order the provider lists them in, and stamps each with the run id', async () => {
		fake.put('z', { path: '/a/z.txt' }).put('m', { path: '/b.txt' }).put('a', { path: '/c/a.txt' });
		const first = await list();
		expect(first.items.map((item) => [item.path, item.run_id])).toEqual([
			['/a/z.txt', first.runId],
			['/b.txt', first.runId],
			['/c/a.txt', first.runId],
		]);
	});

	it('emits deletions for what the committed snapshot held and the source no longer has', async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		await checkAndCommit(store(), (await list()).items, EXECUTION);
		fake.remove('a');
		const second = await list();
		expect(second.items.map((item) => [item.external_id, item.change])).toEqual([['a', 'deleted']]);
	});

	it('emits the first maxItems items by path and the rest on the next runs, dropping none', async () => {
		for (const id of ['e', 'c', 'a', 'd', 'b']) fake.put(id, { path: `/${id}.txt` });

		const first = await list({ maxItems: 2 });
		expect(first.items.map((item) => item.path)).toEqual(['/a.txt', '/b.txt']);
		expect(first.hasMore).toBe(true);
		await checkAndCommit(store(), first.items, EXECUTION);

		fake.put('f', { path: '/f.txt' });
		const second = await list({ maxItems: 2 });
		expect(fake.listCalls[1].cursor).toEqual({ position: 5 });
		expect(second.items.map((item) => item.path)).toEqual(['/c.txt', '/d.txt']);
		expect(second.hasMore).toBe(true);
		await checkAndCommit(store(), second.items, EXECUTION);

		const third = await list({ maxItems: 2 });
		expect(third.items.map((item) => item.path)).toEqual(['/e.txt', '/f.txt']);
		expect(third.hasMore).toBe(false);
		expect(third.items.every((item) => item.run_id === third.runId)).toBe(true);
	});

	it('emits an owed item that changed since once, in its newest version', async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		await checkAndCommit(store(), (await list({ maxItems: 1 })).items, EXECUTION);
		fake.put('b', { path: '/b.txt' });
		const second = await list();
		expect(second.items.map((item) => [item.external_id, item.version])).toEqual([['b', '2']]);
	});

	describe('a first listing with a cap, handed over in batches', () => {
		const path = (index: number) => `/${String((index * 7919) % 12_000).padStart(5, '0')}.txt`;

		beforeEach(() => {
			fake.handsOverBy = 1000;
		});

		it('stages what it owes as it lists, and emits it on the next runs in path order, none twice and none dropped', async () => {
			for (let index = 0; index < 12_000; index++) fake.put(`doc-${index}`, { path: path(index) });
			const staged = jest.spyOn(store().cursors, 'stageOwed');

			const first = await list({ maxItems: 100 });
			// 11,900 owed, taken to the store two batches at a time: never all held.
			expect(staged.mock.calls.length).toBeGreaterThanOrEqual(2);
			expect(first.items.map((item) => item.path)).toEqual(Array.from({ length: 100 }, (_, index) => `/${String(index).padStart(5, '0')}.txt`));
			expect(first.hasMore).toBe(true);
			await checkAndCommit(store(), first.items, EXECUTION);

			const second = await list();
			expect(second.hasMore).toBe(false);
			const paths = [...first.items, ...second.items].map((item) => item.path);
			expect(paths).toEqual(Array.from({ length: 12_000 }, (_, index) => `/${String(index).padStart(5, '0')}.txt`));
			expect(new Set([...first.items, ...second.items].map((item) => item.external_id)).size).toBe(12_000);
		});

		it('takes a later word on an id, staged or kept: each item once, in its newest version', async () => {
			for (let index = 0; index < 6000; index++) fake.put(`doc-${index}`, { path: path(index) });
			// doc-0 is at /00000.txt (emitted, then moved last); doc-1 at /07919.txt (staged, then moved first).
			fake.laterWords = [{ id: 'doc-0', path: '/zzzzz.txt' }, { id: 'doc-1', path: '/0000-first.txt' }];

			const first = await list({ maxItems: 10 });
			expect(first.items[0]).toMatchObject({ external_id: 'doc-1', path: '/0000-first.txt' });
			expect(first.items.map((item) => item.external_id)).not.toContain('doc-0');
			await checkAndCommit(store(), first.items, EXECUTION);

			const second = await list();
			const all = [...first.items, ...second.items];
			expect(all).toHaveLength(6000);
			expect(new Set(all.map((item) => item.external_id)).size).toBe(6000);
			expect(second.items.at(-1)).toMatchObject({ external_id: 'doc-0', path: '/zzzzz.txt' });
			expect(all.filter((item) => item.external_id === 'doc-1')).toHaveLength(1);
		});

		it('stages the batches of a provider that hands them over at once one after the other', async () => {
			for (let index = 0; index < 12_000; index++) fake.put(`doc-${index}`, { path: path(index) });
			fake.handsOverAtOnce = true;
			const first = await list({ maxItems: 100 });
			await checkAndCommit(store(), first.items, EXECUTION);
			const second = await list();
			const all = [...first.items, ...second.items];
			expect(all.map((item) => item.path)).toEqual(Array.from({ length: 12_000 }, (_, index) => `/${String(index).padStart(5, '0')}.txt`));
		});

		it('stages the snapshot entries a provider hands over, and the next run reads them as if they had been returned', async () => {
			for (let index = 0; index < 2500; index++) fake.put(`doc-${index}`, { path: path(index) });
			fake.keepsPaths = 1000;
			const first = await list({ maxItems: 10 });
			// The provider's state came back with its map empty: every entry there is one the store was handed.
			await checkAndCommit(store(), first.items, EXECUTION);
			const expected = Object.fromEntries(Array.from({ length: 2500 }, (_, index) => [`doc-${index}`, path(index)]));
			const { snapshots } = await storedSnapshots(store(), SOURCE_KEY);
			expect(Object.values(snapshots).map((snapshot) => snapshot.paths)).toEqual([expected]);

			const second = await list({ maxItems: 10 });
			expect(fake.listCalls[1].snapshot?.paths).toEqual(expected);
			expect(second.items).toHaveLength(10);
		});

		it('is not offered without a cap, nor once the source has a snapshot', async () => {
			for (let index = 0; index < 10; index++) fake.put(`doc-${index}`, { path: path(index) });
			const staged = jest.spyOn(store().cursors, 'stageOwed');
			const whole = await list();
			expect(whole.items).toHaveLength(10);
			await checkAndCommit(store(), whole.items, EXECUTION);
			fake.put('doc-10', { path: '/new.txt' });
			expect((await list({ maxItems: 5 })).items.map((item) => item.external_id)).toEqual(['doc-10']);
			expect(staged).not.toHaveBeenCalled();
		});
	});

	it('says whether more items are waiting', async () => {
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		expect((await list({ maxItems: 2 })).hasMore).toBe(false);
		expect((await list({ maxItems: 1 })).hasMore).toBe(true);
	});

	it('reads from the store no more of the items owed than it can emit, and hands it only what changed', async () => {
		for (let index = 0; index < 100; index++) fake.put(`doc-${index}`, { path: `/${String(index).padStart(3, '0')}.txt` });
		await checkAndCommit(store(), (await list({ maxItems: 5 })).items, EXECUTION);
		const owedRead = jest.spyOn(store().cursors, 'pendingItems');
		const cursors = store().cursors;
		const writeRows = cursors.writeSnapshot.bind(cursors);
		const handed: Array<{ base: number | null; entries: number; owed: string[]; settled: string[] }> = [];
		jest.spyOn(cursors, 'writeSnapshot').mockImplementation(async (sourceKey, provider, request) => {
			const [entries, owed, settled] = [[...request.entries], [...request.owed], [...request.settled]];
			handed.push({ base: request.base, entries: entries.length, owed: owed.map((item) => item.id), settled: [...settled].sort() });
			return await writeRows(sourceKey, provider, { ...request, entries, owed, settled });
		});

		const second = await list({ maxItems: 5 });

		expect(second.items.map((item) => item.path)).toEqual(['/005.txt', '/006.txt', '/007.txt', '/008.txt', '/009.txt']);
		expect(second.hasMore).toBe(true);
		// Five to emit and one to tell whether more are waiting: the other 90 stay in the store.
		expect((await owedRead.mock.results[0].value as string[]).length).toBe(6);
		// Nothing new listed: no entry and no owed item handed over, only the five now emitted taken off.
		const base = Number(((await committedCursor(store(), SOURCE_KEY)) as { snapshot: string }).snapshot);
		expect(handed).toEqual([{ base, entries: 0, owed: [], settled: ['doc-5', 'doc-6', 'doc-7', 'doc-8', 'doc-9'] }]);
		expect((await storedSnapshots(store(), SOURCE_KEY)).snapshots[String(second.runId)].pending).toHaveLength(90);
	});

	it.each([0, -1, Number.NaN])('refuses a max items of %p with InvalidInputError before asking the provider', async (maxItems) => {
		await expect(list({ maxItems })).rejects.toThrow(InvalidInputError);
		await expect(list({ maxItems })).rejects.toThrow(/Max items per run must be at least 1/);
		expect(fake.listCalls).toEqual([]);
	});

	it('reaches the provider with the committed cursor and no snapshot when the snapshot is missing', async () => {
		fake.put('a', { path: '/a.txt' });
		await checkAndCommit(store(), (await list()).items, EXECUTION);
		await dropSnapshots(store(), SOURCE_KEY, FAKE_PROVIDER);
		await list();
		expect(fake.listCalls[1]).toEqual({ cursor: { position: 1 }, snapshot: null });
	});

	it('reaches the provider with no cursor when it cannot read the stored one', async () => {
		const runId = await store().runs.start({ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER });
		const unreadable = JSON.stringify({ pageToken: 'from-elsewhere', snapshot: String(runId) });
		await store().cursors.propose(runId, SOURCE_KEY, unreadable, { listedItems: 0 });
		await list();
		expect(fake.listCalls).toEqual([{ cursor: null, snapshot: null }]);
	});

	it("passes on the provider's warnings, requests and whether it counted the listed items", async () => {
		fake.warnings = ['the change token expired'];
		fake.countsListed = true;
		const first = await list();
		expect(first).toMatchObject({ warnings: ['the change token expired'], requests: 1, countedListed: true });
	});

	describe('the committed cursor', () => {
		it("stays where it was while a run's items are checked but not committed, and the next run starts from it again", async () => {
			fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
			const first = await list();
			await checkAndCommit(store(), first.items, EXECUTION);
			const committed = { position: 2, snapshot: String(first.runId) };

			fake.put('b', { path: '/b.txt' });
			const second = await list();
			await check(store(), second.items, EXECUTION);
			expect(await committedCursor(store(), SOURCE_KEY)).toEqual(committed);

			const third = await list();
			expect(fake.listCalls[2]).toEqual(fake.listCalls[1]);
			expect(fake.listCalls[2].cursor).toEqual({ position: 2 });
			expect(third.items.map((item) => [item.external_id, item.version])).toEqual([['b', '2']]);
		});

		it('names a snapshot the store still holds when a run whose listing state did not change commits after overlapping runs', async () => {
			fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
			await checkAndCommit(store(), (await list()).items, EXECUTION);

			// Run 2 finds a new document: a new listing state. Its items wait for ingestion.
			fake.put('c', { path: '/c.txt' });
			const added = await check(store(), (await list()).items, 'exec-2');
			// Run 3 lists from the committed cursor after c left again and a was edited: the same state as run 1's.
			fake.remove('c').put('a', { path: '/a.txt' });
			const edited = await check(store(), (await list()).items, 'exec-3');
			expect(edited.map((item) => [item.external_id, item.version])).toEqual([['a', '2']]);

			await store().items.commit(added, { executionId: 'exec-2' });
			// Run 4 lists from run 2's snapshot, now the committed one, and never commits.
			fake.put('d', { path: '/d.txt' });
			await list();
			// Run 3, newer than run 2, commits last: its cursor becomes the committed one.
			await store().items.commit(edited, { executionId: 'exec-3' });

			const committed = (await committedCursor(store(), SOURCE_KEY)) as { snapshot: string };
			expect(Object.keys((await storedSnapshots(store(), SOURCE_KEY))?.snapshots ?? {})).toContain(committed.snapshot);
			await list();
			expect(fake.listCalls[fake.listCalls.length - 1]).toEqual({
				cursor: { position: 5 },
				snapshot: {
					known: [
						{ id: 'a', path: '/a.txt', mime: null },
						{ id: 'b', path: '/b.txt', mime: null },
					],
				},
			});
		});

		it("stays where it was while a run's items are not even checked", async () => {
			fake.put('a', { path: '/a.txt' });
			await checkAndCommit(store(), (await list()).items, EXECUTION);
			const committed = await committedCursor(store(), SOURCE_KEY);
			fake.put('b', { path: '/b.txt' });
			await list();
			expect(await committedCursor(store(), SOURCE_KEY)).toEqual(committed);
		});
	});
});
