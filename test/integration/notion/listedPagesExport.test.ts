import type { Client } from '@notionhq/client';

import type { ConnectorItem } from '../../../lib/items';
import { notionProvider, type NotionSource } from '../../../lib/providers/notion';
import { forgetListedPages } from '../../../lib/providers/notion/listedPages';
import type { ConnectorStore } from '../../../lib/store';
import type { FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { fakeNotionWithStore, listRun, testClient } from './helpers';

/** Reads of a page object (`GET /v1/pages/{id}`), not of its Markdown. */
const pageReads = (notion: FakeNotion): string[] =>
	notion
		.apiRequests()
		.filter((request) => request.method === 'GET' && /^\/v1\/pages\/[^/]+$/.test(request.path))
		.map((request) => request.path.split('/')[3]);

async function exported(client: Client, item: ConnectorItem): Promise<string> {
	const outcome = await notionProvider.exportItem(client, { item });
	if (outcome.kind !== 'content' || !Buffer.isBuffer(outcome.body)) throw new Error(`not exported: ${JSON.stringify(outcome)}`);
	return outcome.body.toString('utf8');
}

describe('Notion export of pages the listing just read (strict fake)', () => {
	let notion: FakeNotion;
	let client: Client;
	let store: ConnectorStore;
	let close: () => Promise<void>;

	beforeEach(async () => {
		({ notion, client, store, close } = await fakeNotionWithStore());
	});

	afterEach(async () => {
		forgetListedPages();
		await close();
	});

	it('takes page trees and database rows from the listing: one request a page, the same Markdown as reading the page', async () => {
		const root = notion.addPage({ title: 'Handbook', children: [b.paragraph('intro')] });
		notion.addPage({ title: 'Setup', parent: root.id, children: [b.heading(2, 'Steps'), b.todo('install', false)] });
		notion.addPage({ title: 'FAQ', parent: root.id, children: [b.paragraph('answers')] });
		const { database } = notion.addDatabase({
			title: 'Tasks',
			dataSources: [{ properties: { Name: 'title', Status: 'select' } }],
			rows: [
				{ title: 'Ship', properties: { Status: 'Todo' }, children: [b.paragraph('ship it')] },
				{ title: 'Test', properties: { Status: 'Done' }, children: [b.paragraph('tested')] },
			],
		});
		const tree = await listRun(store, client, { kind: 'pageTree', pageId: root.id }, { account: 'ws' });
		const rows = await listRun(store, client, { kind: 'database', databaseId: database.id }, { account: 'ws' });
		const items = [...tree.items, ...rows.items];
		expect(items.map((item) => item.name).sort()).toEqual(['FAQ', 'Handbook', 'Setup', 'Ship', 'Test']);

		notion.resetRequestLog();
		const fromListing = await Promise.all(items.map((item) => exported(client, item)));
		expect(pageReads(notion)).toEqual([]);
		expect(notion.apiRequests()).toHaveLength(items.length);

		// The same pages read afresh give the same documents, front-matter and properties included.
		forgetListedPages();
		notion.resetRequestLog();
		const fromPages = await Promise.all(items.map((item) => exported(client, item)));
		expect(pageReads(notion)).toHaveLength(items.length);
		expect(fromListing).toEqual(fromPages);
		expect(fromListing.find((markdown) => markdown.includes('Ship'))).toContain('Todo');
	});

	it('reads the page again for a version the listing did not see, and for another credential', async () => {
		const root = notion.addPage({ title: 'Handbook' });
		const guide = notion.addPage({ title: 'Guide', parent: root.id, children: [b.paragraph('v1')] });
		const source: NotionSource = { kind: 'pageTree', pageId: root.id };
		const first = await listRun(store, client, source, { account: 'ws' });
		const listed = first.items.find((item) => item.external_id === guide.id) as ConnectorItem;

		notion.setNow(new Date(Date.parse(listed.version as string) + 120_000).toISOString());
		notion.editPage(guide.id, { title: 'Guide (renamed)' });
		notion.resetRequestLog();
		// An item of the earlier listing, handed to Export after the edit: its version is not the one kept.
		expect(await exported(client, { ...listed, version: '2020-01-01T00:00:00.000Z' })).toContain('Guide (renamed)');
		expect(pageReads(notion)).toEqual([guide.id]);

		notion.resetRequestLog();
		const otherCredential = testClient(notion);
		await exported(otherCredential, listed);
		expect(pageReads(notion)).toEqual([guide.id]);

		// Listed again, the edited page is taken from that listing, with its new title.
		const second = await listRun(store, client, source, { account: 'ws' });
		const relisted = second.items.find((item) => item.external_id === guide.id) as ConnectorItem;
		notion.resetRequestLog();
		expect(await exported(client, relisted)).toContain('Guide (renamed)');
		expect(pageReads(notion)).toEqual([]);
	});
});
