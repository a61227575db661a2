/**
 * The Sheets API v4 part of the fake Google server: `spreadsheets.get` (tab properties) and
 * `spreadsheets.values.batchGet`, strict like the real one — parameters outside the discovery
 * document and `fields` masks naming unknown fields answer 400, ranges naming no tab answer
 * "Unable to parse range", a file that is not a spreadsheet answers 400 FAILED_PRECONDITION, and
 * errors have the newer Google shape `{ error: { code, message, status, details } }` (no `errors[]`).
 */
import { FieldsError, parseFields, project, validateSelection, type FieldSchema, type FieldSelection } from './driveFields';
import { sendJson, type ServerContext } from './http';

export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';

export interface FakeSheet {
	sheetId: number;
	title: string;
	index: number;
	hidden: boolean;
	/** `OBJECT` for a chart sheet, which has no cells. */
	sheetType: 'GRID' | 'OBJECT';
	/** Formatted values, row by row (trailing empty cells and rows are not sent, as Google does). */
	rows: string[][];
}

export interface SheetInit {
	title: string;
	rows?: string[][];
	hidden?: boolean;
	sheetType?: 'GRID' | 'OBJECT';
	sheetId?: number;
}

export class SheetsApiError extends Error {
	constructor(
		readonly status: number,
		readonly googleStatus: string,
		message: string,
		readonly details: unknown[] = [],
	) {
		super(message);
	}
}

export function sheetsErrorBody(error: SheetsApiError): unknown {
	return { error: { code: error.status, message: error.message, status: error.googleStatus, ...(error.details.length ? { details: error.details } : {}) } };
}

const STANDARD = ['$.xgafv', 'access_token', 'alt', 'callback', 'fields', 'key', 'oauth_token', 'prettyPrint', 'quotaUser', 'upload_protocol', 'uploadType'];
const METHOD_PARAMS: Record<string, string[]> = {
	'spreadsheets.get': ['ranges', 'includeGridData', 'excludeTablesInBandedRanges'],
	'spreadsheets.values.batchGet': ['ranges', 'majorDimension', 'valueRenderOption', 'dateTimeRenderOption'],
};

const leaf = 'leaf' as const;
const SHEET_PROPERTIES: FieldSchema = {
	sheetId: leaf,
	title: leaf,
	index: leaf,
	sheetType: leaf,
	hidden: leaf,
	rightToLeft: leaf,
	tabColor: 'open',
	tabColorStyle: 'open',
	gridProperties: { rowCount: leaf, columnCount: leaf, frozenRowCount: leaf, frozenColumnCount: leaf, hideGridlines: leaf },
	dataSourceSheetProperties: 'open',
};
const SPREADSHEET_SCHEMA: FieldSchema = {
	spreadsheetId: leaf,
	spreadsheetUrl: leaf,
	properties: { title: leaf, locale: leaf, autoRecalc: leaf, timeZone: leaf, defaultFormat: 'open', iterativeCalculationSettings: 'open', spreadsheetTheme: 'open' },
	sheets: { properties: SHEET_PROPERTIES, data: 'open', merges: 'open', conditionalFormats: 'open', filterViews: 'open', protectedRanges: 'open', charts: 'open' },
	namedRanges: 'open',
	developerMetadata: 'open',
	dataSources: 'open',
};
const BATCH_GET_SCHEMA: FieldSchema = {
	spreadsheetId: leaf,
	valueRanges: { range: leaf, majorDimension: leaf, values: leaf },
};

export function sheetsOf(inits: readonly SheetInit[]): FakeSheet[] {
	const titles = new Set<string>();
	return inits.map((init, index) => {
		if (titles.has(init.title.toLowerCase())) throw new Error(`fake sheets: two tabs titled "${init.title}"`);
		titles.add(init.title.toLowerCase());
		return {
			sheetId: init.sheetId ?? (index === 0 ? 0 : 100_000 + index * 7919),
			title: init.title,
			index,
			hidden: init.hidden ?? false,
			sheetType: init.sheetType ?? 'GRID',
			rows: init.sheetType === 'OBJECT' ? [] : trimmed(init.rows ?? []),
		};
	});
}

/** Google sends no trailing empty cells nor trailing empty rows. */
function trimmed(rows: string[][]): string[][] {
	const out = rows.map((row) => {
		let end = row.length;
		while (end > 0 && row[end - 1] === '') end -= 1;
		return row.slice(0, end);
	});
	while (out.length > 0 && out[out.length - 1].length === 0) out.pop();
	return out;
}

/** What Drive's CSV export of the workbook holds: the first tab only. */
export function firstTabCsv(sheets: readonly FakeSheet[]): string {
	const first = sheets.find((sheet) => sheet.sheetType === 'GRID');
	return (first?.rows ?? []).map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\n');
}

class SheetsParams {
	private readonly values = new Map<string, string[]>();

