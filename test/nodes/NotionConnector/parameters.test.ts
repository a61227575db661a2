import { browseQueryOf } from '../../../nodes/NotionConnector/actions/browse.operation';
import { concurrencyOf, exportOptionsOf } from '../../../nodes/NotionConnector/actions/export.operation';
import { listingOptionsOf, sourceOf } from '../../../nodes/NotionConnector/actions/listChanges.operation';
import { withPolicyCap } from '../../../nodes/shared/connectorOperations';
import { credentialTypeFor } from '../../../nodes/NotionConnector/transport';
import { DASHED_PAGE_ID, PAGE_ID, parameterContext } from './context';

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

describe('Notion Connector parameters', () => {
	describe('export concurrency', () => {
		it.each([
			[1000, 10],
			[10, 10],
			[2, 2],
			[-5, 1],
			[0, 3],
			['many', 3],
			[undefined, 3],
		])('with Pages at Once %p in the workflow JSON, exports %p pages at once', (concurrency, expected) => {
			const exportOptions = concurrency === undefined ? {} : { concurrency };
			expect(concurrencyOf(parameterContext({ exportOptions }))).toBe(expected);
		});
	});

	describe('export content source', () => {
		it.each([
			[undefined, 'markdown'],
			['markdown', 'markdown'],
			['blocks', 'blocks'],
			['html', 'markdown'],
		])('with Content Source %p in the workflow JSON, reads pages from %p', (contentSource, expected) => {
			const exportOptions = contentSource === undefined ? {} : { contentSource };
			expect(exportOptionsOf(parameterContext({ exportOptions })).contentSource).toBe(expected);
		});
	});

	describe('listChanges source and options', () => {
		it('lists a page tree ten levels deep with a two-minute overlap by default', () => {
			const ctx = parameterContext({ source: 'pageTree', sourcePageId: rl('id', PAGE_ID) });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'pageTree', pageId: DASHED_PAGE_ID, maxDepth: 10, overlapMinutes: 2 });
			expect(listingOptionsOf(ctx, 0)).toEqual({ excludeGlobs: [], permissions: true });
		});

		it('asks for permissions unless the Permissions option is switched off', () => {
			const options = (listOptions: Record<string, unknown>) =>
				listingOptionsOf(parameterContext({ source: 'pageTree', sourcePageId: rl('id', PAGE_ID), listOptions }), 0);
			expect(options({ permissions: true }).permissions).toBe(true);
			expect(options({ permissions: false }).permissions).toBe(false);
		});

		it('reads a page tree from its URL, with the depth, globs and overlap asked for', () => {
			const ctx = parameterContext({
				source: 'pageTree',
				sourcePageId: rl('url', `https://www.notion.so/acme/Handbook-${PAGE_ID}?pvs=4`),
				listOptions: { maxDepth: 0, excludeGlobs: ' /Archive/**, ,**/Drafts/** ', overlapMinutes: 5 },
			});
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'pageTree', pageId: DASHED_PAGE_ID, maxDepth: 0, overlapMinutes: 5 });
			expect(listingOptionsOf(ctx, 0)).toEqual({ excludeGlobs: ['/Archive/**', '**/Drafts/**'], permissions: true });
		});

		it('turns Full Re-Walk Every (Hours) into the source\'s re-walk interval, never under an hour', () => {
			const source = (rewalkHours: unknown) =>
				sourceOf(parameterContext({ source: 'pageTree', sourcePageId: rl('id', PAGE_ID), listOptions: { rewalkHours } }), 0);
			expect(source(168)).toMatchObject({ kind: 'pageTree', reconcileMinutes: 168 * 60 });
			expect(source(0.01)).toMatchObject({ reconcileMinutes: 60 });
			expect(source(undefined)).not.toHaveProperty('reconcileMinutes');
		});

		it('lists a database from its view URL, without a depth', () => {
			const ctx = parameterContext({
				source: 'database',
				sourceDatabaseId: rl('url', `https://www.notion.so/${PAGE_ID}?v=fedcba9876543210fedcba9876543210`),
				sourcePageId: rl('id', 'fedcba9876543210fedcba9876543210'),
			});
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'database', databaseId: DASHED_PAGE_ID, overlapMinutes: 2 });
		});

		it.each([
			[0, null, undefined],
			[50, null, 50],
			[0, 20, 20],
			[50, 20, 20],
			[10, 20, 10],
		])('caps items per run at the smaller of the node (%s, 0 = none) and the policy (%s)', (maxItems, policyMax, expected) => {
			const ctx = parameterContext({ source: 'pageTree', sourcePageId: rl('id', PAGE_ID), listOptions: { maxItems } });
			expect(withPolicyCap(listingOptionsOf(ctx, 0), { maxFilesPerRun: policyMax }).maxItems).toBe(expected);
		});

		it('refuses a page id that is not one, naming what was expected', () => {
			const ctx = parameterContext({ source: 'pageTree', sourcePageId: rl('id', 'not-an-id') });
			expect(() => sourceOf(ctx, 0)).toThrow(/not a valid Notion page id/);
		});
	});

	describe('browse query', () => {
		it('searches everything the integration sees when no text or type is given', () => {
			expect(browseQueryOf(parameterContext({ browseWhat: 'search', query: '  ', objectType: 'all' }), 0)).toEqual({ kind: 'search' });
		});

		it('passes the search text and the object type', () => {
			const ctx = parameterContext({ browseWhat: 'search', query: ' Handbook ', objectType: 'database' });
			expect(browseQueryOf(ctx, 0)).toEqual({ kind: 'search', query: 'Handbook', objectType: 'database' });
		});

		it("lists a page's children, the page given by URL", () => {
			const ctx = parameterContext({ browseWhat: 'children', parentPageId: rl('url', `https://acme.notion.site/Page-${PAGE_ID}`), query: 'ignored' });
			expect(browseQueryOf(ctx, 0)).toEqual({ kind: 'children', pageId: DASHED_PAGE_ID });
		});
	});

	it('signs with the internal integration secret unless OAuth2 is chosen', () => {
		expect(credentialTypeFor('apiKey')).toBe('notionConnectorApi');
		expect(credentialTypeFor(undefined)).toBe('notionConnectorApi');
		expect(credentialTypeFor('oAuth2')).toBe('notionConnectorOAuth2Api');
	});
});
