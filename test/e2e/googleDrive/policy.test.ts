import * as path from 'node:path';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { ingestionPipeline, linearWorkflow, workflowId, type NodeSpec } from '../harness/workflows';

/** The administrator's ORG_CONNECTORS_* variables, set in n8n's environment. */
describe('org policy applied by Google Drive Connector listChanges in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	let listNode: NodeSpec;
	const listOnly = workflowId('policylist');
	const pipeline = workflowId('policypipe');

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Team' });
		for (const name of ['a.txt', 'b.txt', 'c.txt']) {
			google.addFile({ name, parent: folder.id, mimeType: 'text/plain', content: name });
		}
		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
		listNode = {
			name: 'List Changes',
			type: NODE_TYPES.googleDriveConnector,
			parameters: {
				operation: 'listChanges',
				source: 'folder',
				sourceFolderId: { __rl: true, mode: 'id', value: folder.id },
			},
			credentials: driveCredentials,
		};
		await n8n.importWorkflow(linearWorkflow(listOnly, [listNode]));
		await n8n.importWorkflow(ingestionPipeline(pipeline, listNode, ingestion.url));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await google?.close();
	});

	it('fails at once, before any Drive request, when the provider is disabled', async () => {
		google.resetRequestLog();
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ENABLED_PROVIDERS: 'notion' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/google_drive|Google Drive/);
		expect(run.error?.message).toMatch(/disabled|not enabled/i);
		expect(google.driveRequests()).toEqual([]);
	});

	it('fails naming the account and the allowed domains when the account is outside them', async () => {
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example' });
		expect(run.status).toBe('error');
		expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(/alice@example\.com/);
		expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(/corp\.example/);
	});

	it('fails loudly, naming the variable, on a bad policy value', async () => {
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_MAX_FILE_SIZE_MB: '-1' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/ORG_CONNECTORS_MAX_FILE_SIZE_MB/);
	});

	it('caps files per run and brings the rest on the next runs, dropping nothing', async () => {
		const capped = { ORG_CONNECTORS_MAX_FILES_PER_RUN: '2' };
		const seen: string[] = [];
		for (const expected of [2, 1, 0]) {
			ingestion.received.length = 0;
			const run = await n8n.execute(pipeline, capped);
			expect(run.status).toBe('success');
			expect(run.outputs['List Changes'][0]).toHaveLength(expected);
			seen.push(...ingestion.received.map((d) => d.id));
		}
		expect(seen).toHaveLength(3);
		expect(new Set(seen).size).toBe(3);
	});
});
