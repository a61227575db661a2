/**
 * Every tab of a Google Sheet in one CSV (or TSV): Drive's own CSV export holds only the first tab.
 * The Sheets API lists the tabs (`spreadsheets.get`) and reads their values in one request
 * (`values.batchGet`, formatted as a person sees them, as Drive's export does). Each row starts
 * with its tab's title, so every chunk an index cuts from the file still says which tab it is from.
 */
import { ConnectorError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import type { DriveConnection } from '../connection';

/** The first column of the export: the tab each row belongs to. */
export const SHEET_COLUMN = 'sheet';

/** What the connector reads of each tab; the Sheets API refuses a mask naming unknown fields. */
const TAB_FIELDS = 'sheets.properties(sheetId,title,index,hidden,sheetType)';

export interface SheetTab {
	sheetId: number;
	title: string;
	index: number;
	hidden: boolean;
}

export interface WorkbookOptions {
	/** Hidden tabs too (default: only the tabs a person sees). */
	includeHiddenSheets?: boolean;
	signal?: AbortSignal;
}

export type SheetsSkip = { skipReason: 'not_found' | 'not_downloadable' | 'no_visible_sheets'; skipDetail: string };

export interface WorkbookExport {
	text: string;
	tabs: SheetTab[];
}

/** A Sheets API answer that is not a success, with Google's `error.status` (`NOT_FOUND`, `PERMISSION_DENIED`, …). */
class SheetsApiError extends Error {
	constructor(
		readonly status: number,
		readonly googleStatus: string | undefined,
		readonly reason: string | undefined,
		message: string,
	) {
		super(message);
	}
}

/** The tabs to export, in the workbook's order: grid tabs only (a chart sheet has no cells), hidden ones when asked. */
export function tabsToExport(tabs: readonly SheetTab[], includeHidden: boolean): SheetTab[] {
	return tabs.filter((tab) => includeHidden || !tab.hidden).sort((a, b) => a.index - b.index);
}

/** `'Q1 ''24'` — a tab title as an A1 range naming the whole tab (quotes doubled, as A1 notation wants). */
export function wholeTabRange(title: string): string {
	return `'${title.replace(/'/g, "''")}'`;
}

/** RFC 4180 for CSV (quotes when a cell holds a comma, quote or line break); TSV replaces tabs and line breaks in cells. */
export function delimitedRow(cells: readonly string[], format: 'csv' | 'tsv'): string {
	if (format === 'tsv') return cells.map((cell) => cell.replace(/[\t\r\n]+/g, ' ')).join('\t');
	return cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',');
}

/**
 * The workbook as one table: a header `sheet` column, then each exported tab's rows with the tab's
 * title in front, padded to the widest tab so that every row has as many fields (RFC 4180).
 */
export function workbookTable(tabs: ReadonlyArray<{ title: string; rows: readonly (readonly string[])[] }>, format: 'csv' | 'tsv'): string {
	const width = Math.max(0, ...tabs.flatMap((tab) => tab.rows.map((row) => row.length)));
	const lines = [delimitedRow([SHEET_COLUMN, ...Array.from({ length: width }, (_, i) => columnName(i))], format)];
	for (const tab of tabs) {
		for (const row of tab.rows) lines.push(delimitedRow([tab.title, ...row, ...Array<string>(width - row.length).fill('')], format));
	}
	return `${lines.join('\r\n')}\r\n`;
}

