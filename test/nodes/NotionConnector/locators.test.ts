import { parseNotionId } from '../../../lib/providers/notion';
import {
	NOTION_ID_REGEX,
	NOTION_URL_REGEX,
	databaseLocator,
	pageLocator,
} from '../../../nodes/NotionConnector/actions/common.descriptions';
import { DASHED_PAGE_ID, PAGE_ID } from './context';

/** What the editor does with a mode's validation regex before the node ever runs. */
const accepts = (regex: string, value: string) => new RegExp(regex).test(value);

describe('Notion resource locators', () => {
	const pageUrls = [
		`https://www.notion.so/Handbook-${PAGE_ID}`,
		`https://www.notion.so/acme/Team-Handbook-${PAGE_ID}?pvs=4`,
		`https://notion.so/${PAGE_ID}`,
		`https://acme.notion.site/Public-Page-${PAGE_ID}#0123456789abcdef0123456789abcdee`,
		`https://www.notion.so/acme/${DASHED_PAGE_ID}`,
		`https://www.notion.so/0123456789abcdef0123456789abcdee?v=fedcba9876543210fedcba9876543210&p=${PAGE_ID}&pm=s`,
	];

	it.each(pageUrls)('accepts the page URL %s, and the node reads the page id out of it', (url) => {
		expect(accepts(NOTION_URL_REGEX, url)).toBe(true);
		expect(parseNotionId(url, 'page')).toBe(DASHED_PAGE_ID);
	});

	it('reads the database, not the view, from a database URL', () => {
		const url = `https://www.notion.so/acme/${PAGE_ID}?v=fedcba9876543210fedcba9876543210`;
		expect(accepts(NOTION_URL_REGEX, url)).toBe(true);
		expect(parseNotionId(url, 'database')).toBe(DASHED_PAGE_ID);
	});

	it.each([
		['another site', `https://example.com/Handbook-${PAGE_ID}`],
		['a look-alike domain', `https://notion.so.evil.example/${PAGE_ID}`],
		['a URL without an id', 'https://www.notion.so/acme/Handbook'],
		['a truncated id', `https://www.notion.so/Handbook-${PAGE_ID.slice(1)}`],
		['an id only in the query', `https://www.notion.so/acme?id=${PAGE_ID}`],
		['a bare id', PAGE_ID],
	])('refuses %s in URL mode', (_what, value) => {
		expect(accepts(NOTION_URL_REGEX, value)).toBe(false);
	});

	it.each([PAGE_ID, DASHED_PAGE_ID, PAGE_ID.toUpperCase()])('accepts the id %s in ID mode', (id) => {
		expect(accepts(NOTION_ID_REGEX, id)).toBe(true);
		expect(parseNotionId(id, 'page')).toBe(DASHED_PAGE_ID);
	});

	it.each([
		['too short', PAGE_ID.slice(2)],
		['not hex', `${PAGE_ID.slice(0, 31)}g`],
		['a URL', `https://www.notion.so/${PAGE_ID}`],
		['misplaced dashes', `${PAGE_ID.slice(0, 6)}-${PAGE_ID.slice(6)}`],
	])('refuses an id that is %s in ID mode', (_what, value) => {
		expect(accepts(NOTION_ID_REGEX, value)).toBe(false);
	});

	it('searches pages for a page and databases for a database in list mode', () => {
		const listMethod = (locator: ReturnType<typeof pageLocator>) =>
			locator.modes?.find((mode) => mode.name === 'list')?.typeOptions?.searchListMethod;
		expect(listMethod(pageLocator('sourcePageId'))).toBe('searchPages');
		expect(listMethod(databaseLocator('sourceDatabaseId'))).toBe('searchDatabases');
		expect(pageLocator('parentPageId').modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
	});
});
