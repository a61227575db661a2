import { item, OTHER_SOURCE, SOURCE } from '../helpers';
import type { StoreContract } from './support';

export function implicitRuns({ open }: StoreContract): void {
	describe('items without a run id', () => {
		it('share one implicit run per execution and source, and block other executions', async () => {
			const store = await open();
			const [a] = await store.items.check([item('file-0')], { executionId: 'exec-1' });
			const [b] = await store.items.check([item('file-1')], { executionId: 'exec-1' });
			const [other] = await store.items.check([item('file-0')], { executionId: 'exec-2' });
			expect(a.runId).toBe(b.runId);
			expect(await store.runs.get(a.runId)).toMatchObject({ implicit: true, executionId: 'exec-1' });
			expect(other).toMatchObject({ change: 'unchanged', reason: 'claimed_by_other_run', claimedByRunId: a.runId });
		});

		it('find the run that listed them in the same execution', async () => {
			const store = await open();
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-7' });
			expect((await store.items.check([item('file-0')], { executionId: 'exec-7' }))[0].runId).toBe(runId);
		});

		it('finish their implicit run once everything it emitted is committed', async () => {
			const store = await open();
			const [checked] = await store.items.check([item('file-0')], { executionId: 'exec-1' });
			expect((await store.runs.get(checked.runId))?.status).toBe('running');
			await store.items.commit([item('file-0')], { executionId: 'exec-1' });
			expect(await store.runs.get(checked.runId)).toMatchObject({
				status: 'success',
				counts: expect.objectContaining({ committed: 1 }),
			});
		});

		it('ignore a run id that belongs to another source', async () => {
			const store = await open();
			const notionRun = await store.runs.start({ sourceKey: OTHER_SOURCE, provider: 'notion' });
			const [checked] = await store.items.check([{ ...item('file-0'), run_id: notionRun }], { executionId: 'exec-1' });
			expect(checked.runId).not.toBe(notionRun);
			expect((await store.runs.get(checked.runId))?.sourceKey).toBe(SOURCE);
		});
	});
}
