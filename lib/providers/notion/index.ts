/**
 * The Notion provider (PRODUCT.md §3): browse, listChanges and export on Notion API 2025-09-03
 * (databases hold data sources; rows are queried through `dataSources.query`). No n8n imports.
 *
 * Beyond the fixed contract, compatibly (all optional): `NotionListOptions.reconcileMinutes`
 * (how often a listing re-walks its source block by block, default daily),
 * `NotionClientOptions.requestsPerSecond` (the integration's budget, default 3; for tests and
 * benchmarks against a faster fake), and a few helpers (`serverTimeOf`, `NOTION_PAGE_MIME`,
 * the listing defaults). How listing finds changes and deletions: ./README.md.
 */
export { notionAccount, type NotionAccount } from './account';
export { browseNotion, type NotionBrowseEntry, type NotionBrowseQuery } from './browse';
export { notionClient, serverTimeOf, type NotionClientOptions } from './client';
export { downloadNotionFile, exportNotionPage, type NotionExportResult } from './export';
export { COMPACT_ID_PATTERN, DASHED_ID_PATTERN, notionUrl, parseNotionId } from './ids';
export {
	DEFAULT_MAX_DEPTH,
	DEFAULT_OVERLAP_MINUTES,
	DEFAULT_RECONCILE_MINUTES,
	listNotionChanges,
	notionSourceKeyFor,
	type NotionListOptions,
	type NotionSource,
} from './listing';
export { NOTION_PAGE_MIME } from './objects';
