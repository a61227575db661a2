/** Export: one listed drive item → its bytes streamed (Office files as they are, or as PDF through Graph's conversion), or a skip. */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { extensionOf, safeFileName } from '../../files/fileName';
import type { ConnectorItem } from '../../items';
import type { ExportChoices, ExportedContent, ExportRequest, SkippedExport } from '../types';
import type { OneDriveConnection } from './connection';
import { GraphError } from './errors';
import { segment } from './graph';
import { MY_DRIVE } from './ids';
import { ONENOTE_MIME } from './listing';

export type OfficeKind = 'document' | 'spreadsheet' | 'presentation';

export type OneDriveSkipReason = 'not_downloadable' | 'not_found' | 'not_exportable';

/** Office and OpenDocument files by extension, those Graph's `?format=pdf` converts. */
const OFFICE_EXTENSIONS: Readonly<Record<OfficeKind, readonly string[]>> = {
	document: ['doc', 'docx', 'dot', 'dotx', 'dotm', 'odt', 'rtf'],
	spreadsheet: ['xls', 'xlsx', 'xlsm', 'ods'],
	presentation: ['ppt', 'pptx', 'pps', 'ppsx', 'odp'],
};

const LABELS: Readonly<Record<OfficeKind, string>> = {
	document: 'Word documents',
	spreadsheet: 'Excel workbooks',
	presentation: 'PowerPoint presentations',
};

const PDF = 'pdf';

/** Every Office type the export can convert: as it is by default, PDF when asked for (or when the policy allows only that). */
export const ONEDRIVE_EXPORT_TYPES: readonly ExportChoices[] = (Object.keys(OFFICE_EXTENSIONS) as OfficeKind[]).map((kind) => ({
	kind,
	label: LABELS[kind],
	default: 'original',
	formats: ['original', PDF],
	keepsOriginal: true,
}));

export function officeKindOf(name: string): OfficeKind | undefined {
	const extension = extensionOf(name)?.toLowerCase();
	if (extension === undefined) return undefined;
	return (Object.keys(OFFICE_EXTENSIONS) as OfficeKind[]).find((kind) => OFFICE_EXTENSIONS[kind].includes(extension));
}

/** An Office file's choices: its own bytes (named by its extension) or PDF; undefined for other files. */
export function exportChoicesOf(item: ConnectorItem): ExportChoices | undefined {
	const kind = officeKindOf(item.name);
	if (kind === undefined) return undefined;
	const own = (extensionOf(item.name) as string).toLowerCase();
	return { kind, label: LABELS[kind], default: own, formats: [own, PDF], keepsOriginal: true };
}

class ExportSkip extends Error {
	constructor(
		readonly skipReason: OneDriveSkipReason,
		readonly skipDetail: string,
	) {
		super(skipDetail);
	}
}

/**
 * Streams one listed item's bytes from Graph (`/content` answers with a redirect to a
 * pre-authenticated download, which the fetch follows). `format` is `pdf` only when the engine
 * resolved a conversion for an Office file. Items Graph cannot hand over come back skipped.
 */
export async function exportOneDriveItem({ graph }: OneDriveConnection, { item, format, signal }: ExportRequest): Promise<ExportedContent | SkippedExport> {
	try {
		if (item.mime === ONENOTE_MIME) {
			throw new ExportSkip(
				'not_downloadable',
				`"${item.name}" is a OneNote notebook, which has no file to download — export its pages from OneNote, or exclude it with Include Types`,
			);
		}
		const converted = format === PDF && exportChoicesOf(item) !== undefined;
		const driveId = typeof item.drive_id === 'string' && item.drive_id !== '' ? item.drive_id : MY_DRIVE;
		const base = driveId === MY_DRIVE ? '/me/drive' : `/drives/${segment(driveId)}`;
		const url = graph.url(`${base}/items/${segment(item.external_id)}/content`, converted ? { format: PDF } : {});
		let response: Response;
		try {
			response = await graph.open(url, `the download of "${item.name}"`, signal);
		} catch (error) {
			throw skipFor(error, item, converted);
		}
		if (response.body === null) throw new ExportSkip('not_downloadable', `Microsoft Graph sent no bytes for "${item.name}"`);
		const exportMime = converted ? 'application/pdf' : (item.mime ?? 'application/octet-stream');
		return {
			kind: 'content',
			body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
			fileName: converted ? safeFileName(item.name.replace(/\.[^.]+$/, ''), PDF) : safeFileName(item.name),
			mimeType: exportMime,
			exportFormat: converted ? PDF : (extensionOf(item.name)?.toLowerCase() ?? 'original'),
			exportMime,
		};
	} catch (error) {
		if (error instanceof ExportSkip) return { kind: 'skipped', skipReason: error.skipReason, skipDetail: error.skipDetail };
		throw error;
	}
}

/** Graph's refusals for one item become skips; throttling, auth and outages are rethrown (the item fails and comes again). */
function skipFor(error: unknown, item: ConnectorItem, converted: boolean): unknown {
	if (!(error instanceof GraphError)) return error;
	if (error.status === 404) {
		return new ExportSkip('not_found', `"${item.name}" (${item.external_id}) no longer exists in OneDrive or is no longer shared with this account`);
	}
	if (converted && (error.status === 406 || error.status === 415 || error.graphCode === 'notSupported')) {
		return new ExportSkip('not_exportable', `Microsoft Graph cannot convert "${item.name}" to PDF (${error.graphCode}); export it as it is instead`);
	}
	if (error.status === 403 || error.status === 423) {
		return new ExportSkip('not_downloadable', `"${item.name}" cannot be downloaded by this account (${error.graphCode}) — ask its owner for access`);
	}
	return error;
}
