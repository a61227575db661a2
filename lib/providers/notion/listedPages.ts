/**
 * The page objects a listing has just read (search results, data source rows), kept a short while
 * so that the export of the same pages, in the same execution and so the same process, takes
 * their properties from the listing instead of asking for each page again: with the Markdown
 * endpoint that halves the requests a page costs (README, "Content Source").
 * Kept per integration (the credential the pages were read with), bounded in bytes and in age,
 * and used only for the version the listing emitted: an edit since then is read afresh.
 */
import type { PageObjectResponse } from '@notionhq/client';

/** How long a listed page stands in for `pages.retrieve`; Notion's signed file links in its properties last about an hour. */
export const LISTED_PAGE_TTL_MS = 10 * 60_000;
/** What every integration's listed pages may hold together, measured as their JSON's length. */
export const LISTED_PAGES_BUDGET_BYTES = 24 * 1024 * 1024;

interface Entry {
	page: PageObjectResponse;
	bytes: number;
	at: number;
}

/** Least recently listed first (a Map keeps insertion order; a page listed again moves to the end). */
const entries = new Map<string, Entry>();
let heldBytes = 0;

function keyOf(integrationKey: string, pageId: string): string {
	return `${integrationKey}\u0000${pageId.replace(/-/g, '')}`;
}

function drop(key: string): void {
	const entry = entries.get(key);
	if (entry === undefined) return;
	entries.delete(key);
	heldBytes -= entry.bytes;
}

/** Keeps pages a listing read with the integration; the oldest go first past the budget. */
export function rememberListedPages(integrationKey: string, pages: Iterable<PageObjectResponse>, now = Date.now()): void {
	for (const page of pages) {
		const key = keyOf(integrationKey, page.id);
		drop(key);
		const bytes = JSON.stringify(page).length;
		if (bytes > LISTED_PAGES_BUDGET_BYTES / 64) continue;
		entries.set(key, { page, bytes, at: now });
		heldBytes += bytes;
	}
	for (const key of entries.keys()) {
		if (heldBytes <= LISTED_PAGES_BUDGET_BYTES) break;
		drop(key);
	}
}

/**
 * The page as the integration's listing read it, when that was at most `LISTED_PAGE_TTL_MS` ago
 * and at the version the item names (its `last_edited_time`); else undefined, and the caller
 * reads the page itself.
 */
export function listedPage(integrationKey: string, pageId: string, version: unknown, now = Date.now()): PageObjectResponse | undefined {
	if (typeof version !== 'string') return undefined;
	const key = keyOf(integrationKey, pageId);
	const entry = entries.get(key);
	if (entry === undefined) return undefined;
	if (now - entry.at > LISTED_PAGE_TTL_MS) {
		drop(key);
		return undefined;
	}
	return entry.page.last_edited_time === version ? entry.page : undefined;
}

/** Bytes and pages held, for tests and benchmarks. */
export function listedPagesHeld(): { pages: number; bytes: number } {
	return { pages: entries.size, bytes: heldBytes };
}

/** Forgets every listed page (tests). */
export function forgetListedPages(): void {
	entries.clear();
	heldBytes = 0;
}
