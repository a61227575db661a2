import type { Client } from '@notionhq/client';

import { InvalidInputError, NotFoundError } from '../../../lib/errors';
import { notionAccount, notionProvider, parseNotionId } from '../../../lib/providers/notion';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { testClient } from './helpers';

describe('Notion browse against the strict fake Notion', () => {
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

	it('searches the pages and databases the integration can see, each database once, with paths', async () => {
		const root = notion.addPage({ title: 'Team' });
		const handbook = notion.addPage({ title: 'Handbook', parent: root.id });
		const { database } = notion.addDatabase({ title: 'Tasks', parent: handbook.id });
		notion.addDataSource(database.id, { name: 'Bugs', properties: { Title: 'title' } });
		notion.addPage({ title: 'Hidden', shared: false });

		const entries = await notionProvider.browse(client, { kind: 'search' });

		expect(entries.map((entry) => `${entry.type} ${entry.path}`).sort()).toEqual([
			'database /Team/Handbook/Tasks',
			'page /Team',
			'page /Team/Handbook',
		]);
		expect(entries.find((entry) => entry.id === handbook.id)).toEqual({
			id: handbook.id,
			type: 'page',
			name: 'Handbook',
			url: expect.stringContaining(handbook.id.replace(/-/g, '')),
			parent_id: root.id,
			path: '/Team/Handbook',
			last_edited_time: '2025-01-01T09:00:00.000Z',
			archived: false,
		});
		expect(entries.find((entry) => entry.type === 'database')?.id).toBe(database.id);
	});

	it('filters by query and object type, pages through results and stops at the limit', async () => {
		for (let index = 0; index < 130; index++) notion.addPage({ title: `Note ${index}` });
		notion.addDatabase({ title: 'Notes database' });

		const databases = await notionProvider.browse(client, { kind: 'search', query: 'notes', objectType: 'database' });
		expect(databases.map((entry) => entry.name)).toEqual(['Notes database']);

		const all = await notionProvider.browse(client, { kind: 'search', objectType: 'page', limit: 120 });
		expect(all).toHaveLength(120);
		expect(new Set(all.map((entry) => entry.id)).size).toBe(120);
		// One search for the databases, two pages of 100 for the 120 pages.
		expect(notion.apiRequests().filter((request) => request.path === '/v1/search')).toHaveLength(3);
	});

	it('returns every entry when no limit is given (Return All), past the 50 a default would stop at', async () => {
		for (let index = 0; index < 130; index++) notion.addPage({ title: `Note ${index}` });

		const all = await notionProvider.browse(client, { kind: 'search', objectType: 'page' });

		expect(all).toHaveLength(130);
		expect(new Set(all.map((entry) => entry.name)).size).toBe(130);
	});

	it('returns every child of a page when no limit is given', async () => {
		const parent = notion.addPage({ title: 'Parent' });
		for (let index = 0; index < 60; index++) notion.addPage({ title: `Child ${index}`, parent: parent.id });

		expect(await notionProvider.browse(client, { kind: 'children', pageId: parent.id })).toHaveLength(60);
	});

	it('lists a page’s child pages and databases, also inside toggles, past 100 blocks', async () => {
		const parent = notion.addPage({ title: 'Parent', children: Array.from({ length: 120 }, (_, index) => b.paragraph(`p${index}`)) });
		const [toggle] = notion.appendBlocks(parent.id, [b.toggle('More', [b.paragraph('x')])]);
		const first = notion.addPage({ title: 'First', parent: parent.id });
		const nested = notion.addPage({ title: 'Nested', parent: toggle });
		const { database } = notion.addDatabase({ title: 'Inline DB', parent: parent.id });

		const entries = await notionProvider.browse(client, { kind: 'children', pageId: parent.id });

		expect(entries.map((entry) => [entry.type, entry.name, entry.path, entry.parent_id])).toEqual([
			['page', 'Nested', '/Parent/Nested', parent.id],
			['page', 'First', '/Parent/First', parent.id],
			['database', 'Inline DB', '/Parent/Inline DB', parent.id],
		]);
		expect(entries.map((entry) => entry.id)).toEqual([nested.id, first.id, database.id]);
	});

	it('says to share a page Notion does not show the integration', async () => {
		const hidden = notion.addPage({ title: 'Hidden', shared: false });
		const error = await notionProvider.browse(client, { kind: 'children', pageId: hidden.id }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NotFoundError);
		expect((error as NotFoundError).message).toContain('not shared with this integration');
	});

	it('describes the connected account from the bot user, and names it by its workspace', async () => {
		expect(await notionAccount(client)).toEqual({
			botId: notion.bot.id,
			workspaceId: notion.workspace.id,
			workspaceName: 'Acme Docs',
			ownerEmail: 'alice@example.com',
			ownerType: 'user',
		});
		expect(await notionProvider.account(client)).toEqual({
			accountId: notion.workspace.id,
			email: 'alice@example.com',
			workspaceId: notion.workspace.id,
			workspaceName: 'Acme Docs',
		});
		const workspaceOwned = await startFakeNotion({ requestsPerSecond: Infinity, owner: 'workspace' });
		try {
			expect(await notionAccount(testClient(workspaceOwned))).toMatchObject({ ownerType: 'workspace', ownerEmail: null });
		} finally {
			await workspaceOwned.close();
		}
	});

	it('accepts the page URLs a person copies and rejects anything else', () => {
		expect(parseNotionId('https://www.notion.so/acme/Team-Handbook-0123456789abcdef0123456789ABCDEF?pvs=4', 'page')).toBe(
			'01234567-89ab-cdef-0123-456789abcdef',
		);
		expect(() => parseNotionId('https://example.com/nothing', 'page')).toThrow(InvalidInputError);
	});
});
