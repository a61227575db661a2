import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { locator, notionApiCredential, notionEnvironment, notionNode } from '../harness/notion';
import { graphWorkflow, manualTrigger, workflowId, type NodeSpec } from '../harness/workflows';

const readText = (name: string): NodeSpec => ({
	name,
	type: 'n8n-nodes-base.extractFromFile',
	typeVersion: 1,
	parameters: { operation: 'text', binaryPropertyName: 'data', destinationKey: 'markdown', options: { keepSource: 'both' } },
});

/**
 * One execution: a page tree exported through Notion's Markdown endpoint (the default), with a
 * page too long for one answer and a page the endpoint refuses (read by the block walk).
 */
describe('Notion Connector export through the Markdown endpoint in a real n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let run: WorkflowRun;
	const ids: Record<string, string> = {};

	const exported = (title: string) => run.outputs.Read[0].find((item) => item.external_id === ids[title]);
	const markdownRequests = (id: string) => notion.requests.filter((request) => request.path.endsWith('/markdown') && request.path.includes(id));

	beforeAll(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity, markdownMaxBlocks: 12 });
		const root = notion.addPage({ title: 'Docs', children: [b.paragraph('Root page.')] });
		ids.Docs = root.id;
		ids.Short = notion.addPage({ title: 'Short', parent: root.id, children: [b.heading(1, 'Intro'), b.todo('Check', true), b.code('npm ci', 'shell')] }).id;
		ids.Long = notion.addPage({
			title: 'Long',
			parent: root.id,
			children: Array.from({ length: 30 }, (_, index) => b.paragraph(`line ${index + 1}`)),
		}).id;
		ids.Locked = notion.addPage({ title: 'Locked', parent: root.id, children: [b.bulleted('walked', [b.bulleted('nested')])] }).id;
		notion.markdownForbidden.add(ids.Locked);

		n8n = await N8nInstance.create(notionEnvironment(notion));
		await n8n.importCredentials([notionApiCredential(notion)]);
		const id = workflowId('notionmdendpoint');
		await n8n.importWorkflow(
			graphWorkflow(
				id,
				[
					manualTrigger(),
					notionNode('List', { operation: 'listChanges', source: 'pageTree', sourcePageId: locator('id', root.id) }),
					notionNode('Export', { operation: 'export' }),
					readText('Read'),
				],
				[
					['Start', 'List'],
					['List', 'Export'],
					['Export', 'Read'],
				],
			),
		);
		run = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await notion?.close();
	});

	it('runs the workflow to success and exports every page', () => {
		expect(run.status).toBe('success');
		expect(notion.internalErrors).toEqual([]);
		expect(run.outputs.Read[0].map((item) => item.external_id).sort()).toEqual(Object.values(ids).sort());
	});

	it('reads a page through the endpoint in one Markdown request, with the same Markdown as the renderer', () => {
		expect(markdownRequests(ids.Short)).toHaveLength(1);
		const markdown = String(exported('Short')?.markdown);
		expect(markdown).toContain('\n# Short\n');
		expect(markdown).toContain('\n## Intro\n');
		expect(markdown).toContain('- [x] Check');
		expect(markdown).toContain('```shell\nnpm ci\n```');
		expect(notion.requests.some((request) => request.path.includes(`/blocks/${ids.Short}/children`))).toBe(false);
	});

	it("takes the pages' properties from the listing of the same execution: no page is read again", () => {
		const pageReads = notion.requests.filter((request) => request.method === 'GET' && /^\/v1\/pages\/[^/]+$/.test(request.path));
		// Only the source's root, which every listing reads first.
		expect(pageReads.map((request) => request.path)).toEqual([`/v1/pages/${ids.Docs}`]);
		expect(String(exported('Short')?.markdown)).toMatch(/^---\ntitle: "Short"\nid: "[0-9a-f-]{36}"\n/);
	});

	it('completes a truncated page from its unknown_block_ids, every line in order', () => {
		const lines = String(exported('Long')?.markdown).split('\n').filter((line) => /^line \d+$/.test(line));
		expect(lines).toEqual(Array.from({ length: 30 }, (_, index) => `line ${index + 1}`));
		expect(markdownRequests(ids.Long).length).toBe(1);
		expect(notion.requests.filter((request) => request.path.endsWith('/markdown')).length).toBeGreaterThan(4 + 1);
	});

	it('falls back to the block walk for the page the endpoint refuses, saying so on the item', () => {
		expect(markdownRequests(ids.Locked).map((request) => request.status)).toEqual([403]);
		expect(String(exported('Locked')?.markdown)).toContain('- walked\n  - nested');
		expect(notion.requests.some((request) => request.path.includes(`/blocks/${ids.Locked}/children`))).toBe(true);
		expect(exported('Locked')).toMatchObject({ content_source: 'blocks', export_notes: [{ code: 'markdown_forbidden' }] });
		expect(exported('Short')).toMatchObject({ content_source: 'markdown' });
		expect(exported('Short')).not.toHaveProperty('export_notes');
	});
});
