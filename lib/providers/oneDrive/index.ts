/**
 * The OneDrive and SharePoint provider (docs/architecture.md, "Providers"), over Microsoft Graph
 * v1.0: browse, incremental listing through a drive's delta feed, export of files as they are or
 * Office files as PDF. No n8n imports.
 */
import { InvalidInputError } from '../../errors';
import type { ConnectorProvider, ProviderTransport } from '../types';
import { browseOneDrive, type OneDriveBrowsePage, type OneDriveBrowseQuery } from './browse';
import { connectOneDrive, oneDriveResilience, type OneDriveConnection } from './connection';
import { describeOneDriveItem } from './describe';
import { exportChoicesOf, exportOneDriveItem, ONEDRIVE_EXPORT_TYPES } from './export';
import {
	listOneDriveChanges,
	parseOneDriveCursor,
	sourceKeyFor,
	type OneDriveCursor,
	type OneDriveListingState,
	type OneDriveSource,
} from './listing';

interface GraphUser {
	id?: string;
	mail?: string | null;
	userPrincipalName?: string;
}

export const oneDriveProvider = {
	id: 'onedrive',
	displayName: 'OneDrive',
	itemNoun: 'file',
	workspaceRule: false,
	resilience: oneDriveResilience,
	connect: (transport: ProviderTransport) => connectOneDrive(transport),
	/** The user's `mail`, else their `userPrincipalName` (accounts without a mailbox have only that). */
	async account({ graph }: OneDriveConnection) {
		const user = await graph.get<GraphUser>('/me', { $select: 'id,mail,userPrincipalName' }, 'the signed-in user');
		const email = user.mail || (user.userPrincipalName?.includes('@') ? user.userPrincipalName : null) || null;
		const accountId = email ?? user.userPrincipalName ?? user.id ?? '';
		if (accountId === '') throw new InvalidInputError('Microsoft Graph did not name the signed-in user', 'Reconnect the Microsoft credential.');
		return { accountId, email };
	},
	sourceKey: sourceKeyFor,
	browse: browseOneDrive,
	listChanges: async (connection: OneDriveConnection, request) => await listOneDriveChanges(connection.graph, request),
	parseCursor: parseOneDriveCursor,
	exportTypes: ONEDRIVE_EXPORT_TYPES,
	exportChoices: exportChoicesOf,
	exportItem: exportOneDriveItem,
	describeItem: describeOneDriveItem,
} satisfies ConnectorProvider<OneDriveConnection, OneDriveSource, OneDriveCursor, OneDriveListingState, OneDriveBrowseQuery, OneDriveBrowsePage>;

export type { OneDriveBrowsePage, OneDriveBrowseQuery, OneDriveEntry, OneDriveEntryType } from './browse';
export { connectOneDrive, type OneDriveConnection } from './connection';
export { GraphError } from './errors';
export { officeKindOf, type OfficeKind, type OneDriveSkipReason } from './export';
export { isShareUrl, MY_DRIVE, parseDriveId, parseFolderRef, shareIdOf } from './ids';
export { ONENOTE_MIME, type OneDriveCursor, type OneDriveListingState, type OneDriveSource } from './listing';
