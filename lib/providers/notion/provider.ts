import type { Client } from '@notionhq/client';

import type { ConnectorProvider, ProviderAccount } from '../types';
import { notionAccount, type NotionAccount } from './account';
import { browseNotion, type NotionBrowseEntry, type NotionBrowseQuery } from './browse';
import { notionClient } from './client';
import { describeNotionPage } from './describe';
import { exportNotionItem, NOTION_PAGE_EXPORT } from './export';
import { listNotionChanges, notionSourceKeyFor, parseCursor, type NotionCursor, type NotionListingState, type NotionSource } from './listing';
import { notionResilience } from './resilience';

/** What the provider talks to Notion through: the SDK client over n8n's signed fetch, throttled and retried. */
export type NotionConnection = Client;

export type NotionProvider = ConnectorProvider<
	NotionConnection,
	NotionSource,
	NotionCursor,
	NotionListingState,
	NotionBrowseQuery,
	NotionBrowseEntry[]
>;

/**
 * Notion for the sync engine: page trees and databases of the workspace an integration is
 * shared with, each page exported as Markdown. The org policy's workspace rule applies.
 */
export const notionProvider: NotionProvider = {
	id: 'notion',
	displayName: 'Notion',
	itemNoun: 'page',
	workspaceRule: true,
	resilience: notionResilience,
	connect: ({ fetch, credentialKey }) => notionClient({ fetch, integrationKey: notionResilience.breakerKey(credentialKey) }),
	account: async (connection) => providerAccount(await notionAccount(connection)),
	sourceKey: notionSourceKeyFor,
	browse: browseNotion,
	listChanges: listNotionChanges,
	parseCursor,
	// Every Notion item is a page.
	exportTypes: [NOTION_PAGE_EXPORT],
	exportChoices: () => NOTION_PAGE_EXPORT,
	exportItem: exportNotionItem,
	describeItem: describeNotionPage,
};

/**
 * Source keys name the workspace, which outlives the bot of a reconnected OAuth2 credential; an
 * integration Notion reports no workspace for is named by its bot. The e-mail is the owner's.
 */
function providerAccount(account: NotionAccount): ProviderAccount {
	return {
		accountId: account.workspaceId ?? account.botId,
		email: account.ownerEmail,
		workspaceId: account.workspaceId,
		workspaceName: account.workspaceName,
	};
}
