/**
 * The Google Drive provider (docs/architecture.md, "Providers"): browse, incremental listing
 * through Drive's Changes API, and export of Google-native files and plain files. No n8n imports.
 */
import type { ConnectorProvider, ProviderTransport } from '../types';
import { browseDrive, type DriveBrowsePage, type DriveBrowseQuery } from './browse';
import { connectDrive, driveResilience, type DriveConnection } from './connection';
import { describeDriveItem } from './describe';
import { DRIVE_EXPORT_TYPES, exportChoicesOf, exportDriveItem } from './export';
import { listDriveChanges, parseDriveCursor, sourceKeyFor, type DriveCursor, type DriveListingState, type DriveSource } from './listing';

export const googleDriveProvider = {
	id: 'google_drive',
	displayName: 'Google Drive',
	itemNoun: 'file',
	workspaceRule: false,
	resilience: driveResilience,
	connect: (transport: ProviderTransport) => connectDrive(transport),
	async account({ drive }: DriveConnection) {
		const { data } = await drive.about.get({ fields: 'user(emailAddress)' });
		const email = data.user?.emailAddress ?? null;
		return { accountId: email ?? '', email };
	},
	sourceKey: sourceKeyFor,
	browse: browseDrive,
	listChanges: async (connection: DriveConnection, request) => await listDriveChanges(connection.drive, request),
	parseCursor: parseDriveCursor,
	exportTypes: DRIVE_EXPORT_TYPES,
	exportChoices: exportChoicesOf,
	exportItem: exportDriveItem,
	describeItem: describeDriveItem,
} satisfies ConnectorProvider<DriveConnection, DriveSource, DriveCursor, DriveListingState, DriveBrowseQuery, DriveBrowsePage>;

export type { DriveBrowsePage, DriveBrowseQuery, DriveEntry, DriveEntryType } from './browse';
export { connectDrive, type DriveConnection } from './connection';
export {
	DEFAULT_EXPORT_FORMATS,
	isGoogleNative,
	validateOverrides,
	type DriveExportChoices,
	type DriveExportOptions,
	type DriveExportedContent,
	type DriveExportOutcome,
	type DriveSkipReason,
	type ExportFormatOverrides,
	type GoogleNativeKind,
} from './export';
export { driveCredentialOrigins, isDriveExportLink } from './hosts';
export { MY_DRIVE_ROOT, parseDriveId } from './ids';
export type { DriveCursor, DriveListingState, DriveSource } from './listing';
