/** Export: one listed Drive item → streamed, ingestion-ready content, or a skip with a stable reason. */
export {
	exportDriveItem,
	type DriveExportOptions,
	type DriveExportedContent,
	type DriveExportOutcome,
	type DriveSkippedExport,
	type DriveSkipReason,
} from './exportDriveItem';
export {
	DEFAULT_EXPORT_FORMATS,
	DRIVE_EXPORT_TYPES,
	exportChoicesOf,
	isGoogleNative,
	validateOverrides,
	type DriveExportChoices,
	type ExportFormatOverrides,
	type GoogleNativeKind,
} from './formats';
export { SHEET_COLUMN, workbookTable } from './sheets';
