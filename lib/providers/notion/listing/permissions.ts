import type { PageObjectResponse } from '@notionhq/client';

import type { ItemPermission } from '../../../items';
import type { ProviderAccount } from '../../types';
import { notionAccountOf } from '../account';
import type { NotionApi } from '../api';

/** The workspace a source's pages live in, as `users.me` names it: its id, its name, or both. */
export interface NotionWorkspace {
	id: string | null;
	name: string | null;
}

/**
 * Whether a page is published to the web: its page object has a `public_url` (null otherwise).
 * Undefined when the object carries no such field, so nothing is claimed either way.
 */
export function isPublished(page: Pick<PageObjectResponse, 'public_url'>): boolean | undefined {
	const url: unknown = (page as { public_url?: unknown }).public_url;
	return url === undefined ? undefined : typeof url === 'string' && url !== '';
}

/**
 * Who may read a page as far as Notion's API tells (README, "Item fields"): the members of its
 * workspace who have access — an upper bound, as the API names no readers — and anyone with the
 * link once it is published to the web. Undefined when either is unknown: an item without
 * permissions says nothing, where a partial list would say "not published".
 */
export function pagePermissions(published: boolean | undefined, workspace: NotionWorkspace | null): ItemPermission[] | undefined {
	if (published === undefined || workspace === null) return undefined;
	const members: ItemPermission = { type: 'workspace', role: 'reader' };
	if (workspace.id !== null) members.workspace_id = workspace.id;
	if (workspace.name !== null) members.workspace_name = workspace.name;
	return published ? [members, { type: 'anyone', role: 'reader', with_link: true }] : [members];
}

/**
 * The workspace items name in their permissions: the account the engine hands the listing, else
 * asked of `users.me` once for the listing (never per page). Null when Notion names neither its id
 * nor its name.
 */
export async function listingWorkspace(api: NotionApi, account: ProviderAccount | undefined): Promise<NotionWorkspace | null> {
	const { workspaceId = null, workspaceName = null } = account ?? notionAccountOf(await api.me());
	return workspaceId === null && workspaceName === null ? null : { id: workspaceId, name: workspaceName };
}
