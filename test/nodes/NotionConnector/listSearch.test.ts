import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { searchDatabases, searchPages } from '../../../nodes/NotionConnector/methods/listSearch';
import { loadOptionsContext } from './context';

/** The editor's pickers, against the fake Notion through the node's own transport. */
describe('Notion Connector list search', () => {
	let notion: FakeNotion;
	let previousUrl: string | undefined;
	const requests: Array<{ credentialType: string; url: string }> = [];
	let handbookId: string;
	let tasksId: string;

	beforeAll(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		previousUrl = process.env.CONNECTORS_NOTION_API_URL;
		process.env.CONNECTORS_NOTION_API_URL = notion.url;
		handbookId = notion.addPage({ title: 'Handbook' }).id;
		notion.addPage({ title: 'Hiring handbook', parent: handbookId });
		notion.addPage({ title: 'Roadmap' });
		notion.addPage({ title: 'Private handbook', shared: false });
		// One database with two data sources: the picker offers the database once.
		tasksId = notion.addDatabase({ title: 'Tasks', dataSources: [{ name: 'Tasks' }, { name: 'Tasks archive' }] }).database.id;
		notion.addDatabase({ title: 'Contacts' });
		for (let i = 0; i < 105; i++) notion.addPage({ title: `Note ${i}`, parent: handbookId });
	});

	afterAll(async () => {
		if (previousUrl === undefined) delete process.env.CONNECTORS_NOTION_API_URL;
		else process.env.CONNECTORS_NOTION_API_URL = previousUrl;
		await notion.close();
	});

	it('finds shared pages by title, with their URLs, through the selected credential', async () => {
		requests.length = 0;
		const ctx = loadOptionsContext({ authentication: 'apiKey' }, notion.token, requests);
		const { results } = await searchPages.call(ctx, 'handbook');
		expect(results.map((r) => r.name).sort()).toEqual(['Handbook', 'Hiring handbook']);
		const handbook = results.find((r) => r.name === 'Handbook');
		expect(handbook).toEqual({ name: 'Handbook', value: handbookId, url: expect.stringMatching(/^https:\/\/www\.notion\.so\/Handbook-/) });
		expect(requests.map((r) => r.credentialType)).toEqual(['notionConnectorApi']);
		expect(notion.apiRequests().at(-1)?.body).toEqual({ query: 'handbook', filter: { property: 'object', value: 'page' }, page_size: 100 });
	});

	it('pages through a long list with the cursor Notion returns', async () => {
		const ctx = loadOptionsContext({ authentication: 'apiKey' }, notion.token);
		const first = await searchPages.call(ctx);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await searchPages.call(ctx, undefined, first.paginationToken);
		expect(second.paginationToken).toBeUndefined();
		const all = [...first.results, ...second.results].map((r) => r.value);
		expect(new Set(all).size).toBe(108);
	});

	it('offers each database once, by the id listChanges takes, not its data sources', async () => {
		const ctx = loadOptionsContext({ authentication: 'apiKey' }, notion.token);
		const { results } = await searchDatabases.call(ctx);
		expect(results.map((r) => [r.name, r.value])).toContainEqual(['Tasks', tasksId]);
		expect(results.map((r) => r.name).sort()).toEqual(['Contacts', 'Tasks']);
	});

	it.each([
		['searchPages', searchPages],
		['searchDatabases', searchDatabases],
	])('%s refuses, before any request, when the org policy disables Notion', async (_name, search) => {
		requests.length = 0;
		process.env.ORG_CONNECTORS_ENABLED_PROVIDERS = 'google_drive';
		try {
			const ctx = loadOptionsContext({ authentication: 'apiKey' }, notion.token, requests);
			await expect(search.call(ctx, 'handbook')).rejects.toThrow(/The Notion connector is disabled by the org policy \(enabled providers: google_drive\)/);
		} finally {
			delete process.env.ORG_CONNECTORS_ENABLED_PROVIDERS;
		}
		expect(requests).toEqual([]);
	});

	it.each([
		['searchPages', searchPages],
		['searchDatabases', searchDatabases],
	])('%s refuses, without searching, when the workspace is not one the org policy allows', async (_name, search) => {
		requests.length = 0;
		process.env.ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
		try {
			const ctx = loadOptionsContext({ authentication: 'apiKey' }, notion.token, requests);
			await expect(search.call(ctx, 'handbook')).rejects.toThrow(/workspace/i);
			expect(requests.map((request) => new URL(request.url).pathname)).toEqual(['/v1/users/me']);
		} finally {
			delete process.env.ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES;
		}
	});

	it('uses the OAuth2 credential when the node authenticates with OAuth2', async () => {
		requests.length = 0;
		const ctx = loadOptionsContext({ authentication: 'oAuth2' }, notion.issueToken(), requests);
		await searchDatabases.call(ctx, 'contacts');
		expect(requests.map((r) => r.credentialType)).toEqual(['notionConnectorOAuth2Api']);
	});
});
