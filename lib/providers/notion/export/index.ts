/** Export: one listed Notion page → Markdown with a stable content hash, and its hosted files. */
export { downloadNotionFile, exportNotionPage, type NotionExportResult } from './exportPage';
export { exportNotionItem, NOTION_PAGE_EXPORT, type NotionExportOptions } from './exportItem';
export { BlockTreeFetcher } from './blockTree';
