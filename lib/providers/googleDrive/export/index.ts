/** Export: one listed Drive item → streamed, ingestion-ready content, or a skip with a stable reason. */
export {
	exportDriveItem,
	type DriveSkipReason,
	type ExportedContent,
	type ExportOptions,
	type ExportResult,
	type SkippedExport,
} from './exportDriveItem';
export { safeFileName } from '../../../files/fileName';
export { DEFAULT_EXPORT_FORMATS, type ExportFormatOverrides, type GoogleNativeKind } from './formats';
