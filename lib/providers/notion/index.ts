/**
 * The Notion provider (docs/architecture.md, "Providers"): `notionProvider` implements
 * ConnectorProvider on Notion API 2025-09-03 (databases hold data sources; rows are queried
 * through `dataSources.query`). No n8n imports. How listing finds changes and deletions: ./README.md.
 *
 * Beside the provider: the types of its source, cursor, snapshot and browse query; `parseNotionId`
 * and the listing defaults for the node's parameters; `notionClient` with `requestsPerSecond`
 * (the integration's budget, default 3) for tests and benchmarks against a faster fake; and
 * `NOTION_PAGE_MIME`, the `mime` of every listed page.
 */
export { notionProvider, type NotionConnection, type NotionProvider } from './provider';
export { notionAccount, type NotionAccount } from './account';
export { type NotionBrowseEntry, type NotionBrowseQuery } from './browse';
export { notionClient, serverTimeOf, type NotionClientOptions } from './client';
export { DEFAULT_MAX_FILES_PER_PAGE, NOTION_PAGE_EXPORT, type NotionExportOptions } from './export';
export { COMPACT_ID_PATTERN, DASHED_ID_PATTERN, notionUrl, parseNotionId } from './ids';
export {
	DEFAULT_MAX_DEPTH,
	DEFAULT_OVERLAP_MINUTES,
	DEFAULT_RECONCILE_MINUTES,
	type NotionCursor,
	type NotionListingState,
	type NotionListOptions,
	type NotionSource,
} from './listing';
export { NOTION_PAGE_MIME } from './objects';
export { notionResilience, notionRetryable } from './resilience';
