import * as path from 'node:path';

import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import type { FakeItem } from '../../fakes/graphModel';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { exportingIngestionPipeline, routedByCheck, workflowId } from '../harness/workflows';

const CREDENTIAL = { id: 'oneDriveCredential1', name: 'OneDrive (fake)' };
const credentials = { microsoftOneDriveConnectorOAuth2Api: CREDENTIAL };

/**
 * List Changes → Check → Export → ingestion → Commit against the fake Microsoft Graph, three
 * executions in one n8n: the first refreshes the expired token through the credential's token
 * URL, the second follows a change sequence, the third runs under a policy that allows only PDF.
 */
describe('OneDrive Connector in a real n8n', () => {
	let graph: FakeGraph;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	const id = workflowId('onedrivepipeline');
	const files: Record<string, FakeItem> = {};
	let runs: WorkflowRun[] = [];

	const byId = (ids: string[]) => ids.map((fileId) => Object.keys(files).find((name) => files[name].id === fileId)).sort();

	beforeAll(async () => {
		graph = await startFakeGraph();
		const root = graph.addFolder({ name: 'Handbook' });
		const outside = graph.addFolder({ name: 'Elsewhere' });
		const policies = graph.addFolder({ name: 'Policies', parent: root.id });
		files.plan = graph.addFile({ name: 'plan.docx', parent: root.id, content: 'PK-plan-v1' });
		files.welcome = graph.addFile({ name: 'welcome.md', parent: root.id, content: '# Hi' });
		files.leave = graph.addFile({ name: 'leave.pdf', parent: policies.id, content: '%PDF-leave' });
		files.rules = graph.addFile({ name: 'rules.md', parent: policies.id, content: 'rules' });
		files.notebook = graph.addNotebook({ name: 'Team Notebook', parent: root.id });
		files.stray = graph.addFile({ name: 'stray.txt', parent: outside.id, content: 'stray' });
		const tokens = graph.issueTokens();
		graph.expireAccessTokens();

		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create({ CONNECTORS_MICROSOFT_GRAPH_URL: graph.origin, CONNECTORS_MICROSOFT_LOGIN_URL: graph.origin });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'microsoftOneDriveConnectorOAuth2Api', data: { tenantId: 'common', clientId: graph.clientId, clientSecret: graph.clientSecret, oauthTokenData: { ...tokens } } },
		]);
		await n8n.importWorkflow(
			exportingIngestionPipeline(
				id,
				{
					name: 'List Changes',
					type: NODE_TYPES.oneDriveConnector,
					parameters: {
						operation: 'listChanges',
						source: 'folder',
						sourceDriveId: { __rl: true, mode: 'list', value: 'me' },
						sourceFolderId: { __rl: true, mode: 'id', value: root.id },
						recursive: true,
					},
					credentials,
				},
				{ name: 'Export', type: NODE_TYPES.oneDriveConnector, parameters: { operation: 'export' }, credentials },
				ingestion.url,
			),
		);

		const execute = async (env: NodeJS.ProcessEnv = {}) => {
			ingestion.received.length = 0;
			graph.resetRequestLog();
			runs.push(await n8n.execute(id, env));
		};
		runs = [];
		await execute();
		graph.editContent(files.welcome.id, '# Hi again');
		graph.rename(files.rules.id, 'house rules.md');
		graph.move(files.stray.id, root.id);
		graph.move(files.leave.id, outside.id);
		graph.remove(files.plan.id);
		graph.rename(policies.id, 'Rules');
		await execute();
		files.memo = graph.addFile({ name: 'memo.docx', parent: root.id, content: 'PK-memo' });
		await execute({ ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'pdf,md,txt' });
	}, 120_000);

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await graph?.close();
	});

	it('refreshes the expired token through the credential token URL and lists and exports the whole folder', () => {
		const [first] = runs;
		expect(first.status).toBe('success');
		expect(graph.tokenRefreshCount).toBe(1);
		expect(first.outputs['List Changes'][0].map((item) => item.path).sort()).toEqual(['/Policies/leave.pdf', '/Policies/rules.md', '/Team Notebook', '/plan.docx', '/welcome.md']);
		const exported = first.outputs.Export[0];
		expect(exported.find((item) => item.name === 'plan.docx')).toMatchObject({ export_format: 'docx', content_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(first.outputs.Export[1].map((item) => [item.name, item.skip_reason])).toEqual([['Team Notebook', 'not_downloadable']]);
		expect(byId(routedByCheck(first.outputs).new)).toEqual(['leave', 'notebook', 'plan', 'rules', 'welcome']);
	});

	it('turns an edit, a rename, a move in, a move out, a delete and a folder rename into Changed, New and Deleted with new paths', () => {
		const second = runs[1];
		expect(second.status).toBe('success');
		const listed = second.outputs['List Changes'][0];
		expect(listed.filter((item) => item.change === 'upsert').map((item) => item.path).sort()).toEqual(['/Rules/house rules.md', '/stray.txt', '/welcome.md']);
		const routed = routedByCheck(second.outputs);
		expect(byId(routed.changed)).toEqual(['rules', 'welcome']);
		expect(byId(routed.new)).toEqual(['stray']);
		expect(byId(routed.deleted)).toEqual(['leave', 'plan']);
	});

	it('converts a Word document to PDF through Graph where the org policy allows only PDF among Office types', () => {
		const third = runs[2];
		expect(third.status).toBe('success');
		expect(third.outputs.Export[0].map((item) => [item.name, item.export_format, item.export_mime])).toEqual([['memo.docx', 'pdf', 'application/pdf']]);
		expect(graph.requests.some((request) => request.path === `/v1.0/drives/${graph.myDrive.id}/items/${files.memo.id}/content` && request.query.format === 'pdf')).toBe(true);
	});

	it('names its fields ($select) on every Graph request but downloads, and never logs a secret', () => {
		const metadata = graph.graphRequests().filter((request) => !request.path.endsWith('/content'));
		expect(metadata.length).toBeGreaterThan(0);
		for (const request of metadata) expect(request.query.$select).toEqual(expect.any(String));
		expect(n8n.allLogs()).not.toContain(graph.clientSecret);
	});
});
