import { DEFAULT_LEASE_MS } from '../../../../lib/store';
import { item, items, OTHER_SOURCE, SOURCE } from '../helpers';
import { changeById, listRun, type StoreContract } from './support';

export function committedCursor(contract: StoreContract): void {
	const { open } = contract;

	describe('the committed cursor', () => {
		it('moves only when the last item the run claimed is committed', async () => {
			const store = await open();
			const first = await listRun(store, items(3), 'c1');
			const checked = await store.items.check(first.items);

			expect((await store.items.commit([checked[0].item, checked[1].item])).promotedSources).toEqual([]);
			expect(await store.cursors.committed(SOURCE)).toBeNull();

			expect((await store.items.commit([checked[2].item])).promotedSources).toEqual([SOURCE]);
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
			expect(await store.runs.get(first.runId)).toMatchObject({ status: 'success', cursorCommittedAt: expect.any(String) });
		});

		it('stays put when a run checks but never commits, and the next run gets the items once the lease expires', async () => {
			const store = await open();
			await store.items.commit((await store.items.check((await listRun(store, items(2), 'c1')).items)).map((result) => result.item));
			const failed = await listRun(store, [item('file-0', { version: '2', hash: 'md5-edited-2' }), item('file-9')], 'c2');
			expect(changeById(await store.items.check(failed.items))).toEqual({ 'file-0': 'changed', 'file-9': 'new' });

			contract.clock.advance(DEFAULT_LEASE_MS + 1);
			const retry = await listRun(store, [item('file-0', { version: '2', hash: 'md5-edited-2' }), item('file-9')], 'c2-retry');
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
			expect(changeById(await store.items.check(retry.items))).toEqual({ 'file-0': 'changed', 'file-9': 'new' });
		});

		it('hands the items to the next run at once when the failed run was finished with an error', async () => {
			const store = await open();
			const failed = await listRun(store, items(2), 'c1');
			await store.items.check(failed.items);
			await store.runs.finish(failed.runId, { status: 'error', errors: ['HTTP Request node: 502 Bad Gateway'] });

			const retry = await listRun(store, items(2), 'c1-retry');
			expect((await store.items.check(retry.items)).map((result) => result.change)).toEqual(['new', 'new']);
			expect(await store.cursors.committed(SOURCE)).toBeNull();
		});

		it('is committed as soon as it is proposed by a run that listed nothing', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' });
			await store.cursors.propose(runId, SOURCE, 'empty-run', { listedItems: 0 });
			expect(await store.cursors.committed(SOURCE)).toBe('empty-run');
		});

		it('is committed at check time when every listed item was unchanged', async () => {
			const store = await open();
			await store.items.commit(items(3));
			const run = await listRun(store, items(3), 'c2');
			expect(await store.cursors.committed(SOURCE)).toBeNull();
			await store.items.check(run.items);
			expect(await store.cursors.committed(SOURCE)).toBe('c2');
		});

		it('waits until every listed item has been checked when a workflow checks in several batches', async () => {
			const store = await open();
			const run = await listRun(store, items(4), 'c1');
			await store.items.commit((await store.items.check(run.items.slice(0, 2))).map((result) => result.item));
			expect(await store.cursors.committed(SOURCE)).toBeNull();
			await store.items.commit((await store.items.check(run.items.slice(2))).map((result) => result.item));
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
		});

		it('is held back when an item failed, and the failed item goes to the next run at once', async () => {
			const store = await open();
			const run = await listRun(store, items(2), 'c1');
			const [good, bad] = await store.items.check(run.items);
			await store.items.commit([good.item]);
			await store.items.release([bad.item], { outcome: 'failed', reason: 'export timed out' });
			expect(await store.cursors.committed(SOURCE)).toBeNull();
			// Over, not left running: every item it listed was committed or released.
			expect(await store.runs.get(run.runId)).toMatchObject({
				status: 'partial',
				finishedAt: expect.any(String),
				counts: expect.objectContaining({ failed: 1, committed: 1 }),
				errors: ['file-1: export timed out'],
				cursorCommittedAt: null,
			});
			expect((await store.status(SOURCE))[0]).toMatchObject({ lastSuccessAt: null, cursorCommittedAt: null });

			const retry = await listRun(store, items(2), 'c1-retry');
			expect(changeById(await store.items.check(retry.items))).toEqual({ 'file-0': 'unchanged', 'file-1': 'new' });
		});

		it('stays running after a failed item while other items of the run are still to be checked or committed', async () => {
			const store = await open();
			const run = await listRun(store, items(3), 'c1');
			const [bad, good] = await store.items.check(run.items.slice(0, 2));
			await store.items.release([bad.item], { outcome: 'failed', reason: 'export timed out' });
			expect(await store.runs.get(run.runId)).toMatchObject({ status: 'running', finishedAt: null });
			await store.items.commit([good.item]);
			expect(await store.runs.get(run.runId)).toMatchObject({ status: 'running', finishedAt: null });
			const [last] = await store.items.check(run.items.slice(2));
			await store.items.commit([last.item]);
			expect(await store.runs.get(run.runId)).toMatchObject({ status: 'partial', counts: expect.objectContaining({ failed: 1, committed: 2 }) });
			expect(await store.cursors.committed(SOURCE)).toBeNull();
		});

		it('moves on past an item released as skipped, counting the reason', async () => {
			const store = await open();
			const run = await listRun(store, items(2), 'c1');
			const [good, tooLarge] = await store.items.check(run.items);
			await store.items.commit([good.item]);
			expect((await store.items.release([tooLarge.item], { outcome: 'skipped', reason: 'file_too_large' })).promotedSources).toEqual([
				SOURCE,
			]);
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
			expect(await store.runs.get(run.runId)).toMatchObject({
				counts: expect.objectContaining({ skipped: 1 }),
				skippedByReason: { file_too_large: 1 },
			});
		});

		it('counts an item skipped before check towards the items its run listed', async () => {
			const store = await open();
			const run = await listRun(store, items(2), 'c1');
			await store.items.release([run.items[0]], { outcome: 'skipped', reason: 'policy_file_type' });
			await store.items.commit((await store.items.check([run.items[1]])).map((result) => result.item));
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
		});

		it('is released by commit even when export added a content hash after check', async () => {
			const store = await open();
			const run = await listRun(store, items(1), 'c1');
			const [checked] = await store.items.check(run.items);
			await store.items.commit([{ ...checked.item, content_hash: 'sha-after-export' }]);
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
			expect((await store.status(SOURCE))[0].itemsInFlight).toBe(0);
		});

		it('cannot be proposed by a run of another source', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' });
			await expect(store.cursors.propose(runId, OTHER_SOURCE, 'x', { listedItems: 0 })).rejects.toThrow(/belongs to source/);
		});
	});

	describe('provider state', () => {
		it('sits beside the cursor, kept without being read', async () => {
			const store = await open();
			expect(await store.cursors.providerState(SOURCE)).toBeNull();
			await store.cursors.updateProviderState(SOURCE, 'google_drive', () => '{"driveId":"0AB"}');
			expect(await store.cursors.providerState(SOURCE)).toBe('{"driveId":"0AB"}');
		});

		it('is handed to the update as it is now, and replaced by what the update returns', async () => {
			const store = await open();
			const seen: Array<string | null> = [];
			const append = (current: string | null) => {
				seen.push(current);
				return `${current ?? ''}+`;
			};
			await store.cursors.updateProviderState(SOURCE, 'google_drive', append);
			await store.cursors.updateProviderState(SOURCE, 'google_drive', append);
			expect(seen).toEqual([null, '+']);
			expect(await store.cursors.providerState(SOURCE)).toBe('++');
		});

		it('stays as it was when the update throws', async () => {
			const store = await open();
			await store.cursors.updateProviderState(SOURCE, 'google_drive', () => 'kept');
			await expect(
				store.cursors.updateProviderState(SOURCE, 'google_drive', () => {
					throw new Error('snapshot unreadable');
				}),
			).rejects.toThrow('snapshot unreadable');
			expect(await store.cursors.providerState(SOURCE)).toBe('kept');
		});
	});
}
