export { downloadNotionFile, exportNotionPage, type NotionExportResult } from './exportPage';
