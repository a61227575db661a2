import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { Client, PageObjectResponse } from '@notionhq/client';

import { ConnectorError, NotFoundError } from '../../../errors';
import { fillUnknown, parseEnhancedMarkdown, type UnknownBlockRef } from '../markdown/enhanced';
import type { ConnectorItem } from '../../../items';
import { safeFileName } from '../../../files/fileName';
import { NotionApi } from '../api';
import { notionErrorOf, notSharedError } from '../client';
import { parseNotionId } from '../ids';
import { renderMarkdown, type BlockNode, type KnownItem, type RenderedFile, type RenderedPage } from '../markdown';
import { isTrashed, titleOfDatabase, titleOfPage } from '../objects';
import { BlockTreeFetcher } from './blockTree';
import { mimeOfFileName } from './mime';

export interface NotionExportResult {
	/** What goes into the binary `data`. */
	markdown: string;
	/** Safe on any file system, ends in .md. */
	fileName: string;
	exportFormat: 'md';
	exportMime: 'text/markdown';
	/** sha256 hex of the Markdown and the hosted files' stable paths (not of Notion's expiring signed URLs). */
	contentHash: string;
	bytes: number;
	/** Notion-hosted files the page shows (signed URLs, valid about an hour). */
	files: Array<{ name: string; url: string; mime: string | null }>;
	/** Notion API requests the export made. */
	requests: number;
	/** Where the content came from: Notion's Markdown endpoint, or the block walk. */
	contentSource: NotionContentSource;
	/** Why the block walk was used although the endpoint was asked for (`markdown_forbidden`, `markdown_rejected`). */
	fallbackReason?: NotionMarkdownFallback;
}

/** `markdown`: one request a page through `GET /v1/pages/{id}/markdown` (default); `blocks`: the block walk. */
export type NotionContentSource = 'markdown' | 'blocks';
export type NotionMarkdownFallback = 'markdown_forbidden' | 'markdown_rejected';

/** Requests for `unknown_block_ids` one page may make before it counts as incomplete. */
export const MAX_MARKDOWN_FOLLOW_UPS = 25;

/** A page the endpoint kept truncating past `MAX_MARKDOWN_FOLLOW_UPS`: skipped, not exported half. */
export class IncompleteMarkdownError extends ConnectorError {
	constructor(pageId: string, missing: number) {
		super(
			'notion_markdown_incomplete',
			`Notion page ${pageId} is still truncated after ${MAX_MARKDOWN_FOLLOW_UPS} follow-up requests (${missing} blocks missing)`,
			'Export it with Content Source: Block Tree, which has no size limit.',
		);
	}
}

/** Requests one export keeps in flight; the integration's throttle decides how fast they go. */
const EXPORT_PARALLEL_REQUESTS = 8;

/**
 * Reads the page (or takes it from the listing that just read it at the item's version) and its
 * content: from the Markdown endpoint, or by walking its block tree (children paginated past 100
 * at every level, siblings' children in parallel within the throttle, synced originals and linked
 * page titles resolved), and renders it with ./markdown. Throws NotFoundError for a page not
 * shared with the integration, or in the trash.
 */
export async function exportNotionPage(
	client: Client,
	item: Pick<ConnectorItem, 'external_id'> & Partial<Pick<ConnectorItem, 'version'>>,
	options: { signal?: AbortSignal; contentSource?: NotionContentSource } = {},
): Promise<NotionExportResult> {
	const pageId = parseNotionId(item.external_id, 'page');
	const api = new NotionApi(client, EXPORT_PARALLEL_REQUESTS, options.signal);
	// A page a listing of this integration just read at this version is not read again: the
	// Markdown endpoint then costs the page one request.
	const page = await api.listedOrPage(pageId, item.version);
	if (page === null) throw notSharedError('page', pageId);
	const title = titleOfPage(page);
	if (isTrashed(page)) {
		throw new NotFoundError(
			`Notion page "${title}" (${pageId}) is in the trash`,
			'Restore it in Notion to export it; listChanges reports trashed pages as deleted.',
		);
	}

	let contentSource: NotionContentSource = options.contentSource ?? 'markdown';
	let fallbackReason: NotionMarkdownFallback | undefined;
	let rendered: RenderedPage | undefined;
	if (contentSource === 'markdown') {
		try {
			rendered = renderMarkdown(page, await markdownBlocks(api, pageId));
		} catch (error) {
			fallbackReason = markdownFallbackOf(error);
			if (fallbackReason === undefined) throw error;
			contentSource = 'blocks';
		}
	}
	rendered ??= await walkedPage(api, page, pageId);
	return {
		contentSource,
		...(fallbackReason ? { fallbackReason } : {}),
		markdown: rendered.markdown,
		fileName: safeFileName(title, 'md'),
		exportFormat: 'md',
		exportMime: 'text/markdown',
		contentHash: createHash('sha256').update(rendered.hashInput, 'utf8').digest('hex'),
		bytes: Buffer.byteLength(rendered.markdown, 'utf8'),
		files: hostedFiles(page, rendered.files),
		requests: api.requests,
	};
}

