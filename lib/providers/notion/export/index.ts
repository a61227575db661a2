/** Export: one listed Notion page → Markdown with a stable content hash, and its hosted files. */
export { downloadNotionFile, exportNotionPage, type NotionExportResult } from './exportPage';
export { DEFAULT_MAX_FILES_PER_PAGE, exportNotionItem, NOTION_PAGE_EXPORT, type NotionExportOptions } from './exportItem';
export { BlockTreeFetcher } from './blockTree';
