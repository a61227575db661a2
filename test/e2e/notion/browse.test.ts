import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { locator, notionApiCredential, notionEnvironment, notionNode } from '../harness/notion';
import { fanOutWorkflow, workflowId } from '../harness/workflows';

const browse = (name: string, parameters: Record<string, unknown>, onError?: string) =>
	notionNode(name, { operation: 'browse', ...parameters }, { onError });

const hex = (id: string) => id.replace(/-/g, '');

describe('Notion Connector browse in a real n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let run: WorkflowRun;
	let handbookId: string;
	let secretId: string;
	let tasksId: string;

	beforeAll(async () => {
		// Notion's own budget: about 3 requests per second per integration.
		notion = await startFakeNotion();
		const handbook = notion.addPage({ title: 'Handbook', icon: '📘' });
		handbookId = handbook.id;
		notion.addPage({ title: 'Onboarding', parent: handbook.id });
		notion.addPage({ title: 'Policies', parent: handbook.id });
		tasksId = notion.addDatabase({ title: 'Tasks', parent: handbook.id, dataSources: [{ properties: { Name: 'title' } }] }).database.id;
		notion.addPage({ title: 'Roadmap' });
		// More than one page of search results and more than the 50 a default limit would return.
		for (let index = 0; index < 120; index++) notion.addPage({ title: `Minutes ${index}` });
		secretId = notion.addPage({ title: 'Secret', shared: false }).id;

		n8n = await N8nInstance.create(notionEnvironment(notion));
		await n8n.importCredentials([notionApiCredential(notion)]);
		const id = workflowId('notionbrowse');
		await n8n.importWorkflow(
			fanOutWorkflow(id, [
				browse('Everything', { browseWhat: 'search', returnAll: true }),
				browse('Pages matching', { browseWhat: 'search', query: 'polic', objectType: 'page', returnAll: true }),
				browse('Databases', { browseWhat: 'search', objectType: 'database', returnAll: true }),
				browse('Children by URL', {
					browseWhat: 'children',
					parentPageId: locator('url', `https://www.notion.so/acme/Handbook-${hex(handbookId)}?pvs=4`),
					returnAll: true,
				}),
				browse('First two', { browseWhat: 'search', limit: 2 }),
				browse('All minutes', { browseWhat: 'search', query: 'minutes', objectType: 'page', returnAll: true }),
				browse(
					'Unshared page',
					{ browseWhat: 'children', parentPageId: locator('id', secretId), returnAll: true },
					'continueRegularOutput',
				),
			]),
		);
		run = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await notion?.close();
	});

	it('runs the workflow to success', () => {
		expect(run.status).toBe('success');
		expect(notion.internalErrors).toEqual([]);
	});

	it('finds every page and database shared with the integration, and nothing else', () => {
		const items = run.outputs.Everything[0];
		expect(items).toHaveLength(125);
		const named = items.filter((i) => !String(i.name).startsWith('Minutes '));
		expect(named.map((i) => `${String(i.type)} ${String(i.name)}`).sort()).toEqual([
			'database Tasks',
			'page Handbook',
			'page Onboarding',
			'page Policies',
			'page Roadmap',
		]);
		for (const item of items) {
			expect(item).toEqual(
				expect.objectContaining({
					provider: 'notion',
					id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
					url: expect.stringMatching(/^https:\/\/www\.notion\.so\//),
					last_edited_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					archived: false,
				}),
			);
		}
	});

	it('narrows a search by title text and by object type', () => {
		expect(run.outputs['Pages matching'][0].map((i) => i.name)).toEqual(['Policies']);
		const [database] = run.outputs.Databases[0];
		expect(run.outputs.Databases[0]).toHaveLength(1);
		expect(database).toEqual(expect.objectContaining({ type: 'database', name: 'Tasks', id: tasksId }));
	});

	it("lists a page's child pages and databases, the page given by its URL", () => {
		const children = run.outputs['Children by URL'][0];
		expect(children.map((i) => `${String(i.type)} ${String(i.name)}`)).toEqual(['page Onboarding', 'page Policies', 'database Tasks']);
		expect(children.map((i) => i.parent_id)).toEqual([handbookId, handbookId, handbookId]);
		expect(children.map((i) => String(i.path))).toEqual([
			expect.stringContaining('Onboarding'),
			expect.stringContaining('Policies'),
			expect.stringContaining('Tasks'),
		]);
	});

	it('returns every match with Return All on, past one page of search results', () => {
		const minutes = run.outputs['All minutes'][0];
		expect(minutes).toHaveLength(120);
		expect(new Set(minutes.map((i) => i.name)).size).toBe(120);
	});

	it('stops at the limit when Return All is off', () => {
		expect(run.outputs['First two'][0]).toHaveLength(2);
	});

	it('says a page is not shared with the integration, naming it', () => {
		const [item] = run.outputs['Unshared page'][0];
		expect(String(item.error)).toMatch(new RegExp(`${secretId}|${hex(secretId)}`));
		expect(String(item.error)).toMatch(/shared|not found/i);
	});

	it('sent Notion-Version 2025-09-03 with every request and stayed within the rate limit', () => {
		const requests = notion.apiRequests();
		expect(requests.length).toBeGreaterThan(5);
		expect(requests.filter((r) => r.headers['notion-version'] !== '2025-09-03')).toEqual([]);
		expect(notion.rateLimitedCount).toBe(0);
	});

	it('never writes the integration secret into n8n logs, even at debug level', () => {
		const logs = n8n.allLogs();
		expect(logs).toContain('Loaded all credentials and nodes from n8n-nodes-external-connectors');
		expect(logs).not.toContain(notion.token);
	});
});
