import { InvalidInputError } from '../../errors';

/** A Notion id as people copy it, 32 hex digits: as a pattern source, for the editor's validation too. */
export const COMPACT_ID_PATTERN = '[0-9a-fA-F]{32}';
/** The same id with Notion's dashes (8-4-4-4-12). */
export const DASHED_ID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const COMPACT_ID = new RegExp(`^${COMPACT_ID_PATTERN}$`);
const DASHED_ID = new RegExp(`^${DASHED_ID_PATTERN}$`);
/** The id at the end of a URL path segment: `Title-Slug-<32 hex>` or a bare (dashed) id. */
const TRAILING_ID = new RegExp(`(?:^|[^0-9a-fA-F])(${COMPACT_ID_PATTERN}|${DASHED_ID_PATTERN})$`);

/** `0123…` (32 hex, dashed or not, any case) → `01234567-89ab-cdef-0123-456789abcdef`; undefined otherwise. */
export function dashedId(value: string): string | undefined {
	const compact = COMPACT_ID.test(value) ? value : DASHED_ID.test(value) ? value.replace(/-/g, '') : undefined;
	if (compact === undefined) return undefined;
	const hex = compact.toLowerCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A Notion URL or id → the dashed id. Accepts 32 hex digits (dashed or not), and the URLs a
 * person copies from Notion: `notion.so/<workspace>/<Title-Slug>-<id>`, with `?v=<view>` (a
 * database view: the id in the path is the database's), `?p=<page>` (a page opened over a
 * database: that page, when a page is asked for) and `#<block>` (ignored).
 */
export function parseNotionId(value: string, what: 'page' | 'database'): string {
	const input = value.trim();
	const direct = dashedId(input);
	if (direct !== undefined) return direct;
	if (/^https?:\/\//i.test(input)) {
		let url: URL | undefined;
		try {
			url = new URL(input);
		} catch {
			url = undefined;
		}
		if (url !== undefined) {
			const peeked = url.searchParams.get('p');
			if (what === 'page' && peeked !== null && dashedId(peeked) !== undefined) return dashedId(peeked) as string;
			const segments = url.pathname.split('/').filter((segment) => segment !== '');
			const last = segments.length > 0 ? decodeURIComponent(segments[segments.length - 1]) : '';
			const match = TRAILING_ID.exec(last);
			if (match) return dashedId(match[1]) as string;
		}
		throw new InvalidInputError(
			`"${input}" is not a Notion ${what} URL`,
			`Paste the ${what}'s link (••• → Copy link), e.g. https://www.notion.so/My-${what === 'page' ? 'Page' : 'Database'}-0123456789abcdef0123456789abcdef, or its 32-character id.`,
		);
	}
	throw new InvalidInputError(
		`"${input}" is not a valid Notion ${what} id`,
		`A Notion id is 32 hexadecimal characters (with or without dashes); the ${what}'s URL works too.`,
	);
}

/** Dashes a Notion id that is already known to be valid, leaving anything else as it is. */
export function normalizedId(id: string): string {
	return dashedId(id) ?? id;
}

/** The canonical web address of a Notion page, database or block id. */
export function notionUrl(id: string): string {
	return `https://www.notion.so/${id.replace(/-/g, '')}`;
}

/** The id in a Notion URL or id (as `parseNotionId` reads it), undefined for anything else. */
export function parseNotionIdOrUndefined(value: string): string | undefined {
	if (value.trim() === '') return undefined;
	try {
		return parseNotionId(value, 'page');
	} catch {
		return undefined;
	}
}
