import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

import { Client } from 'pg';

import { examples, withIngestionUrl } from '../../../scripts/demo/examples';
import { SANDBOX_IDS, startSandbox, type Sandbox } from '../../../scripts/demo/sandbox';
import { waitFor } from '../harness/n8n';
import type { WorkflowFixture } from '../harness/n8n';
import { perWorker, runWebhooksAtOnce, type WebhookBurst } from './harness/executions';
import { QueueSession } from './harness/session';

const WEBHOOK_PATH = 'connectors-queue-drive-example';
const EXECUTIONS = 6;
/** Long enough that all six are queued before the first lists the folder: both workers take some. */
const HOLD_SECONDS = 2;

/**
 * The shipped Drive example as a webhook workflow: the triggers give way to a webhook, and a short
 * hold before listing lets executions started at once list, check and commit side by side.
 */
function driveExampleOnWebhook(indexUrl: string, id = 'queueDriveExample1', path = WEBHOOK_PATH, provider: 'google_drive' | 'notion' = 'google_drive'): WorkflowFixture {
	const example = examples().find((entry) => entry.provider === provider);
	if (example === undefined) throw new Error(`examples/ has no ${provider} example`);
	const workflow = withIngestionUrl(example.workflow, indexUrl);
	const nodes = (workflow.nodes as Array<{ name: string; type: string; position?: number[] }>).filter(
		(node) => !node.type.endsWith('.scheduleTrigger') && !node.type.endsWith('.manualTrigger'),
	);
	const connections = { ...(workflow.connections as Record<string, unknown>) };
	delete connections['Every Hour'];
	delete connections['Run Now'];
	return {
		...workflow,
		id,
		nodes: [
			...nodes,
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				name: 'Hold',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [200, 0],
				parameters: { resume: 'timeInterval', amount: HOLD_SECONDS, unit: 'seconds' },
			},
		],
		connections: {
			...connections,
			Webhook: { main: [[{ node: 'Hold', type: 'main', index: 0 }]] },
			Hold: { main: [[{ node: 'Config', type: 'main', index: 0 }]] },
		},
	} as WorkflowFixture;
}

/**
 * The connectors' state in n8n's own PostgreSQL (the cluster sets no connectors setting): six
 * executions of the Drive example at once, spread over both workers, ingest every document once.
 */
