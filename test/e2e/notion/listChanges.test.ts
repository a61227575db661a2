import * as path from 'node:path';

import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { locator, notionApiCredential, notionEnvironment, notionNode } from '../harness/notion';
import { exportingIngestionPipeline, routedByCheck, workflowId } from '../harness/workflows';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * listChanges → Check → export → ingestion → Commit, run again and again against the fake
 * Notion while its pages change. Notion stamps edits to the minute, on its own clock (the fake's).
 */
describe('Notion Connector listChanges feeding Connector Dedup in a real n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	const id = workflowId('notionlistchanges');
	const pages: Record<string, string> = {};
	const blocks: Record<string, string> = {};

	async function run(): Promise<WorkflowRun> {
		ingestion.received.length = 0;
		notion.resetRequestLog();
		const result = await n8n.execute(id);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		return result;
	}

	const names = (ids: string[]) => ids.map((pageId) => Object.keys(pages).find((name) => pages[name] === pageId) ?? pageId).sort();
	const received = () =>
		(ingestion.received as Array<{ id: string; change: string; content_hash?: string | null }>)
			.map((d) => `${d.change} ${names([d.id])[0]}${d.content_hash ? ' #' : ''}`)
			.sort();

	beforeAll(async () => {
		notion = await startFakeNotion({ now: '2025-03-01T10:00:00.000Z' });
		pages.handbook = notion.addPage({ title: 'Handbook', children: [b.paragraph('Start here.')] }).id;
		const welcome = notion.addPage({ title: 'Welcome', parent: pages.handbook, children: [b.paragraph('Hello.')] });
		pages.welcome = welcome.id;
		blocks.welcome = welcome.children[0];
		notion.publishPage(welcome.id);
		pages.policies = notion.addPage({ title: 'Policies', parent: pages.handbook }).id;
		pages.leave = notion.addPage({ title: 'Leave', parent: pages.policies, children: [b.bulleted('25 days')] }).id;
		pages.faq = notion.addPage({ title: 'FAQ', parent: pages.handbook }).id;
		const travel = notion.addPage({ title: 'Travel', parent: pages.handbook, children: [b.paragraph('Book early.')] });
		pages.travel = travel.id;
		blocks.travel = travel.children[0];
		pages.elsewhere = notion.addPage({ title: 'Elsewhere' }).id;

		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create(notionEnvironment(notion));
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([notionApiCredential(notion)]);
		await n8n.importWorkflow(
			exportingIngestionPipeline(
				id,
				notionNode('List Changes', { operation: 'listChanges', source: 'pageTree', sourcePageId: locator('id', pages.handbook) }),
				notionNode('Export', { operation: 'export' }),
				ingestion.url,
			),
		);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await notion?.close();
	});

	it('lists the whole page tree on the first run, with paths from the top page, and ingests it as Markdown', async () => {
		const first = await run();
		const listed = first.outputs['List Changes'][0];
		expect(listed.map((i) => i.path).sort()).toEqual([
			'/Handbook',
			'/Handbook/FAQ',
			'/Handbook/Policies',
			'/Handbook/Policies/Leave',
			'/Handbook/Travel',
			'/Handbook/Welcome',
		]);
		expect(listed[0]).toEqual(
			expect.objectContaining({
				provider: 'notion',
				source_key: expect.stringMatching(/^notion:.+:page:/),
				mime: 'application/vnd.notion.page',
				version: expect.stringMatching(/^2025-03-01T10:00:00/),
				change: 'upsert',
			}),
		);
		expect(names(routedByCheck(first.outputs).new)).toEqual(['faq', 'handbook', 'leave', 'policies', 'travel', 'welcome']);
		expect(received()).toEqual(['new faq #', 'new handbook #', 'new leave #', 'new policies #', 'new travel #', 'new welcome #']);
		// Permissions are on by default: the workspace for every page, anyone with the link for the published one.
		const workspace = { type: 'workspace', role: 'reader', workspace_id: notion.workspace.id, workspace_name: notion.workspace.name };
		const permissionsOf = (name: string) => listed.find((item) => item.external_id === pages[name])?.permissions;
		expect(permissionsOf('handbook')).toEqual([workspace]);
		expect(permissionsOf('welcome')).toEqual([workspace, { type: 'anyone', role: 'reader', with_link: true }]);
		// The listing names the workspace from the account the node checked: users.me once for the execution.
		expect(notion.apiRequests().filter((request) => request.path === '/v1/users/me')).toHaveLength(1);
	});

	it('ingests nothing when nothing changed: pages the overlap window lists again are Unchanged', async () => {
		notion.advanceTime(10 * MINUTE);
		const second = await run();
		const routed = routedByCheck(second.outputs);
		expect([...routed.new, ...routed.changed, ...routed.deleted]).toEqual([]);
		expect(ingestion.received).toEqual([]);
	});

	it('turns an edit, a new page, an archive and a move out of the tree into Changed, New and Deleted', async () => {
		// 10:20:40 on Notion's clock; the edits are stamped 10:20.
		notion.advanceTime(10 * MINUTE + 40 * SECOND);
		notion.editBlock(blocks.welcome, { rich_text: [{ type: 'text', text: { content: 'Hello again.' } }] });
		pages.benefits = notion.addPage({ title: 'Benefits', parent: pages.policies, children: [b.paragraph('Dental.')] }).id;
		notion.archivePage(pages.leave);
		notion.movePage(pages.faq, pages.elsewhere);

		const third = await run();

		// Only what changed since the committed cursor (minus the overlap) is listed: the cursor moved at commit.
		expect(names(third.outputs['List Changes'][0].map((i) => String(i.external_id)))).toEqual(['benefits', 'faq', 'leave', 'welcome']);
		const routed = routedByCheck(third.outputs);
		expect(names(routed.changed)).toEqual(['welcome']);
		expect(names(routed.new)).toEqual(['benefits']);
		expect(names(routed.deleted)).toEqual(['faq', 'leave']);
		expect(third.outputs['List Changes'][0].find((i) => i.external_id === pages.benefits)?.path).toBe('/Handbook/Policies/Benefits');
		// Deletions reach the ingestion API without content, so the index can drop the document.
		expect(received()).toEqual(['changed welcome #', 'deleted faq', 'deleted leave', 'new benefits #']);
	});

	it('never loses an edit made in the same minute as the last run', async () => {
		// 10:20:50, after the third run read Notion at 10:20:40: the edit is stamped 10:20, before that read.
		notion.advanceTime(10 * SECOND);
		notion.editBlock(blocks.travel, { rich_text: [{ type: 'text', text: { content: 'Book early, fly economy.' } }] });

		const fourth = await run();

		expect(names(routedByCheck(fourth.outputs).changed)).toEqual(['travel']);
		expect(received()).toEqual(['changed travel #']);
	});
});
