import { randomUUID } from 'node:crypto';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { NODE_TYPES } from '../harness/paths';
import { linearWorkflow, routedByCheck, workflowId, type NodeSpec } from '../harness/workflows';
import { WORKER_CONCURRENCY } from './harness/cluster';
import { perWorker, runWebhooksAtOnce } from './harness/executions';
import { QueueSession } from './harness/session';

const DRIVE_PATH = 'connectors-queue-drive';
const DEDUP_PATH = 'connectors-queue-dedup';

function webhook(path: string, httpMethod: 'GET' | 'POST'): NodeSpec {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod, path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

/**
 * The package as users run it in queue mode: installed in each worker's own
 * user folder, its nodes run by whichever worker takes the execution, its Drive
 * requests sent from there (to the fake Drive, through the cluster's relay).
 */
describe("The package's nodes on n8n queue-mode workers", () => {
	let google: FakeGoogle;
	let session: QueueSession;
	const files: Record<string, string> = {};
	const driveId = workflowId('queuedrive');
	const dedupId = workflowId('queuededup');
	// This run's own documents: a worker's cache has never seen them.
	const runTag = randomUUID().slice(0, 8);

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Handbook' });
		const policies = google.addFolder({ name: 'Policies', parent: folder.id });
		files.welcome = google.addFile({ name: 'welcome.md', parent: folder.id, mimeType: 'text/markdown', content: '# Hi' }).id;
		files.leave = google.addFile({ name: 'leave.pdf', parent: policies.id, mimeType: 'application/pdf', content: 'pdf' }).id;
		files.plan = google.addFile({ name: 'Plan', parent: folder.id, mimeType: 'application/vnd.google-apps.document' }).id;

		session = await QueueSession.open({ fakes: { google } });
		await session.importCredentials([driveCredential(google, google.issueTokens())]);
		await session.importWorkflow(
			linearWorkflow(
				driveId,
				[
					{
						name: 'List Changes',
						type: NODE_TYPES.googleDriveConnector,
						parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folder.id }, recursive: true },
						credentials: driveCredentials,
					},
					{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
				],
				webhook(DRIVE_PATH, 'GET'),
			),
		);
		await session.importWorkflow(
			linearWorkflow(
				dedupId,
				[
					{
						name: 'Document',
						type: 'n8n-nodes-base.code',
						typeVersion: 2,
						parameters: {
							jsCode: [
								'const { id } = $input.first().json.body;',
								'return [{ json: {',
								"  provider: 'google_drive', external_id: id, source_key: `google_drive:alice@example.com:folder:${id}`,",
								"  name: `${id}.txt`, path: `/${id}.txt`, mime: 'text/plain', size: 10, version: '1', hash: null,",
								"  modified_at: '2026-11-01T10:00:00.000Z', change: 'upsert',",
								'} }];',
							].join('\n'),
						},
					},
					{ name: 'Hold', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: 2, unit: 'seconds' } },
					{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
				],
				webhook(DEDUP_PATH, 'POST'),
			),
		);
		await session.activate(driveId);
		await session.activate(dedupId);
	});

	afterAll(async () => {
		await session?.close();
		await google?.close();
	});

	it('runs Google Drive Connector listChanges into Connector Dedup check on a worker, which lists the fake Drive and answers the new files', async () => {
		google.resetRequestLog();
		const { answers, executions } = await runWebhooksAtOnce(session, { workflowId: driveId, webhookPath: DRIVE_PATH, count: 1 });

		expect(executions).toHaveLength(1);
		const [execution] = executions;
		expect(execution.status).toBe('success');
		expect(session.workerNames).toContain(execution.worker);
		expect(execution.run.outputs['List Changes'][0].map((item) => item.path).sort()).toEqual(['/Plan', '/Policies/leave.pdf', '/welcome.md']);
		expect(routedByCheck(execution.run.outputs).new).toEqual(Object.values(files).sort());
		expect(answers[0].status).toBe(200);
		expect((answers[0].body as Array<Record<string, unknown>>).map((item) => [item.external_id, item.change]).sort()).toEqual(
			Object.values(files).sort().map((id) => [id, 'new']),
		);
		// The worker, not the test, talked to Drive: with the token from n8n's credential store.
		expect(google.driveRequests().map((request) => request.headers.authorization)).toContain('Bearer');
		expect(google.internalErrors).toEqual([]);
	});

	it('loads Connector Dedup on every worker: checks started at once all run, on both workers, each routing its document to New', async () => {
		const count = 2 * WORKER_CONCURRENCY;
		const ids = Array.from({ length: count }, (_, call) => `queue-${runTag}-${call}`);
		const { executions } = await runWebhooksAtOnce(session, { workflowId: dedupId, webhookPath: DEDUP_PATH, count, method: 'POST', body: (call) => ({ id: ids[call] }) });

		expect(executions.map((execution) => execution.status)).toEqual(Array(count).fill('success'));
		expect(Object.keys(perWorker(executions)).sort()).toEqual(session.workerNames);
		expect(executions.flatMap((execution) => routedByCheck(execution.run.outputs).new).sort()).toEqual([...ids].sort());
	});
});