	constructor(search: URLSearchParams, method: string) {
		const allowed = new Set([...STANDARD, ...(METHOD_PARAMS[method] ?? [])]);
		for (const [name, value] of search) {
			if (!allowed.has(name)) {
				throw new SheetsApiError(
					400,
					'INVALID_ARGUMENT',
					`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`,
					[{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter.` }] }],
				);
			}
			this.values.set(name, [...(this.values.get(name) ?? []), value]);
		}
	}

	get(name: string): string | undefined {
		return this.values.get(name)?.[0];
	}

	all(name: string): string[] {
		return this.values.get(name) ?? [];
	}

	enumOf(name: string, allowed: readonly string[], fallback: string): string {
		const value = this.get(name) ?? fallback;
		if (!allowed.includes(value)) {
			throw new SheetsApiError(400, 'INVALID_ARGUMENT', `Invalid value at '${name}' (type.googleapis.com/google.apps.sheets.v4.${name}), "${value}"`);
		}
		return value;
	}

	/** The mask (dots or slashes between names), validated against the resource; null without one. */
	fields(schema: FieldSchema): FieldSelection | null {
		const mask = this.get('fields');
		if (mask === undefined) return null;
		try {
			const selection = parseFields(mask.replace(/\./g, '/'));
			validateSelection(selection, schema);
			return selection;
		} catch (error) {
			if (!(error instanceof FieldsError)) throw error;
			throw new SheetsApiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', [
				{
					'@type': 'type.googleapis.com/google.rpc.BadRequest',
					fieldViolations: [{ field: 'fields', description: `Error expanding 'fields' parameter. Cannot find matching fields for path '${error.selection}'.` }],
				},
			]);
		}
	}
}

/** `'Q1 ''24'!A1:B2`, `Sheet1`, `Sheet1!A:C` → the tab's title (the cell part is accepted and ignored: whole tabs only). */
export function tabTitleOfRange(range: string): string | undefined {
	const quoted = /^'((?:[^']|'')+)'(?:!.*)?$/.exec(range);
	if (quoted) return quoted[1].replace(/''/g, "'");
	const plain = /^([^'!]+)(?:!.*)?$/.exec(range);
	return plain ? plain[1] : undefined;
}

export interface SpreadsheetRecord {
	id: string;
	name: string;
	sheets: FakeSheet[];
}

/**
 * Answers `/v4/spreadsheets/{id}` and `/v4/spreadsheets/{id}/values:batchGet`; `lookup` finds the
 * workbook (undefined: no such file for this account → 404; null: a file that is not a spreadsheet).
 */
export function handleSheets(ctx: ServerContext, lookup: (id: string) => SpreadsheetRecord | null | undefined, disabled = false): void {
	try {
		if (disabled) {
			throw new SheetsApiError(
				403,
				'PERMISSION_DENIED',
				'Google Sheets API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456789 then retry.',
				[{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com', metadata: { service: 'sheets.googleapis.com' } }],
			);
		}
		if (ctx.req.method !== 'GET') throw new SheetsApiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
		const match = /^\/v4\/spreadsheets\/([^/:]+)(\/values:batchGet)?$/.exec(ctx.url.pathname);
		if (!match) throw new SheetsApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
		const id = decodeURIComponent(match[1]);
		const method = match[2] ? 'spreadsheets.values.batchGet' : 'spreadsheets.get';
		const params = new SheetsParams(ctx.url.searchParams, method);
		const workbook = lookup(id);
		if (workbook === undefined) throw new SheetsApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
		if (workbook === null) throw new SheetsApiError(400, 'FAILED_PRECONDITION', 'This operation is not supported for this document');
		if (method === 'spreadsheets.get') return spreadsheetsGet(ctx, workbook, params);
		return valuesBatchGet(ctx, workbook, params);
	} catch (error) {
		if (!(error instanceof SheetsApiError)) throw error;
		sendJson(ctx.res, error.status, sheetsErrorBody(error));
	}
}

function spreadsheetsGet(ctx: ServerContext, workbook: SpreadsheetRecord, params: SheetsParams): void {
	const selection = params.fields(SPREADSHEET_SCHEMA);
	const resource = {
		spreadsheetId: workbook.id,
		properties: { title: workbook.name, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
		sheets: workbook.sheets.map((sheet) => ({
			properties: {
				sheetId: sheet.sheetId,
				title: sheet.title,
				index: sheet.index,
				sheetType: sheet.sheetType,
				// Google leaves `hidden` out unless it is true.
				...(sheet.hidden ? { hidden: true } : {}),
				...(sheet.sheetType === 'GRID'
					? { gridProperties: { rowCount: Math.max(1000, sheet.rows.length), columnCount: Math.max(26, ...sheet.rows.map((row) => row.length)) } }
					: {}),
			},
		})),
		spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${workbook.id}/edit`,
	};
	sendJson(ctx.res, 200, project(resource, selection));
}

function valuesBatchGet(ctx: ServerContext, workbook: SpreadsheetRecord, params: SheetsParams): void {
	const selection = params.fields(BATCH_GET_SCHEMA);
	const majorDimension = params.enumOf('majorDimension', ['ROWS', 'COLUMNS', 'DIMENSION_UNSPECIFIED'], 'ROWS');
	params.enumOf('valueRenderOption', ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'], 'FORMATTED_VALUE');
	const valueRanges = params.all('ranges').map((range) => {
		const title = tabTitleOfRange(range);
		const sheet = workbook.sheets.find((candidate) => candidate.sheetType === 'GRID' && candidate.title.toLowerCase() === title?.toLowerCase());
		if (!sheet) throw new SheetsApiError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
		const width = Math.max(1, ...sheet.rows.map((row) => row.length));
		const values = majorDimension === 'COLUMNS' ? columns(sheet.rows, width) : sheet.rows;
		return {
			range: `'${sheet.title.replace(/'/g, "''")}'!A1:${columnName(width - 1)}${Math.max(1, sheet.rows.length)}`,
			majorDimension: majorDimension === 'COLUMNS' ? 'COLUMNS' : 'ROWS',
			...(values.length ? { values } : {}),
		};
	});
	sendJson(ctx.res, 200, project({ spreadsheetId: workbook.id, valueRanges }, selection));
}

function columns(rows: string[][], width: number): string[][] {
	return trimmed(Array.from({ length: width }, (_, c) => rows.map((row) => row[c] ?? '')));
}

function columnName(index: number): string {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}
