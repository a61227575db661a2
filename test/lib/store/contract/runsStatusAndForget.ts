import { item, items, OTHER_SOURCE, SOURCE } from '../helpers';
import { emitted, listRun, type StoreContract } from './support';

export function runsStatusAndForget({ open }: StoreContract): void {
	describe('runs, status and forget', () => {
		it('counts what check and commit saw, and adds what finish reports', async () => {
			const store = await open();
			await store.items.commit([item('file-0'), item('file-1')]);
			const run = await listRun(
				store,
				[item('file-0'), item('file-1', { version: '2', hash: 'md5-edited-2' }), item('file-2'), item('file-0', { external_id: 'gone', change: 'deleted' })],
				'c1',
			);
			await store.items.commit(emitted(await store.items.check(run.items)).map((result) => result.item));
			await store.runs.finish(run.runId, { status: 'partial', counts: { skipped: 2 }, skippedByReason: { policy_file_type: 2 } });
			expect(await store.runs.get(run.runId)).toMatchObject({
				status: 'partial',
				counts: { processed: 4, new: 1, changed: 1, unchanged: 2, deleted: 0, skipped: 2, failed: 0, committed: 2 },
				skippedByReason: { policy_file_type: 2 },
			});
		});

		it('keeps only the newest ten error samples, as messages', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' });
			const errors = Array.from({ length: 12 }, (_, index) => new Error(`failure ${index}`));
			await store.runs.finish(runId, { status: 'error', errors });
			const run = await store.runs.get(runId);
			expect(run?.errors).toHaveLength(10);
			expect(run?.errors[0]).toBe('failure 2');
			expect(run?.errors[9]).toBe('failure 11');
		});

		it('reports per source the last run, last error, last success, items known and deleted, and the cursor', async () => {
			const store = await open();
			const first = await listRun(store, items(3), 'c1');
			await store.items.commit((await store.items.check(first.items)).map((result) => result.item));
			await store.items.commit([item('file-2', { change: 'deleted' })]);
			const second = await listRun(store, [item('file-7')], 'c2', SOURCE);
			await store.items.check(second.items);
			await store.runs.finish(second.runId, { status: 'error', errors: ['Drive quota exceeded'] });

			const [status] = await store.status(SOURCE);
			expect(status).toMatchObject({
				sourceKey: SOURCE,
				provider: 'google_drive',
				lastRun: expect.objectContaining({ runId: second.runId, status: 'error' }),
				lastError: { runId: second.runId, at: expect.any(String), message: 'Drive quota exceeded' },
				lastSuccessAt: expect.any(String),
				hasCursor: true,
				cursorCommittedAt: expect.any(String),
				itemsKnown: 2,
				itemsDeleted: 1,
				itemsInFlight: 0,
			});
		});

		it('counts versions a running run has emitted and not yet committed as in flight', async () => {
			const store = await open();
			await store.items.check((await listRun(store, items(4), 'c1')).items);
			expect((await store.status(SOURCE))[0].itemsInFlight).toBe(4);
		});

		it('lists every source it knows, or just the one asked for', async () => {
			const store = await open();
			await store.items.commit([item('a'), item('b', { source_key: OTHER_SOURCE, provider: 'notion' })]);
			expect((await store.status()).map((status) => status.sourceKey).sort()).toEqual([SOURCE, OTHER_SOURCE].sort());
			expect((await store.status(OTHER_SOURCE)).map((status) => status.provider)).toEqual(['notion']);
			expect(await store.status('never-seen')).toEqual([]);
		});

		it('forgets a source’s items, cursor, claims and runs, so its next run re-imports everything', async () => {
			const store = await open();
			const run = await listRun(store, items(3), 'c1');
			const checked = await store.items.check(run.items);
			await store.items.commit(checked.slice(0, 2).map((result) => result.item));
			await store.items.commit([item('keep', { source_key: OTHER_SOURCE, provider: 'notion' })]);

			expect(await store.forget(SOURCE)).toEqual({ sourceKey: SOURCE, items: 2, runs: 1, claims: 1, hadCursor: false });
			expect(await store.status(SOURCE)).toEqual([]);
			expect(await store.cursors.committed(SOURCE)).toBeNull();
			expect((await store.items.check(items(3))).map((result) => result.change)).toEqual(['new', 'new', 'new']);
			expect((await store.status(OTHER_SOURCE))[0].itemsKnown).toBe(1);
		});

		it('prunes run records beyond the newest ones kept per source', async () => {
			const store = await open({ keptRunsPerSource: 3 });
			const runIds: number[] = [];
			for (let run = 0; run < 5; run++) runIds.push(await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' }));
			const kept = await Promise.all(runIds.map(async (runId) => (await store.runs.get(runId)) !== undefined));
			expect(kept).toEqual([false, false, true, true, true]);
		});

		it('says a run is gone when asked to finish one it does not know', async () => {
			const store = await open();
			await expect(store.runs.finish(404, { status: 'success' })).rejects.toThrow(/Run 404 is not in the cache .*start a new run/);
		});

		it('records the effective policy with the run', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive', policy: { maxFileSizeMb: 20 } });
			expect((await store.runs.get(runId))?.policy).toEqual({ maxFileSizeMb: 20 });
		});
	});
}
