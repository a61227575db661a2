import type { GetSelfResponse, PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../../../../../lib/providers/notion/api';
import { isPublished, listingWorkspace, pagePermissions } from '../../../../../lib/providers/notion/listing/permissions';
import { pageNode } from '../../../../../lib/providers/notion/listing/tree';

const WORKSPACE = { id: 'ws-1', name: 'Acme Docs' };
const MEMBERS = { type: 'workspace', role: 'reader', workspace_id: 'ws-1', workspace_name: 'Acme Docs' };

function page(publicUrl: string | null | undefined): PageObjectResponse {
	return {
		object: 'page',
		id: 'p1',
		parent: { type: 'page_id', page_id: 'root' },
		properties: { title: { id: 'title', type: 'title', title: [{ plain_text: 'Plan' }] } },
		created_time: '2025-01-01T00:00:00.000Z',
		last_edited_time: '2025-01-02T00:00:00.000Z',
		...(publicUrl === undefined ? {} : { public_url: publicUrl }),
	} as unknown as PageObjectResponse;
}

describe('Notion page permissions', () => {
	it('reads a page as published only when its page object has a public_url, and as unknown without the field', () => {
		expect(isPublished(page('https://acme.notion.site/Plan-p1'))).toBe(true);
		expect(isPublished(page(null))).toBe(false);
		expect(isPublished(page(undefined))).toBeUndefined();
	});

	it('keeps the flag in the listing state of a page, and leaves it out when the object does not tell', () => {
		expect(pageNode(page('https://acme.notion.site/Plan-p1'), 'root')).toMatchObject({ published: true });
		expect(pageNode(page(null), 'root')).toMatchObject({ published: false });
		expect(pageNode(page(undefined), 'root')).not.toHaveProperty('published');
	});

	it('names the workspace for every page, and anyone with the link for a published one', () => {
		expect(pagePermissions(false, WORKSPACE)).toEqual([MEMBERS]);
		expect(pagePermissions(true, WORKSPACE)).toEqual([MEMBERS, { type: 'anyone', role: 'reader', with_link: true }]);
		expect(pagePermissions(false, { id: null, name: 'Acme Docs' })).toEqual([{ type: 'workspace', role: 'reader', workspace_name: 'Acme Docs' }]);
	});

	it('gives no permissions when they are not asked for or the publishing is unknown, rather than a list that says "not published"', () => {
		expect(pagePermissions(true, null)).toBeUndefined();
		expect(pagePermissions(undefined, WORKSPACE)).toBeUndefined();
	});

	describe('the workspace a listing names', () => {
		const bot = (workspace: { workspace_id?: string; workspace_name: string | null }): GetSelfResponse =>
			({ object: 'user', id: 'bot-1', type: 'bot', bot: { owner: { type: 'workspace', workspace: true }, ...workspace } }) as unknown as GetSelfResponse;
		const api = (me: GetSelfResponse) => {
			const calls: string[] = [];
			return { calls, me: async () => (calls.push('users.me'), me) } as unknown as NotionApi & { calls: string[] };
		};

		it('is the account the engine hands over, without a request', async () => {
			const stub = api(bot({ workspace_id: 'other', workspace_name: 'Other' }));
			expect(await listingWorkspace(stub, { accountId: 'ws-1', email: null, workspaceId: 'ws-1', workspaceName: 'Acme Docs' })).toEqual(WORKSPACE);
			expect(stub.calls).toEqual([]);
		});

		it('is asked of users.me once when no account is handed over, and is null when Notion names none', async () => {
			const stub = api(bot({ workspace_id: 'ws-1', workspace_name: 'Acme Docs' }));
			expect(await listingWorkspace(stub, undefined)).toEqual(WORKSPACE);
			expect(stub.calls).toEqual(['users.me']);
			expect(await listingWorkspace(api(bot({ workspace_name: null })), undefined)).toBeNull();
		});
	});
});
