import type { Client } from '@notionhq/client';

import { InvalidInputError } from '../../../errors';
import type { ExportChoices, ExportNote, ExportOutcome, ExportRequest } from '../../types';
import { downloadNotionFile, exportNotionPage, IncompleteMarkdownError, type NotionContentSource, type NotionMarkdownFallback } from './exportPage';

/** Every Notion item is a page, and a page has one rendering: Markdown. */
export const NOTION_PAGE_EXPORT: ExportChoices = { kind: 'page', label: 'Notion pages', default: 'md', formats: ['md'] };

/** Provider-specific options of a Notion export, as the node passes them. */
export interface NotionExportOptions {
	/** Adds the Notion-hosted files the page shows as attachments. */
	attachFiles?: boolean;
	/** The most files attached to one page; the rest are reported as skipped (`attachment_limit`). */
	maxFilesPerPage?: number;
	/** `markdown` (default): Notion's Markdown endpoint, the block walk where it refuses; `blocks`: the block walk. */
	contentSource?: NotionContentSource;
}

/** Why a page asked of the Markdown endpoint was read with the block walk, as its `export_notes` say it. */
const FALLBACK_DETAIL: Record<NotionMarkdownFallback, string> = {
	markdown_forbidden: "Notion's Markdown endpoint refused the page (403: the integration lacks the capability); it was read with the block walk",
	markdown_rejected: "Notion's Markdown endpoint could not serve the page's content (400/422); it was read with the block walk",
};

/** Files attached to one page unless the node says otherwise: a page of hundreds of images should not flood a run. */
export const DEFAULT_MAX_FILES_PER_PAGE = 20;

/**
 * A listed page as Markdown (`exportNotionPage`), with the hash of its stable form so that a page
 * whose only change is a re-signed file link stays unchanged. With `attachFiles`, the files Notion
 * hosts for it: each is downloaded when the engine stores it, while its signed link is fresh.
 */
export async function exportNotionItem(client: Client, request: ExportRequest): Promise<ExportOutcome> {
	if (request.format !== undefined && !NOTION_PAGE_EXPORT.formats.includes(request.format)) {
		throw new InvalidInputError(
			`Notion pages export only as Markdown (md), not ${request.format}`,
			'Notion has no other export format: ask for md, or leave the format out.',
		);
	}
	const { signal } = request;
	const { attachFiles = false, maxFilesPerPage = DEFAULT_MAX_FILES_PER_PAGE, contentSource } = (request.options ?? {}) as NotionExportOptions;
	let page;
	try {
		page = await exportNotionPage(client, request.item, { signal, contentSource });
	} catch (error) {
		if (error instanceof IncompleteMarkdownError) return { kind: 'skipped', skipReason: error.code, skipDetail: `${error.message}. ${error.hint ?? ''}`.trim() };
		throw error;
	}
	const notes: ExportNote[] = page.fallbackReason ? [{ code: page.fallbackReason, detail: FALLBACK_DETAIL[page.fallbackReason] }] : [];
	const limit = Math.max(0, Math.trunc(maxFilesPerPage));
	const attached = attachFiles ? page.files.slice(0, limit) : [];
	const beyond = attachFiles ? page.files.slice(limit) : [];
	return {
		kind: 'content',
		body: Buffer.from(page.markdown, 'utf8'),
		fileName: page.fileName,
		mimeType: page.exportMime,
		exportFormat: page.exportFormat,
		exportMime: page.exportMime,
		contentHash: page.contentHash,
		contentSource: page.contentSource,
		...(notes.length ? { notes } : {}),
		...(attachFiles ? { attachments: attached.map((file) => ({ name: file.name, mime: file.mime, open: () => downloadNotionFile(file.url, { signal }) })) } : {}),
		...(beyond.length
			? {
					skippedAttachments: beyond.map((file) => ({
						name: file.name,
						skip_reason: 'attachment_limit',
						skip_detail: `The page shows ${page.files.length} files; only the first ${limit} are attached (Max Files per Page)`,
					})),
				}
			: {}),
	};
}
