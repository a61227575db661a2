import { randomUUID } from 'node:crypto';

import { linearWorkflow, workflowId } from '../harness/workflows';
import { PROCESS_NAME_ENV, WORKER_CONCURRENCY } from './harness/cluster';
import { perWorker, runWebhooksAtOnce, type WebhookBurst } from './harness/executions';
import { QueueSession } from './harness/session';

const WEBHOOK_PATH = 'connectors-queue-spread';
/** Long enough that every call is queued before the first execution ends: one worker alone cannot take them all. */
const HOLD_SECONDS = 3;
const CALLS = 2 * WORKER_CONCURRENCY;

/**
 * Webhook calls to one workflow, all at once, in queue mode: the main enqueues
 * an execution per call and the workers take them from Redis. Each execution
 * waits a few seconds, then writes down where it ran (from its process's
 * environment) and which call it answers.
 */
describe('n8n in queue mode: executions of one webhook workflow started at once', () => {
	let session: QueueSession;
	let burst: WebhookBurst;
	const id = workflowId('queuespread');

	beforeAll(async () => {
		session = await QueueSession.open();
		await session.importWorkflow(
			linearWorkflow(
				id,
				[
					{ name: 'Hold', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: HOLD_SECONDS, unit: 'seconds' } },
					{
						name: 'Where',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						parameters: {
							assignments: {
								assignments: [
									{ id: 'call', name: 'call', type: 'number', value: "={{ $('Webhook').item.json.body.call }}" },
									{ id: 'ranOn', name: 'ranOn', type: 'string', value: `={{ $env.${PROCESS_NAME_ENV} }}` },
									{ id: 'execution', name: 'execution', type: 'string', value: '={{ $execution.id }}' },
								],
							},
							options: {},
						},
					},
				],
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
				},
			),
		);
		await session.activate(id);
		burst = await runWebhooksAtOnce(session, { workflowId: id, webhookPath: WEBHOOK_PATH, count: CALLS, method: 'POST', body: (call) => ({ call }) });
	});

	afterAll(async () => {
		await session?.close();
	});

	it('runs every call to success, each answering its own call', () => {
		expect(burst.executions.map((execution) => execution.status)).toEqual(Array(CALLS).fill('success'));
		expect(burst.answers.map((answer) => answer.status)).toEqual(Array(CALLS).fill(200));
		expect(burst.answers.map((answer) => (answer.body as { call: number }).call)).toEqual([...Array(CALLS).keys()]);
	});

	it('spreads the executions over both workers, none running more than its concurrency at once', () => {
		const spread = perWorker(burst.executions);
		expect(Object.keys(spread).sort()).toEqual(session.workerNames);
		for (const worker of session.workerNames) expect(spread[worker].peak).toBeLessThanOrEqual(WORKER_CONCURRENCY);
		expect(Object.values(spread).reduce((sum, worker) => sum + worker.executions, 0)).toBe(CALLS);
	});

	it('ran each execution where the worker logs say: the item names that worker, never the main', () => {
		for (const execution of burst.executions) {
			const [item] = execution.run.outputs.Where[0];
			expect({ execution: item.execution, ranOn: item.ranOn }).toEqual({ execution: execution.id, ranOn: execution.worker });
		}
	});

	it('runs them side by side: the burst takes less than half as long as the calls one after another', () => {
		const starts = burst.executions.map((execution) => Date.parse(execution.startedAt));
		const stops = burst.executions.map((execution) => Date.parse(execution.stoppedAt));
		// Two workers taking five each need about one hold (plus overhead); one after another, ten.
		expect(Math.max(...stops) - Math.min(...starts)).toBeLessThan((CALLS * HOLD_SECONDS * 1000) / 2);
	});
});
