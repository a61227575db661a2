/** Export: one listed Notion page → Markdown with a stable content hash, and its hosted files. */
export { downloadNotionFile, exportNotionPage, type NotionExportResult } from './exportPage';
export { BlockTreeFetcher } from './blockTree';
