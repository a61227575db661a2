import * as fs from 'node:fs';
import * as path from 'node:path';

import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance } from '../harness/n8n';
import { locator, notionApiCredential, notionEnvironment, notionNode } from '../harness/notion';
import { NODE_TYPES } from '../harness/paths';
import { exportingIngestionPipeline, linearWorkflow, workflowId } from '../harness/workflows';

type Item = Record<string, unknown>;
const paths = (items: Item[] = []) => items.map((item) => item.path).sort();

/** The administrator's ORG_CONNECTORS_* variables and policy file, set in n8n's environment, applied by Notion Connector. */
describe('org policy applied by Notion Connector in a real n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	let handbookId: string;
	const listOnly = workflowId('notionpolicylist');
	const pipeline = workflowId('notionpolicypipe');

	const listNode = () =>
		notionNode('List Changes', { operation: 'listChanges', source: 'pageTree', sourcePageId: locator('id', handbookId) });
	const failure = (run: { error?: { message: string; description?: string | null } }) =>
		`${run.error?.message ?? ''} ${run.error?.description ?? ''}`;

	beforeAll(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		handbookId = notion.addPage({ title: 'Handbook', children: [b.paragraph('Start here.')] }).id;
		notion.addPage({ title: 'Welcome', parent: handbookId, children: [b.paragraph('Hello.')] });
		const policies = notion.addPage({ title: 'Policies', parent: handbookId, children: [b.paragraph('Rules.')] });
		notion.addPage({ title: 'Salaries', parent: policies.id, children: [b.paragraph('Confidential.')] });

		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create(notionEnvironment(notion));
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([notionApiCredential(notion)]);
		await n8n.importWorkflow(linearWorkflow(listOnly, [listNode()]));
		await n8n.importWorkflow(exportingIngestionPipeline(pipeline, listNode(), notionNode('Export', { operation: 'export' }), ingestion.url));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await notion?.close();
	});

	it('fails at once, before any Notion request, when the provider is disabled', async () => {
		notion.resetRequestLog();
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ENABLED_PROVIDERS: 'google_drive' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^The Notion connector is disabled by the org policy \(enabled providers: google_drive\)/);
		expect(failure(run)).toMatch(/ORG_CONNECTORS_ENABLED_PROVIDERS/);
		expect(notion.requests).toEqual([]);
	});

	it("fails naming the integration owner and the allowed domains when the owner's domain is not allowed", async () => {
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example' });
		expect(run.status).toBe('error');
		expect(failure(run)).toMatch(/alice@example\.com/);
		expect(failure(run)).toMatch(/allowed: corp\.example/);
	});

	it('fails naming the workspace and the allowed ones when the workspace is not allowed', async () => {
		const allowed = '0123456789abcdef0123456789abcdef';
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES: allowed });
		expect(run.status).toBe('error');
		expect(failure(run)).toContain(`The Notion workspace "${notion.workspace.name}" (${notion.workspace.id})`);
		expect(failure(run)).toContain('allowed: 01234567-89ab-cdef-0123-456789abcdef');

		const admitted = await n8n.execute(listOnly, {
			ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES: notion.workspace.id,
			ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'example.com',
		});
		expect(admitted.status).toBe('success');
	});

	it('skips pages under a denied path of the page tree, counts them, and moves the cursor past them', async () => {
		const policyFile = path.join(n8n.userFolder, 'connectors-policy.json');
		fs.writeFileSync(policyFile, JSON.stringify({ providers: { notion: { paths: { deny: ['/Handbook/Policies/**'] } } } }));
		const env = { ORG_CONNECTORS_POLICY_FILE: policyFile, ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'md' };

		const run = await n8n.execute(pipeline, env);
		expect(run.status).toBe('success');
		const [listed, skipped] = run.outputs['List Changes'];
		expect(paths(listed)).toEqual(['/Handbook', '/Handbook/Welcome']);
		expect(paths(skipped)).toEqual(['/Handbook/Policies', '/Handbook/Policies/Salaries']);
		expect(skipped.map((item) => item.skip_reason)).toEqual(['policy_path', 'policy_path']);
		expect(skipped.map((item) => item.skip_detail)).toContain(
			'/Handbook/Policies/Salaries is in a path the org policy denies (/Handbook/Policies/**)',
		);
		expect(run.outputs.Export[0].map((item) => item.export_format)).toEqual(['md', 'md']);
		expect(ingestion.received).toHaveLength(2);

		const sourceKey = String(listed[0].source_key);
		const statusId = workflowId('notionpolicystatus');
		await n8n.importWorkflow(
			linearWorkflow(statusId, [{ name: 'Status', type: NODE_TYPES.connectorDedup, parameters: { operation: 'status', sourceKey } }]),
		);
		// A status workflow of its own reads another workflow's source: the administrator names it.
		const [status] = (await n8n.execute(statusId, { ...env, CONNECTORS_STATE_ADMIN_WORKFLOWS: statusId })).outputs.Status[0];
		expect(status).toMatchObject({
			last_run_status: 'success',
			last_run_skipped_by_reason: { policy_path: 2 },
			last_run_policy: expect.objectContaining({
				allowedFileTypes: ['md'],
				paths: expect.objectContaining({ notion: { allow: 'any', deny: ['/Handbook/Policies/**'] } }),
			}),
		});
		expect(status.cursor_committed_at).toEqual(expect.stringMatching(/^\d{4}-/));
	});
});
