import * as path from 'node:path';

import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b, rt } from '../../fakes/notionBlocks';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import {
	NOTION_OAUTH2_CREDENTIAL,
	issueNotionOAuth2Tokens,
	locator,
	notionApiCredential,
	notionEnvironment,
	notionNode,
	notionOAuth2Credential,
	type NotionOAuth2Tokens,
} from '../harness/notion';
import { codeNode, graphWorkflow, manualTrigger, workflowId, type NodeSpec } from '../harness/workflows';

const HOUR = 60 * 60 * 1000;

/** Reads a binary property's text into `json[key]`, so the run output shows the exported Markdown. */
const readText = (name: string, key = 'markdown', binaryPropertyName = 'data'): NodeSpec => ({
	name,
	type: 'n8n-nodes-base.extractFromFile',
	typeVersion: 1,
	parameters: { operation: 'text', binaryPropertyName, destinationKey: key, options: { keepSource: 'both' } },
});

/**
 * listChanges → export → the Markdown, through each credential type: the internal
 * integration secret for a page tree, OAuth2 for a database. Nothing is committed, so each
 * execution exports everything again.
 */
describe('Notion Connector export in a real n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let first: WorkflowRun;
	let second: WorkflowRun;
	let guideId: string;
	let unsharedId: string;
	let oauthTokens: NotionOAuth2Tokens;
	const id = workflowId('notionexport');

	const exportedGuide = (run: WorkflowRun) => run.outputs['Read Guide'][0].find((item) => item.external_id === guideId);

	beforeAll(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		const guide = notion.addPage({
			title: 'Guide',
			children: [
				b.heading(1, 'Setup'),
				b.bulleted('Install', [b.bulleted('Node 24', [b.bulleted([rt.text('with', { bold: true }), ' npm'])])]),
				b.todo('Read the docs', true),
				b.code('npm ci', 'shell'),
				b.toggle('Details', [b.paragraph('Hidden text')]),
				b.image({ content: 'PNG-BYTES', name: 'chart.png', contentType: 'image/png' }, 'The chart'),
			],
		});
		guideId = guide.id;
		const tasks = notion.addDatabase({
			title: 'Tasks',
			dataSources: [
				{ properties: { Name: 'title', Status: { type: 'select', options: ['Todo', 'Done'] }, Due: 'date', Points: 'number' } },
			],
			rows: [{ title: 'Write spec', properties: { Status: 'Done', Due: '2025-02-01', Points: 3 }, children: [b.paragraph('Spec body.')] }],
		});
		unsharedId = notion.addPage({ title: 'Private', shared: false }).id;

		n8n = await N8nInstance.create(notionEnvironment(notion));
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		oauthTokens = issueNotionOAuth2Tokens(notion);
		await n8n.importCredentials([notionApiCredential(notion), notionOAuth2Credential(notion, oauthTokens)]);
		await n8n.importWorkflow(
			graphWorkflow(
				id,
				[
					manualTrigger(),
					notionNode('List Guide', { operation: 'listChanges', source: 'pageTree', sourcePageId: locator('id', guideId) }),
					notionNode('Export', { operation: 'export', exportOptions: { attachFiles: true } }),
					readText('Read Guide'),
					notionNode('Export Only Text', { operation: 'export', policyNarrowing: { allowedExportFormats: 'txt' } }),
					notionNode('Export No Images', { operation: 'export', exportOptions: { attachFiles: true }, policyNarrowing: { allowedFileTypes: 'md' } }),
					notionNode(
						'List Tasks',
						{ operation: 'listChanges', source: 'database', sourceDatabaseId: locator('url', `https://www.notion.so/${tasks.database.id.replace(/-/g, '')}?v=0123456789abcdef0123456789abcdef`) },
						{ authentication: 'oAuth2' },
					),
					notionNode('Export OAuth2', { operation: 'export' }, { authentication: 'oAuth2' }),
					readText('Read Row'),
					codeNode('Unshared', [{ provider: 'notion', external_id: unsharedId, source_key: 'notion:crafted:page', name: 'Private', path: '/Private', change: 'upsert' }]),
					notionNode('Export Unshared', { operation: 'export' }, { onError: 'continueRegularOutput' }),
				],
				[
					['Start', 'List Guide'],
					['List Guide', 'Export'],
					['Export', 'Read Guide'],
					['List Guide', 'Export Only Text'],
					['List Guide', 'Export No Images'],
					['Start', 'List Tasks'],
					['List Tasks', 'Export OAuth2'],
					['Export OAuth2', 'Read Row'],
					['Start', 'Unshared'],
					['Unshared', 'Export Unshared'],
				],
			),
		);
		first = await n8n.execute(id);
		// Every signed file URL handed out so far has expired by now; the page itself did not change.
		notion.advanceTime(2 * HOUR);
		// And the OAuth2 access token no longer works: n8n has to refresh it.
		notion.revokeToken(oauthTokens.access_token);
		second = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await notion?.close();
	});

	it('runs the workflow to success both times', () => {
		expect(first.status).toBe('success');
		expect(second.status).toBe('success');
		expect(notion.internalErrors).toEqual([]);
	});

	it('exports a page as Markdown in the binary property data, keeping nested lists, to-dos, code and toggles', () => {
		const item = exportedGuide(first);
		expect(item).toEqual(
			expect.objectContaining({
				export_format: 'md',
				export_mime: 'text/markdown',
				content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
			}),
		);
		const markdown = String(item?.markdown);
		expect(markdown).toMatch(/^---\ntitle: "Guide"\n/);
		expect(markdown).toContain('\n# Guide\n');
		// Body headings sit one level below the page title.
		expect(markdown).toContain('\n## Setup\n');
		expect(markdown).toContain('- Install\n  - Node 24\n    - **with** npm');
		expect(markdown).toContain('- [x] Read the docs');
		expect(markdown).toContain('```shell\nnpm ci\n```');
		expect(markdown).toContain('- Details\n\n  Hidden text');
		// Through the Markdown endpoint (the default), which names no blocks, a hosted file links to its page.
		expect(markdown).toMatch(/!\[The chart\]\(https:\/\/www\.notion\.so\/Guide-[0-9a-f]{32}\)/);
		expect(markdown).not.toContain('X-Amz-');
	});

	it('names the file after the page and attaches Notion-hosted files as file_0 when asked', () => {
		const [exported] = first.outputs.Export[0];
		expect(exported._binary).toEqual({
			data: expect.objectContaining({ fileName: 'Guide.md', mimeType: 'text/markdown' }),
			file_0: expect.objectContaining({ fileName: 'chart.png', mimeType: 'image/png', fileSize: expect.anything() }),
		});
	});

	it("keeps content_hash when only Notion's expiring file URLs changed", () => {
		const before = exportedGuide(first);
		const after = exportedGuide(second);
		expect(after?.markdown).toEqual(before?.markdown);
		expect(after?.content_hash).toBe(before?.content_hash);
	});

	it("exports a database row through OAuth2 with its properties as front-matter", () => {
		const [row] = second.outputs['Read Row'][0];
		expect(row).toEqual(expect.objectContaining({ name: 'Write spec', path: '/Write spec', export_format: 'md' }));
		const markdown = String(row.markdown);
		expect(markdown).toMatch(/^---\ntitle: "Write spec"\n/);
		expect(markdown).toMatch(/\nproperties:\n(?: {2}.*\n)*? {2}Due:\n {4}start: "2025-02-01"\n/);
		expect(markdown).toMatch(/\nproperties:\n(?: {2}.*\n)*? {2}Points: 3\n/);
		expect(markdown).toMatch(/\nproperties:\n(?: {2}.*\n)*? {2}Status: "Done"\n/);
		expect(markdown).toContain('\n# Write spec\n\nSpec body.\n');
	});

	it("refreshes a revoked OAuth2 token at the credential's token URL and saves the new one in n8n", async () => {
		expect(notion.tokenRefreshCount).toBe(1);
		const refreshes = notion.requests.filter((r) => r.path === '/v1/oauth/token');
		expect(refreshes.map((r) => [r.headers.authorization, (r.body as { grant_type?: string }).grant_type])).toEqual([['Basic', 'refresh_token']]);
		const stored = (await n8n.exportCredentials()).find((credential) => credential.id === NOTION_OAUTH2_CREDENTIAL.id);
		const tokenData = (stored?.data as { oauthTokenData: NotionOAuth2Tokens }).oauthTokenData;
		expect(tokenData.access_token).not.toBe(oauthTokens.access_token);
		expect(tokenData.refresh_token).not.toBe(oauthTokens.refresh_token);
	});

	it('holds attached files to the file type rules, naming each one left out and why', () => {
		const [exported] = first.outputs['Export No Images'][0];
		expect(Object.keys(exported._binary as object)).toEqual(['data']);
		expect(exported.attachments_skipped).toEqual([
			{ name: 'chart.png', skip_reason: 'policy_file_type', skip_detail: expect.stringContaining('chart.png') },
		]);
	});

	it('sends a page to Skipped when the node allows no Markdown export', () => {
		const [main, skipped] = first.outputs['Export Only Text'];
		expect(main).toEqual([]);
		expect(skipped).toEqual([
			expect.objectContaining({ external_id: guideId, skip_reason: 'policy_export_format', skip_detail: expect.stringContaining('md') }),
		]);
	});

	it('skips a page id no listing of its source emitted, without asking Notion for it, the node continuing', () => {
		const [exported, skipped] = first.outputs['Export Unshared'];
		expect(exported).toEqual([]);
		expect(skipped).toEqual([expect.objectContaining({ external_id: unsharedId, skip_reason: 'unknown_source_item' })]);
		expect(notion.requests.some((request) => request.path.includes(unsharedId.replace(/-/g, '')) || request.path.includes(unsharedId))).toBe(false);
	});

	it('never writes a token or the client secret into n8n logs', () => {
		const logs = n8n.allLogs();
		for (const secret of [notion.token, oauthTokens.access_token, oauthTokens.refresh_token, notion.clientSecret]) {
			expect(logs).not.toContain(secret);
		}
	});
});
