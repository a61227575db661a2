import type { PageObjectResponse } from '@notionhq/client';

import {
	forgetListedPages,
	LISTED_PAGE_TTL_MS,
	LISTED_PAGES_BUDGET_BYTES,
	listedPage,
	listedPagesHeld,
	rememberListedPages,
} from '../../../../lib/providers/notion/listedPages';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

function page(id: string, edited: string, padding = 0): PageObjectResponse {
	return { object: 'page', id, last_edited_time: edited, properties: {}, padding: 'x'.repeat(padding) } as unknown as PageObjectResponse;
}

describe('pages a listing read, kept for the export of the same pages', () => {
	afterEach(() => forgetListedPages());

	it('gives the page back for the integration that listed it, at the version listed, within its age', () => {
		const listed = page('0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', '2026-12-02T09:58:00.000Z');
		rememberListedPages('notion:credential-a', [listed], T0);

		expect(listedPage('notion:credential-a', listed.id, listed.last_edited_time, T0 + 1000)).toBe(listed);
		// Notion ids are the same with or without hyphens.
		expect(listedPage('notion:credential-a', listed.id.replace(/-/g, ''), listed.last_edited_time, T0)).toBe(listed);
	});

	it('never across integrations, versions, or past its age', () => {
		const listed = page('0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', '2026-12-02T09:58:00.000Z');
		rememberListedPages('notion:credential-a', [listed], T0);

		expect(listedPage('notion:credential-b', listed.id, listed.last_edited_time, T0)).toBeUndefined();
		expect(listedPage('notion:credential-a', listed.id, '2026-12-02T09:59:00.000Z', T0)).toBeUndefined();
		expect(listedPage('notion:credential-a', listed.id, null, T0)).toBeUndefined();
		expect(listedPage('notion:credential-a', listed.id, listed.last_edited_time, T0 + LISTED_PAGE_TTL_MS + 1)).toBeUndefined();
		expect(listedPagesHeld().pages).toBe(0);
	});

	it('a page listed again replaces what was kept of it', () => {
		const id = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
		rememberListedPages('k', [page(id, '2026-12-02T09:58:00.000Z')], T0);
		const edited = page(id, '2026-12-02T09:59:00.000Z');
		rememberListedPages('k', [edited], T0 + 60_000);

		expect(listedPage('k', id, '2026-12-02T09:58:00.000Z', T0 + 60_000)).toBeUndefined();
		expect(listedPage('k', id, edited.last_edited_time, T0 + 60_000)).toBe(edited);
		expect(listedPagesHeld().pages).toBe(1);
	});

	it('holds no more than its byte budget, dropping the pages listed longest ago', () => {
		const pageBytes = 100_000;
		const count = Math.ceil((LISTED_PAGES_BUDGET_BYTES / pageBytes) * 1.5);
		const pages = Array.from({ length: count }, (_, index) => page(`page-${index}`, '2026-12-02T09:58:00.000Z', pageBytes));
		rememberListedPages('k', pages, T0);

		const held = listedPagesHeld();
		expect(held.bytes).toBeLessThanOrEqual(LISTED_PAGES_BUDGET_BYTES);
		expect(held.pages).toBeLessThan(count);
		expect(listedPage('k', 'page-0', '2026-12-02T09:58:00.000Z', T0)).toBeUndefined();
		expect(listedPage('k', `page-${count - 1}`, '2026-12-02T09:58:00.000Z', T0)).toBeDefined();
	});
});