describe('Queue mode: the Drive example started six times at once on two workers sharing the state in PostgreSQL', () => {
	let sandbox: Sandbox;
	let session: QueueSession;
	let burst: WebhookBurst;
	let database: Client;
	let workflowIdOfExample = '';

	const exampleRuns = async (executionIds: readonly string[]) =>
		(
			await database.query<{
				id: number;
				execution_id: string;
				worker: string;
				status: string;
				started_at: string;
				finished_at: string | null;
				count_committed: number;
				count_failed: number;
				error_samples: string;
			}>(
				`SELECT id::int, execution_id, worker, status, started_at, finished_at, count_committed::int, count_failed::int, error_samples FROM n8n_connectors.runs runs
				 JOIN n8n_connectors.sync_state USING (source_id)
				 WHERE source_key LIKE 'google_drive:%1AcmeHandbookSandboxFolder000001%' AND implicit = 0 AND execution_id = ANY($1::text[])`,
				[executionIds],
			)
		).rows;

	beforeAll(async () => {
		sandbox = await startSandbox();
		session = await QueueSession.open({ fakes: { google: sandbox.fakes.google, notion: sandbox.fakes.notion } });
		await session.importCredentials(sandbox.credentials());
		const workflow = driveExampleOnWebhook(sandbox.index.url);
		await session.importWorkflow(workflow);
		await session.activate(workflow.id);
		burst = await runWebhooksAtOnce(session, { workflowId: workflow.id, webhookPath: WEBHOOK_PATH, count: EXECUTIONS, method: 'POST', body: (call) => ({ call }) });
		workflowIdOfExample = workflow.id;
		const env = session.cluster.databaseEnv;
		database = new Client({
			host: env.DB_POSTGRESDB_HOST,
			port: Number(env.DB_POSTGRESDB_PORT),
			database: env.DB_POSTGRESDB_DATABASE,
			user: env.DB_POSTGRESDB_USER,
			password: env.DB_POSTGRESDB_PASSWORD,
		});
		await database.connect();
	}, 240_000);

	afterAll(async () => {
		await database?.end();
		await session?.close();
		await sandbox?.close();
	});

	it('runs all six to success, on both workers', () => {
		expect(burst.executions.map((execution) => execution.status)).toEqual(Array(EXECUTIONS).fill('success'));
		expect(Object.keys(perWorker(burst.executions)).sort()).toEqual(session.workerNames);
	});

	it('sends every document to the index exactly once: nothing twice, nothing missed', () => {
		// Every POST to the index counts as an upsert: as many as documents means none was sent twice.
		expect(sandbox.index.stats).toMatchObject({ documents: sandbox.drive.importable, upserts: sandbox.drive.importable, failed: 0 });
	});

	it('commits the folder’s cursor in the shared schema, and keeps no claim behind', async () => {
		const sources = await database.query<{ source_key: string; committed_cursor: string | null }>(
			"SELECT source_key, committed_cursor FROM n8n_connectors.sync_state WHERE source_key LIKE 'google_drive:%1AcmeHandbookSandboxFolder000001%'",
		);
		expect(sources.rows).toHaveLength(1);
		expect(sources.rows[0].committed_cursor).not.toBeNull();
		const claims = await database.query('SELECT count(*)::int AS left FROM n8n_connectors.claims');
		expect(claims.rows[0]).toEqual({ left: 0 });
	});

	it('keeps a run record per execution saying which worker ran it and what it did', async () => {
		const byExecution = new Map(burst.executions.map((execution) => [execution.id, execution.worker]));
		const runs = { rows: await exampleRuns([...byExecution.keys()]) };
		const pidOf = new Map(session.cluster.workers.map((worker) => [worker.pid, worker.name]));
		expect(runs.rows.map((run) => run.execution_id).sort()).toEqual([...byExecution.keys()].sort());
		for (const run of runs.rows) {
			// With what went wrong, should a run not succeed.
			expect({ status: run.status, failed: run.count_failed, errors: JSON.parse(run.error_samples) }).toEqual({ status: 'success', failed: 0, errors: [] });
			// host:pid of the worker process, the same worker n8n's own logs name.
			expect(pidOf.get(Number(run.worker.split(':').pop()))).toBe(byExecution.get(run.execution_id));
		}
		expect(runs.rows.reduce((sum, run) => sum + run.count_committed, 0)).toBe(sandbox.drive.importable);
	});

	describe('the Notion example, six times at once', () => {
		const NOTION_PATH = 'connectors-queue-notion-example';
		let notionBurst: WebhookBurst;
		let upsertsBefore = 0;

		beforeAll(async () => {
			const workflow = driveExampleOnWebhook(sandbox.index.url, 'queueNotionExample1', NOTION_PATH, 'notion');
			await session.importWorkflow(workflow);
			await session.activate(workflow.id);
			upsertsBefore = sandbox.index.stats.upserts;
			notionBurst = await runWebhooksAtOnce(session, { workflowId: workflow.id, webhookPath: NOTION_PATH, count: EXECUTIONS, method: 'POST', body: (call) => ({ call }) });
		}, 240_000);

		it('runs all six on both workers and sends every page once, committing the page tree’s cursor', async () => {
			expect(notionBurst.executions.map((execution) => execution.status)).toEqual(Array(EXECUTIONS).fill('success'));
			expect(Object.keys(perWorker(notionBurst.executions)).sort()).toEqual(session.workerNames);
			expect(sandbox.index.stats.upserts - upsertsBefore).toBe(sandbox.notion.importable);
			const sources = await database.query<{ committed_cursor: string | null }>(
				`SELECT committed_cursor FROM n8n_connectors.sync_state WHERE source_key LIKE 'notion:%' || $1 || '%'`,
				[sandbox.notion.rootPageId],
			);
			expect(sources.rows).toHaveLength(1);
			expect(sources.rows[0].committed_cursor).not.toBeNull();
		});
	});

	describe('with ORG_CONNECTORS_MAX_CONCURRENT_RUNS at 2 (the policy file every process reads)', () => {
		const LIMIT = 2;
		let limited: WebhookBurst;
		let upsertsBefore = 0;
		let deletesBefore = 0;

		beforeAll(async () => {
			// Runs that stay open: each lists an edit and a deletion, and waits for the first to commit them.
			sandbox.editUpstream();
			upsertsBefore = sandbox.index.stats.upserts;
			deletesBefore = sandbox.index.stats.deletes;
			fs.writeFileSync(session.cluster.policyFile, JSON.stringify({ maxConcurrentRuns: LIMIT }));
			// A slow index keeps the first runs open while the others, released by the same hold, ask for a slot.
			sandbox.index.delayWrites(3000);
			try {
				limited = await runWebhooksAtOnce(session, { workflowId: workflowIdOfExample, webhookPath: WEBHOOK_PATH, count: EXECUTIONS, method: 'POST', body: (call) => ({ call }) });
			} finally {
				sandbox.index.delayWrites(0);
				fs.writeFileSync(session.cluster.policyFile, '{}\n');
			}
		}, 240_000);

		it('refuses the executions beyond the limit, on whichever worker they run, naming the limit', () => {
			const refused = limited.executions.filter((execution) => execution.status === 'error');
			expect(refused.length).toBeGreaterThan(0);
			expect(refused.length).toBeLessThanOrEqual(EXECUTIONS - 1);
			for (const execution of refused) {
				expect(execution.run.nodeErrors['List Changes']?.message ?? execution.run.error?.message).toMatch(/allows at most 2 at a time/);
			}
		});

		it('never has more than 2 runs open at once across both workers', async () => {
			const admitted = limited.executions.filter((execution) => execution.status === 'success').map((execution) => execution.id);
			const runs = await exampleRuns(admitted);
			expect(runs).toHaveLength(admitted.length);
			const events = runs.flatMap((run) => [
				{ at: Date.parse(run.started_at), open: 1 },
				{ at: Date.parse(run.finished_at ?? new Date().toISOString()), open: -1 },
			]);
			// At one instant a finish counts before a start: a freed slot is what lets the next run in.
			events.sort((left, right) => left.at - right.at || left.open - right.open);
			let open = 0;
			let peak = 0;
			for (const event of events) peak = Math.max(peak, (open += event.open));
			expect(peak).toBeLessThanOrEqual(LIMIT);
		});

		it('still sends the edit once and the deletion once', () => {
			expect(sandbox.index.stats.upserts - upsertsBefore).toBe(1);
			expect(sandbox.index.stats.deletes - deletesBefore).toBe(1);
		});
	});

	describe('when a worker is killed with SIGKILL in the middle of a run', () => {
		const KILL_PATH = 'connectors-queue-drive-kill';
		const LEASE_SECONDS = 5;
		const NEW_FILES = 8;
		let killedWorker = '';
		let sentBeforeKill = 0;
		let recovery: WebhookBurst;
		let upsertsBeforeRecovery = 0;

		beforeAll(async () => {
			// The example with a short Check lease: a dead run's claims lapse within the test.
			const workflow = driveExampleOnWebhook(sandbox.index.url, 'queueDriveExample2', KILL_PATH);
			const check = (workflow.nodes as Array<{ name: string; parameters: { checkOptions?: { leaseMinutes: number } } }>).find((node) => node.name === 'Check');
			if (check?.parameters.checkOptions) check.parameters.checkOptions.leaseMinutes = LEASE_SECONDS / 60;
			await session.importWorkflow(workflow);
			await session.activate(workflow.id);
			for (let file = 0; file < NEW_FILES; file++) {
				sandbox.fakes.google.addFile({ name: `late-${file}.md`, parent: SANDBOX_IDS.driveFolder, mimeType: 'text/markdown', content: `# Late ${file}` });
			}
			// The index holds every write long enough for the worker to die with its documents sent and none committed.
			sandbox.index.delayWrites(8_000);
			const upserts = sandbox.index.stats.upserts;
			await fetch(session.webhookUrl(KILL_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await waitFor(async () => sandbox.index.pendingWrites > 0, 60_000, 'the run to send its first document');
			const [running] = (
				await database.query<{ worker: string }>(
					`SELECT worker FROM n8n_connectors.runs WHERE status = 'running' AND implicit = 0 AND count_new > 0 ORDER BY id DESC LIMIT 1`,
				)
			).rows;
			const pid = Number(running.worker.split(':').pop());
			killedWorker = session.cluster.workers.find((worker) => worker.pid === pid)?.name ?? '';
			expect(session.workerNames).toContain(killedWorker);
			await session.killWorker(killedWorker);
			sandbox.index.delayWrites(0);
			sentBeforeKill = sandbox.index.pendingWrites;
			await waitFor(async () => sandbox.index.pendingWrites === 0, 30_000, 'the held writes to be answered');
			expect(sandbox.index.stats.upserts - upserts).toBeLessThanOrEqual(NEW_FILES);
			// Back to two workers while the dead run's claims lapse.
			await Promise.all([session.startWorker(killedWorker), new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 1) * 1000))]);
			upsertsBeforeRecovery = sandbox.index.stats.upserts;
			recovery = await runWebhooksAtOnce(session, { workflowId: workflow.id, webhookPath: KILL_PATH, count: 1, method: 'POST', body: () => ({}) });
		}, 300_000);

		it('the next run sends every document the dead run did not commit, each once, and commits the cursor', async () => {
			expect(sentBeforeKill).toBeGreaterThan(0);
			expect(recovery.executions.map((execution) => execution.status)).toEqual(['success']);
			// Nothing of the dead run was committed: the next run delivers all of it, once each.
			expect(sandbox.index.stats.upserts - upsertsBeforeRecovery).toBe(NEW_FILES);
			const names = sandbox.index.list().map((document) => document.name);
			for (let file = 0; file < NEW_FILES; file++) expect(names).toContain(`late-${file}.md`);
			const [recovered] = await exampleRuns(recovery.executions.map((execution) => execution.id));
			expect(recovered).toMatchObject({ status: 'success', count_committed: NEW_FILES });
			const [source] = (
				await database.query<{ committed_run_id: number }>(
					"SELECT committed_run_id::int FROM n8n_connectors.sync_state WHERE source_key LIKE 'google_drive:%1AcmeHandbookSandboxFolder000001%'",
				)
			).rows;
			expect(source.committed_run_id).toBe(recovered.id);
		});
	});
});