async function walkedPage(api: NotionApi, page: PageObjectResponse, pageId: string): Promise<RenderedPage> {
	const fetcher = new BlockTreeFetcher(api);
	const blocks = await fetcher.pageTree(pageId);
	const linked = await linkedItems(api, fetcher);
	return renderMarkdown(page, blocks, {
		resolveSyncedBlock: (originalId) => fetcher.resolveSyncedBlock(originalId),
		childItems: linked,
	});
}

/** The page's blocks from the Markdown endpoint, each `unknown_block_ids` subtree fetched in place. */
async function markdownBlocks(api: NotionApi, pageId: string): Promise<BlockNode[]> {
	const first = await api.markdown(pageId);
	const parsed = parseEnhancedMarkdown(first.markdown);
	const pending = followUps(parsed.unknown, first.unknown_block_ids);
	let requests = 0;
	while (pending.length > 0) {
		if (requests >= MAX_MARKDOWN_FOLLOW_UPS) throw new IncompleteMarkdownError(pageId, pending.length);
		const batch = pending.splice(0, Math.min(pending.length, MAX_MARKDOWN_FOLLOW_UPS - requests));
		requests += batch.length;
		await Promise.all(
			batch.map(async (ref) => {
				const answer = await api.markdown(ref.id);
				const subtree = parseEnhancedMarkdown(answer.markdown);
				fillUnknown(ref, subtree.blocks);
				pending.push(...followUps(subtree.unknown, answer.unknown_block_ids));
			}),
		);
	}
	return parsed.blocks;
}

/** Placeholders Notion says it can return (`unknown_block_ids`); others stay marked as unsupported. */
function followUps(refs: readonly UnknownBlockRef[], unknownIds: readonly string[]): UnknownBlockRef[] {
	const fetchable = new Set(unknownIds.map((id) => id.replace(/-/g, '')));
	return refs.filter((ref) => fetchable.has(ref.id.replace(/-/g, '')));
}

/**
 * Whether the endpoint's refusal leaves the block walk to try: a missing capability (403) or
 * content it cannot serve (400/422 validation). Anything else (404, 429 after retries) is the page's error.
 */
function markdownFallbackOf(error: unknown): NotionMarkdownFallback | undefined {
	const { status, code } = notionErrorOf(error);
	if (status === 403 || code === 'restricted_resource') return 'markdown_forbidden';
	if (status === 400 || status === 422 || code === 'validation_error') return 'markdown_rejected';
	return undefined;
}

/** Notion-hosted files in the page's blocks, then in its `files` properties (database rows), each once. */
function hostedFiles(page: PageObjectResponse, blockFiles: readonly RenderedFile[]): NotionExportResult['files'] {
	const files: NotionExportResult['files'] = [];
	const seen = new Set<string>();
	const add = (name: string, url: string): void => {
		if (seen.has(url)) return;
		seen.add(url);
		files.push({ name, url, mime: mimeOfFileName(name) });
	};
	for (const file of blockFiles) if (file.hosted) add(file.name, file.url);
	for (const property of Object.values(page.properties)) {
		if (property.type !== 'files') continue;
		for (const file of property.files) if (file.type === 'file') add(file.name, file.file.url);
	}
	return files;
}

/** Titles and URLs of the pages and databases `link_to_page` blocks point at (those the integration can read). */
async function linkedItems(api: NotionApi, fetcher: BlockTreeFetcher): Promise<Map<string, KnownItem>> {
	const known = new Map<string, KnownItem>();
	await Promise.all([
		...[...fetcher.linkedPages].map(async (id) => {
			const page = await api.page(id);
			if (page !== null) known.set(id, { title: titleOfPage(page), url: page.url });
		}),
		...[...fetcher.linkedDatabases].map(async (id) => {
			const database = await api.databaseIfReadable(id);
			if (database !== null) known.set(id, { title: titleOfDatabase(database), url: database.url });
		}),
	]);
	return known;
}

/**
 * Downloads one Notion-hosted file (a signed URL from an export) as a stream. The URL carries its
 * own signature, so it is fetched as it is, without the integration's credential.
 */
export async function downloadNotionFile(
	url: string,
	options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<{ stream: Readable; mime: string | null }> {
	const response = await (options.fetch ?? fetch)(url, options.signal ? { signal: options.signal } : undefined);
	if (!response.ok || response.body === null) {
		await response.body?.cancel();
		if (response.status === 403) {
			throw new ConnectorError(
				'file_url_expired',
				`The Notion file link has expired or is no longer valid (HTTP 403): ${url.split('?')[0]}`,
				'Notion signs file links for about an hour: export the page again and download its files right away.',
			);
		}
		throw new ConnectorError(
			'download_failed',
			`Downloading the Notion file ${url.split('?')[0]} failed with HTTP ${response.status}`,
			'Run the export again; if it keeps failing, check the file still exists on the page.',
		);
	}
	const type = response.headers.get('content-type');
	return {
		stream: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
		mime: type ? type.split(';')[0].trim() || null : null,
	};
}
