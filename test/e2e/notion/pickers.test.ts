import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { N8nInstance } from '../harness/n8n';
import {
	NOTION_API_CREDENTIAL,
	NOTION_OAUTH2_CREDENTIAL,
	notionApiCredential,
	notionEnvironment,
	notionOAuth2Credential,
} from '../harness/notion';
import { NODE_TYPES } from '../harness/paths';
import { N8nRest } from '../harness/rest';

interface ListSearchResult {
	results: Array<{ name: string; value: string; url?: string }>;
	paginationToken?: string;
}

/** The editor's "From List" pickers of the page and database locators, asked as the editor asks a running n8n. */
describe('Notion Connector pickers in a running n8n', () => {
	let notion: FakeNotion;
	let n8n: N8nInstance;
	let rest: N8nRest;
	let handbookId: string;
	let tasksId: string;

	async function listSearch(
		methodName: string,
		authentication: 'apiKey' | 'oAuth2',
		filter?: string,
		paginationToken?: string,
	): Promise<ListSearchResult> {
		const credentials =
			authentication === 'oAuth2'
				? { notionConnectorOAuth2Api: NOTION_OAUTH2_CREDENTIAL }
				: { notionConnectorApi: NOTION_API_CREDENTIAL };
		return await rest.request<ListSearchResult>('POST', '/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.sourcePageId',
			nodeTypeAndVersion: { name: NODE_TYPES.notionConnector, version: 1 },
			methodName,
			filter,
			paginationToken,
			currentNodeParameters: { authentication, operation: 'listChanges', source: 'pageTree' },
			credentials,
		});
	}

	beforeAll(async () => {
		notion = await startFakeNotion();
		handbookId = notion.addPage({ title: 'Handbook' }).id;
		notion.addPage({ title: 'Hiring handbook', parent: handbookId });
		notion.addPage({ title: 'Roadmap' });
		notion.addPage({ title: 'Private handbook', shared: false });
		tasksId = notion.addDatabase({ title: 'Tasks', parent: handbookId }).database.id;
		for (let i = 0; i < 101; i++) notion.addPage({ title: `Note ${i}`, parent: handbookId });

		n8n = await N8nInstance.create(notionEnvironment(notion));
		await n8n.importCredentials([notionApiCredential(notion), notionOAuth2Credential(notion)]);
		rest = await N8nRest.asOwner(await n8n.start());
	});

	afterAll(async () => {
		await n8n?.dispose();
		await notion?.close();
	});

	it('lists shared pages whose title matches what the person types, with links', async () => {
		const { results } = await listSearch('searchPages', 'apiKey', 'handbook');
		expect(results.map((r) => r.name).sort()).toEqual(['Handbook', 'Hiring handbook']);
		expect(results.find((r) => r.name === 'Handbook')).toEqual({
			name: 'Handbook',
			value: handbookId,
			url: expect.stringMatching(/^https:\/\/www\.notion\.so\/Handbook-/),
		});
	});

	it('loads more pages as the person scrolls', async () => {
		const first = await listSearch('searchPages', 'apiKey');
		expect(first.results).toHaveLength(100);
		const second = await listSearch('searchPages', 'apiKey', undefined, first.paginationToken);
		expect(second.results.length).toBeGreaterThan(0);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(first.results.length + second.results.length);
	});

	it('lists databases through the OAuth2 credential when the node uses it', async () => {
		const { results } = await listSearch('searchDatabases', 'oAuth2');
		expect(results).toEqual([{ name: 'Tasks', value: tasksId, url: expect.stringContaining(tasksId.replace(/-/g, '')) }]);
	});
});
