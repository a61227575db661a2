import { finished, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { ConnectorError } from '../../../errors';
import { extensionOf, safeFileName } from '../../../files/fileName';
import type { ConnectorItem } from '../../../items';
import type { ExportedContent, ExportRequest, SkippedExport } from '../../types';
import type { DriveConnection } from '../connection';
import { googleErrorOf } from '../errors';
import { isDriveExportLink } from '../hosts';
import { DEFAULT_EXPORT_FORMATS, exportMimeFor, googleNativeKindOf, isGoogleNative } from './formats';
import { exportWorkbook } from './sheets';

export type DriveSkipReason = 'not_exportable' | 'not_downloadable' | 'abusive_file' | 'not_found' | 'export_size_limit' | 'no_visible_sheets';

/** Provider options of a Drive export, as the node passes them. */
export interface DriveExportOptions {
	/** A Sheet's hidden tabs are exported too (CSV, TSV); by default only the tabs a person sees. */
	includeHiddenSheets?: boolean;
}

export interface DriveExportedContent extends ExportedContent {
	/** The bytes, streamed as Drive sends them. */
	body: Readable;
}

export interface DriveSkippedExport extends SkippedExport {
	skipReason: DriveSkipReason;
}

export type DriveExportOutcome = DriveExportedContent | DriveSkippedExport;

/** Drive refuses `files.export` above this; `exportLinks` have no such limit. */
const EXPORT_SIZE_LIMIT_MB = 10;

interface ExportTarget {
	exportFormat: string;
	exportMime: string;
}

/** What the connector cannot export, told apart from errors that should fail the run. */
class ExportSkip extends Error {
	constructor(
		readonly skipReason: DriveSkipReason,
		readonly skipDetail: string,
	) {
		super(skipDetail);
	}
}

/**
 * Turns one listed Drive item into streamed, ingestion-ready content: Google-native files exported
 * to `format` (the engine's choice among the item's export choices; their default without one),
 * other files as their original bytes. Items Drive refuses come back `skipped` with a stable
 * reason. The org policy (format, size) and the content hash are the engine's.
 */
export async function exportDriveItem(connection: DriveConnection, request: ExportRequest): Promise<DriveExportOutcome> {
	const { item } = request;
	// A slot for the whole file, given back once its bytes have been read (or the read failed).
	const release = await connection.downloads.acquire();
	try {
		const native = isGoogleNative(item.mime);
		const { body, target } = native
			? await exportGoogleNative(connection, request)
			: { body: await downloadOriginal(connection, request), target: originalTarget(item) };
		finished(body, (error) => release(!error));
		return {
			kind: 'content',
			body,
			fileName: safeFileName(item.name, native ? target.exportFormat : undefined),
			mimeType: target.exportMime,
			exportFormat: target.exportFormat,
			exportMime: target.exportMime,
		};
	} catch (error) {
		release(false);
		if (error instanceof ExportSkip) return { kind: 'skipped', skipReason: error.skipReason, skipDetail: error.skipDetail };
		throw error;
	}
}

function originalTarget(item: ConnectorItem): ExportTarget {
	return { exportFormat: extensionOf(item.name) ?? 'original', exportMime: item.mime ?? 'application/octet-stream' };
}

async function exportGoogleNative(connection: DriveConnection, { item, format, signal, options }: ExportRequest): Promise<{ body: Readable; target: ExportTarget }> {
	const kind = googleNativeKindOf(item.mime);
	if (kind === undefined) {
		throw new ExportSkip('not_exportable', `"${item.name}" is a ${item.mime ?? 'Google'} file, which Google Drive cannot export`);
	}
	const exportFormat = format ?? DEFAULT_EXPORT_FORMATS[kind];
	const target = { exportFormat, exportMime: exportMimeFor(kind, exportFormat) };
	// Drive's CSV and TSV exports hold the first tab only; XLSX, ODS and PDF hold every tab already.
	if (kind === 'spreadsheet' && (exportFormat === 'csv' || exportFormat === 'tsv')) {
		const { includeHiddenSheets = false } = (options ?? {}) as DriveExportOptions;
		const workbook = await exportWorkbook(connection, item, exportFormat, { includeHiddenSheets, signal });
		if ('skipReason' in workbook) throw new ExportSkip(workbook.skipReason, workbook.skipDetail);
		return { body: Readable.from([Buffer.from(workbook.text, 'utf8')]), target };
	}
	try {
		const response = await connection.drive.files.export(
			{ fileId: item.external_id, mimeType: target.exportMime },
			{ responseType: 'stream', signal },
		);
		return { body: response.data as unknown as Readable, target };
	} catch (error) {
		if (googleErrorOf(error).reason !== 'exportSizeLimitExceeded') throw skipFor(error, item);
		return { body: await exportThroughLink(connection, item, target, signal), target };
	}
}

/** Drive's `exportLinks` have no 10 MB limit, but are plain URLs that need the signed fetch. */
async function exportThroughLink(
	{ drive, signedFetch, apiUrl }: DriveConnection,
	item: ConnectorItem,
	target: ExportTarget,
	signal: AbortSignal | undefined,
): Promise<Readable> {
	let links: Record<string, string> | null | undefined;
	try {
		const { data } = await drive.files.get({ fileId: item.external_id, fields: 'exportLinks', supportsAllDrives: true }, { signal });
		links = data.exportLinks;
	} catch (error) {
		throw skipFor(error, item);
	}
	const link = links?.[target.exportMime];
	if (!link) {
		throw new ExportSkip(
			'export_size_limit',
			`"${item.name}" exported to ${target.exportFormat} is larger than Google Drive's ${EXPORT_SIZE_LIMIT_MB} MB export limit, ` +
				`and Drive offers no export link for ${target.exportMime}`,
		);
	}
	// The link comes from Drive's answer: the token follows it only over https to Google (or the configured API).
	if (!isDriveExportLink(link, apiUrl)) {
		throw new ExportSkip(
			'export_size_limit',
			`"${item.name}" exported to ${target.exportFormat} is larger than Google Drive's ${EXPORT_SIZE_LIMIT_MB} MB export limit, ` +
				`and its export link is not on a Google host (${originOrLink(link)}), so it was not followed`,
		);
	}
	const response = await signedFetch(link, { signal });
	if (!response.ok || !response.body) {
		await response.body?.cancel();
		if (response.status === 404) throw notFound(item);
		if (response.status === 403) throw notDownloadable(item);
		throw new ConnectorError(
			'export_failed',
			`Exporting "${item.name}" through its export link failed with HTTP ${response.status}`,
			'Run the export again; if it keeps failing, check the account can open the file in Drive.',
		);
	}
	return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

function originOrLink(link: string): string {
	try {
		return new URL(link).origin;
	} catch {
		return link;
	}
}

async function downloadOriginal({ drive }: DriveConnection, { item, signal }: ExportRequest): Promise<Readable> {
	try {
		// Never acknowledgeAbuse: downloading a file Drive flags as malware is a person's decision.
		const response = await drive.files.get(
			{ fileId: item.external_id, alt: 'media', supportsAllDrives: true },
			{ responseType: 'stream', signal },
		);
		return response.data as unknown as Readable;
	} catch (error) {
		throw skipFor(error, item);
	}
}

function notFound(item: ConnectorItem): ExportSkip {
	return new ExportSkip('not_found', `"${item.name}" (${item.external_id}) no longer exists in Google Drive or is no longer shared with this account`);
}

function notDownloadable(item: ConnectorItem): ExportSkip {
	return new ExportSkip(
		'not_downloadable',
		`"${item.name}" cannot be downloaded by this account — its owner disabled downloading, or ask them to allow it`,
	);
}

/** Maps Drive's refusals for one file to a skip; anything else (auth, rate limits, outages) is rethrown. */
function skipFor(error: unknown, item: ConnectorItem): unknown {
	const { status, reason } = googleErrorOf(error);
	if (status === 404 || reason === 'notFound') return notFound(item);
	if (reason === 'cannotDownloadAbusiveFile') {
		return new ExportSkip(
			'abusive_file',
			`Google Drive flagged "${item.name}" as malware or spam and refuses to download it; it was not acknowledged and downloaded anyway`,
		);
	}
	if (reason === 'fileNotDownloadable' || reason === 'cannotDownloadFile') return notDownloadable(item);
	if (reason === 'fileNotExportable') {
		return new ExportSkip('not_exportable', `"${item.name}" is a ${item.mime ?? 'Google'} file, which Google Drive cannot export`);
	}
	return error;
}
