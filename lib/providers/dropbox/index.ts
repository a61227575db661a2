/**
 * The Dropbox provider (docs/architecture.md, "Providers"): browse the home folder and the team
 * space, incremental listing through files/list_folder cursors, export of files as their bytes and
 * of Paper docs as Markdown. Plain requests over n8n's signed fetch; no n8n imports.
 */
import type { ConnectorProvider, ProviderTransport } from '../types';
import { connectDropbox, type DropboxConnection } from './api';
import { currentAccount } from './account';
import { browseDropbox, type DropboxBrowsePage, type DropboxBrowseQuery } from './browse';
import { describeDropboxItem } from './describe';
import { dropboxExportChoices, exportDropboxItem, PAPER_EXPORT } from './export';
import { dropboxSourceKey, listDropboxChanges, parseDropboxCursor, type DropboxCursor, type DropboxListingState, type DropboxSource } from './listing';
import { dropboxResilience } from './resilience';

export const dropboxProvider = {
	id: 'dropbox',
	displayName: 'Dropbox',
	itemNoun: 'file',
	workspaceRule: false,
	resilience: dropboxResilience,
	connect: (transport: ProviderTransport) => connectDropbox(transport),
	async account(connection: DropboxConnection) {
		const account = await currentAccount(connection);
		return { accountId: account.account_id, email: account.email };
	},
	sourceKey: dropboxSourceKey,
	browse: browseDropbox,
	listChanges: listDropboxChanges,
	parseCursor: parseDropboxCursor,
	exportTypes: [PAPER_EXPORT],
	exportChoices: dropboxExportChoices,
	exportItem: exportDropboxItem,
	describeItem: describeDropboxItem,
} satisfies ConnectorProvider<DropboxConnection, DropboxSource, DropboxCursor, DropboxListingState, DropboxBrowseQuery, DropboxBrowsePage>;

export { connectDropbox, DropboxApiError, headerJson, type DropboxConnection, type DropboxEndpoints, type PathRoot } from './api';
export { currentAccount, hasTeamSpace, type DropboxAccount } from './account';
export type { DropboxBrowsePage, DropboxBrowseQuery, DropboxEntry } from './browse';
export { PAPER_EXPORT, type DropboxExportOutcome, type DropboxSkipReason } from './export';
export type { DropboxCursor, DropboxListingState, DropboxSource } from './listing';
export { DROPBOX_PAPER_MIME } from './metadata';
export { folderValue, parseDropboxFolder, type DropboxFolderRef } from './paths';
export { dropboxResilience, dropboxRetryable } from './resilience';