/** A, B, …, Z, AA, AB, … as the columns of a sheet. */
function columnName(index: number): string {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

/** Every (visible, unless asked) tab of the workbook as one CSV or TSV, or why it cannot be. */
export async function exportWorkbook(
	connection: DriveConnection,
	item: ConnectorItem,
	format: 'csv' | 'tsv',
	{ includeHiddenSheets = false, signal }: WorkbookOptions,
): Promise<WorkbookExport | SheetsSkip> {
	const base = `${connection.sheetsUrl}/v4/spreadsheets/${encodeURIComponent(item.external_id)}`;
	try {
		const workbook = (await sheetsGet(connection, `${base}?fields=${encodeURIComponent(TAB_FIELDS)}`, signal)) as {
			sheets?: Array<{ properties?: Partial<SheetTab> & { sheetType?: string } }>;
		};
		const grids = (workbook.sheets ?? [])
			.map((sheet) => sheet.properties ?? {})
			.filter((tab) => (tab.sheetType ?? 'GRID') === 'GRID')
			.map((tab) => ({ sheetId: tab.sheetId ?? 0, title: tab.title ?? '', index: tab.index ?? 0, hidden: tab.hidden === true }));
		const tabs = tabsToExport(grids, includeHiddenSheets);
		if (tabs.length === 0) {
			const hidden = grids.length > 0 && !includeHiddenSheets;
			return {
				skipReason: 'no_visible_sheets',
				skipDetail: hidden
					? `Every tab of "${item.name}" is hidden; turn on Include Hidden Sheets to export them`
					: `"${item.name}" has no tab with cells (only charts), so there is nothing to export as ${format}`,
			};
		}
		const query = new URLSearchParams();
		for (const tab of tabs) query.append('ranges', wholeTabRange(tab.title));
		query.set('majorDimension', 'ROWS');
		query.set('valueRenderOption', 'FORMATTED_VALUE');
		query.set('fields', 'valueRanges(values)');
		const values = (await sheetsGet(connection, `${base}/values:batchGet?${query}`, signal)) as { valueRanges?: Array<{ values?: unknown[][] }> };
		const ranges = values.valueRanges ?? [];
		const table = tabs.map((tab, i) => ({ title: tab.title, rows: (ranges[i]?.values ?? []).map((row) => row.map(cellText)) }));
		return { text: workbookTable(table, format), tabs };
	} catch (error) {
		if (!(error instanceof SheetsApiError)) throw error;
		return refusal(error, item);
	}
}

function cellText(cell: unknown): string {
	if (cell === null || cell === undefined) return '';
	return typeof cell === 'string' ? cell : String(cell);
}

async function sheetsGet(connection: DriveConnection, url: string, signal: AbortSignal | undefined): Promise<unknown> {
	const response = await connection.signedFetch(url, { signal, headers: { accept: 'application/json' } });
	const body = (await response.json().catch(() => ({}))) as { error?: { status?: string; message?: string; details?: Array<{ reason?: string }> } };
	if (response.ok) return body;
	const reason = body.error?.details?.find((detail) => typeof detail.reason === 'string')?.reason;
	throw new SheetsApiError(response.status, body.error?.status, reason, body.error?.message ?? `HTTP ${response.status}`);
}

/** A file gone or not shared is a skip; the Sheets API not enabled (or anything else) fails the item with what to do. */
function refusal(error: SheetsApiError, item: ConnectorItem): SheetsSkip {
	if (error.status === 404) {
		return { skipReason: 'not_found', skipDetail: `"${item.name}" (${item.external_id}) no longer exists in Google Drive or is no longer shared with this account` };
	}
	if (error.status === 403 && (error.reason === 'SERVICE_DISABLED' || error.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT')) {
		throw new ConnectorError(
			'sheets_api_unavailable',
			`Reading the tabs of "${item.name}" needs the Google Sheets API, which answered: ${error.message}`,
			error.reason === 'SERVICE_DISABLED'
				? 'Enable the Google Sheets API in the Google Cloud project of the credential (APIs & Services → Library → Google Sheets API), then run the export again.'
				: 'Reconnect the credential so that it grants the read-only Drive scope.',
		);
	}
	if (error.status === 403) {
		return { skipReason: 'not_downloadable', skipDetail: `"${item.name}" cannot be read by this account through the Sheets API: ${error.message}` };
	}
	throw new ConnectorError(
		'export_failed',
		`Reading the tabs of "${item.name}" through the Google Sheets API failed with HTTP ${error.status}: ${error.message}`,
		'Run the export again; if it keeps failing, check the account can open the spreadsheet.',
	);
}
