import type { Client } from '@notionhq/client';

import { InvalidInputError } from '../../../../lib/errors';
import type { ConnectorItem } from '../../../../lib/items';
import { NOTION_PAGE_MIME, notionProvider, notionResilience } from '../../../../lib/providers/notion';

const DASHED = '01234567-89ab-cdef-0123-456789abcdef';

/** A client whose `users.me` answers with the given bot user, as Notion describes an integration. */
function clientAnswering(me: unknown): Client {
	return { users: { me: async () => me } } as unknown as Client;
}

function bot(bot: Record<string, unknown>): unknown {
	return { object: 'user', id: 'bot-1', type: 'bot', name: 'Importer', avatar_url: null, bot };
}

const person = (email: string) => ({ type: 'user', user: { object: 'user', id: 'user-1', type: 'person', person: { email } } });

describe('notionProvider', () => {
	it('is Notion, its items are pages, and the workspace rule applies to it', () => {
		expect(notionProvider).toMatchObject({ id: 'notion', displayName: 'Notion', itemNoun: 'page', workspaceRule: true });
	});

	describe('account', () => {
		it('names the account by its workspace, with the owner’s e-mail for the domain rule', async () => {
			const client = clientAnswering(bot({ owner: person('alice@example.com'), workspace_id: 'ws-1', workspace_name: 'Acme Docs' }));
			expect(await notionProvider.account(client)).toEqual({
				accountId: 'ws-1',
				email: 'alice@example.com',
				workspaceId: 'ws-1',
				workspaceName: 'Acme Docs',
			});
		});

		it('names an integration Notion reports no workspace for by its bot, without an e-mail when a workspace owns it', async () => {
			const client = clientAnswering(bot({ owner: { type: 'workspace', workspace: true } }));
			expect(await notionProvider.account(client)).toEqual({ accountId: 'bot-1', email: null, workspaceId: null, workspaceName: null });
		});
	});

	describe('sourceKey', () => {
		it('keys page trees and databases apart, whatever the id spelling', () => {
			expect(notionProvider.sourceKey('ws', { kind: 'pageTree', pageId: '0123456789ABCDEF0123456789ABCDEF' })).toBe(`notion:ws:page:${DASHED}`);
			expect(notionProvider.sourceKey('ws', { kind: 'pageTree', pageId: 'https://www.notion.so/acme/Plan-0123456789abcdef0123456789abcdef' })).toBe(
				`notion:ws:page:${DASHED}`,
			);
			expect(notionProvider.sourceKey('ws', { kind: 'database', databaseId: DASHED })).toBe(`notion:ws:database:${DASHED}`);
		});

		it('keeps the key when only the way the source is read changes (depth, overlap, re-walks)', () => {
			const key = notionProvider.sourceKey('ws', { kind: 'pageTree', pageId: DASHED });
			expect(notionProvider.sourceKey('ws', { kind: 'pageTree', pageId: DASHED, maxDepth: 2, overlapMinutes: 5, reconcileMinutes: 0 })).toBe(key);
		});

		it('refuses an empty account and a malformed id', () => {
			expect(() => notionProvider.sourceKey(' ', { kind: 'database', databaseId: DASHED })).toThrow(InvalidInputError);
			expect(() => notionProvider.sourceKey('ws', { kind: 'database', databaseId: 'tasks' })).toThrow(InvalidInputError);
		});
	});

	describe('parseCursor', () => {
		const whole = { readAt: '2025-01-01T10:00:30.000Z', walkedAt: '2025-01-01T09:00:00.000Z' };

		it('reads the cursor a listing proposed, leaving out what the engine stores beside it', () => {
			expect(notionProvider.parseCursor({ ...whole, snapshot: '12' })).toEqual(whole);
			expect(notionProvider.parseCursor(whole)).toEqual(whole);
		});

		it.each([
			['nothing', null],
			['a string', JSON.stringify(whole)],
			['no walk time', { readAt: whole.readAt }],
			['a time that is not one', { ...whole, walkedAt: 'yesterday' }],
			['a number for a time', { ...whole, readAt: 1735725630000 }],
		])('reads %s as no cursor, so the source is listed in full', (_what, value) => {
			expect(notionProvider.parseCursor(value)).toBeNull();
		});
	});

	it('retries and pauses its requests as Notion asks', () => {
		expect(notionProvider.resilience).toBe(notionResilience);
	});

	it('offers Markdown as the one export format of a page', () => {
		const page = { provider: 'notion', external_id: DASHED, mime: NOTION_PAGE_MIME, change: 'upsert' } as ConnectorItem;
		expect(notionProvider.exportChoices(page)).toEqual({ kind: 'page', label: 'Notion pages', default: 'md', formats: ['md'] });
	});
});
