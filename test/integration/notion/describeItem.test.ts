import type { Client } from '@notionhq/client';

import type { ConnectorItem } from '../../../lib/items';
import { NOTION_PAGE_MIME, notionProvider } from '../../../lib/providers/notion';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { testClient } from './helpers';

/** Only the id of what Export hands over is read; the rest is the workflow's, and ignored. */
const given = (externalId: string, extra: Partial<ConnectorItem> = {}): ConnectorItem => ({
	provider: 'notion',
	external_id: externalId,
	source_key: 'notion:workspace-1:page_tree:root',
	name: 'ok.pdf',
	path: '/ok.pdf',
	parents: [],
	mime: 'application/pdf',
	size: 1,
	modified_at: null,
	created_at: null,
	version: null,
	hash: null,
	url: null,
	change: 'upsert',
	...extra,
});

describe('Notion describes a page by id for Export IDs Directly, against the strict fake Notion', () => {
	let notion: FakeNotion;
	let client: Client;

	beforeEach(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		client = testClient(notion);
	});

	afterEach(async () => {
		expect(notion.internalErrors).toEqual([]);
		await notion.close();
	});

	it('gives the title, the page type, its last edit as version, and the path of titles from the workspace', async () => {
		const hr = notion.addPage({ title: 'HR' });
		const pay = notion.addPage({ title: 'Pay/Bonus', parent: hr.id });
		const page = notion.addPage({ title: 'Salaries', parent: pay.id });
		const described = await notionProvider.describeItem(client, given(page.id));
		expect(described).toMatchObject({ name: 'Salaries', path: '/HR/Pay∕Bonus/Salaries', mime: NOTION_PAGE_MIME, size: null, parents: [pay.id] });
		expect(described?.version).toEqual(described?.modified_at);
	});

	it("puts a database row under its database's title", async () => {
		const wiki = notion.addPage({ title: 'Wiki' });
		const { rows } = notion.addDatabase({ title: 'Policies', parent: wiki.id, rows: [{ title: 'Travel' }] });
		expect(await notionProvider.describeItem(client, given(rows[0].id))).toMatchObject({ name: 'Travel', path: '/Wiki/Policies/Travel' });
	});

	it('starts the path at the highest page shared with the integration', async () => {
		const secret = notion.addPage({ title: 'Private', shared: false });
		const shared = notion.addPage({ title: 'Team', parent: secret.id, shared: true });
		const page = notion.addPage({ title: 'Notes', parent: shared.id });
		expect(await notionProvider.describeItem(client, given(page.id))).toMatchObject({ path: '/Team/Notes' });
	});

	it('describes nothing for a page Notion does not show the integration, or one in the trash', async () => {
		const page = notion.addPage({ title: 'Old' });
		notion.trashPage(page.id);
		expect(await notionProvider.describeItem(client, given('0123456789abcdef0123456789abcdef'))).toBeNull();
		expect(await notionProvider.describeItem(client, given(page.id))).toBeNull();
	});
});
