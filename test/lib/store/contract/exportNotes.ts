import { item, items, OTHER_SOURCE, SOURCE } from '../helpers';
import { emitted, listRun, type StoreContract } from './support';

export function exportNotes({ open }: StoreContract): void {
	describe('notes on exported items', () => {
		it('start empty on a new run', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' });
			expect((await store.runs.get(runId))?.notedByReason).toEqual({});
		});

		it("are counted per code in the items' run, adding up over calls, and settle nothing", async () => {
			const store = await open();
			const run = await listRun(store, items(3), 'c1');
			const checked = emitted(await store.items.check(run.items)).map((result) => result.item);
			expect(await store.items.note(checked.slice(0, 2), { code: 'markdown_forbidden' })).toBe(2);
			await store.items.note([checked[2]], { code: 'markdown_forbidden' });
			await store.items.note([checked[0]], { code: 'markdown_rejected' });
			expect(await store.runs.get(run.runId)).toMatchObject({
				status: 'running',
				notedByReason: { markdown_forbidden: 3, markdown_rejected: 1 },
				counts: expect.objectContaining({ processed: 3, skipped: 0, committed: 0 }),
			});
			expect(await store.cursors.committed(SOURCE)).toBeNull();
			await store.items.commit(checked);
			expect(await store.cursors.committed(SOURCE)).toBe('c1');
			expect((await store.runs.get(run.runId))?.notedByReason).toEqual({ markdown_forbidden: 3, markdown_rejected: 1 });
		});

		it('count items without a run id towards the execution’s run of their source', async () => {
			const store = await open();
			const [checked] = await store.items.check([item('file-0')], { executionId: 'exec-1' });
			await store.items.note([item('file-0'), item('file-1')], { code: 'markdown_forbidden', executionId: 'exec-1' });
			expect(await store.runs.get(checked.runId)).toMatchObject({ implicit: true, status: 'running', notedByReason: { markdown_forbidden: 2 } });
		});

		it('open an implicit run for items no run of the execution knows, finished at once', async () => {
			const store = await open();
			const otherSourceRun = await store.runs.start({ sourceKey: OTHER_SOURCE, provider: 'notion' });
			await store.items.note([{ ...item('file-0'), run_id: otherSourceRun }], { code: 'markdown_forbidden', executionId: 'exec-2' });
			expect((await store.runs.get(otherSourceRun))?.notedByReason).toEqual({});
			const [status] = await store.status(SOURCE);
			expect(status.lastRun).toMatchObject({ implicit: true, executionId: 'exec-2', status: 'success', notedByReason: { markdown_forbidden: 1 } });
		});

		it('count every item of a call larger than one batch', async () => {
			const store = await open({ batchSize: 2 });
			const run = await listRun(store, items(5), 'c1');
			expect(await store.items.note(run.items, { code: 'markdown_forbidden' })).toBe(5);
			expect((await store.runs.get(run.runId))?.notedByReason).toEqual({ markdown_forbidden: 5 });
		});
	});
}
