/** Each listed Dropbox file as content: its bytes from files/download, a Paper doc exported by files/export. */
import type { Readable } from 'node:stream';

import { extensionOf, safeFileName } from '../../files/fileName';
import type { ConnectorItem } from '../../items';
import type { ExportChoices, ExportedContent, ExportRequest, SkippedExport } from '../types';
import { DropboxApiError, type DropboxConnection } from './api';
import { pathRootOf } from './listing';
import { DROPBOX_PAPER_MIME } from './metadata';

export type DropboxSkipReason = 'not_found' | 'not_downloadable' | 'not_exportable' | 'restricted_content';

export interface DropboxExportedContent extends ExportedContent {
	body: Readable;
}

export type DropboxExportOutcome = DropboxExportedContent | (SkippedExport & { skipReason: DropboxSkipReason });

/** Paper docs have no bytes of their own: Dropbox exports them, as Markdown unless the node asks otherwise. */
export const PAPER_EXPORT: ExportChoices = {
	kind: 'paper',
	label: 'Dropbox Paper docs',
	default: 'md',
	formats: ['md', 'html', 'txt'],
};

/** Our format names → files/export's `export_format` and the MIME type of what comes back. */
const PAPER_FORMATS: Readonly<Record<string, { exportFormat: string; mime: string }>> = {
	md: { exportFormat: 'markdown', mime: 'text/markdown' },
	html: { exportFormat: 'html', mime: 'text/html' },
	txt: { exportFormat: 'plain_text', mime: 'text/plain' },
};

export function dropboxExportChoices(item: ConnectorItem): ExportChoices | undefined {
	return item.mime === DROPBOX_PAPER_MIME ? PAPER_EXPORT : undefined;
}

/**
 * The item's content, streamed as Dropbox sends it. Files Dropbox will not hand out come back
 * skipped with a stable reason; rate limits, outages and auth errors are thrown (the run retries them).
 */
export async function exportDropboxItem(connection: DropboxConnection, request: ExportRequest): Promise<DropboxExportOutcome> {
	const { item, signal } = request;
	const pathRoot = pathRootOf(typeof item.namespace_id === 'string' ? item.namespace_id : null);
	try {
		if (item.mime === DROPBOX_PAPER_MIME) {
			const format = request.format ?? PAPER_EXPORT.default;
			const target = PAPER_FORMATS[format];
			if (target === undefined) {
				return skipped('not_exportable', `"${item.name}" is a Paper doc, which Dropbox exports as ${Object.keys(PAPER_FORMATS).join(', ')}, not ${format}`);
			}
			const { body } = await connection.download('files/export', { path: item.external_id, export_format: target.exportFormat }, { pathRoot, signal });
			return {
				kind: 'content',
				body,
				fileName: safeFileName(item.name.replace(/\.paper$/i, ''), format),
				mimeType: target.mime,
				exportFormat: format,
				exportMime: target.mime,
			};
		}
		const { body } = await connection.download('files/download', { path: item.external_id }, { pathRoot, signal });
		const mime = item.mime ?? 'application/octet-stream';
		return { kind: 'content', body, fileName: safeFileName(item.name), mimeType: mime, exportFormat: extensionOf(item.name) ?? 'original', exportMime: mime };
	} catch (error) {
		const skip = error instanceof DropboxApiError ? skipFor(error, item) : undefined;
		if (skip !== undefined) return skip;
		throw error;
	}
}

function skipped(skipReason: DropboxSkipReason, skipDetail: string): DropboxExportOutcome {
	return { kind: 'skipped', skipReason, skipDetail };
}

/** Dropbox's refusals for one file, told apart from errors that should fail the item. */
function skipFor(error: DropboxApiError, item: ConnectorItem): DropboxExportOutcome | undefined {
	if (error.is('path', 'not_found')) return skipped('not_found', `"${item.name}" (${item.external_id}) no longer exists in Dropbox or the account can no longer open it`);
	if (error.is('path', 'restricted_content')) return skipped('restricted_content', `Dropbox restricts "${item.name}" (copyright or legal hold) and does not hand out its content`);
	if (error.is('unsupported_file') || error.is('path', 'unsupported_file')) {
		return skipped('not_downloadable', `"${item.name}" cannot be downloaded from Dropbox (it can only be opened or exported in Dropbox itself)`);
	}
	if (error.is('non_exportable') || error.is('invalid_export_format')) {
		return skipped('not_exportable', `Dropbox cannot export "${item.name}" to the format asked for (${error.summary})`);
	}
	return undefined;
}
