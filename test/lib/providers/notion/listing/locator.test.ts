import type { BlockObjectResponse, PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../../../../../lib/providers/notion/api';
import { TreeLocator } from '../../../../../lib/providers/notion/listing/locator';
import { emptyState } from '../../../../../lib/providers/notion/listing/state';

const pageUnder = (id: string, parent: PageObjectResponse['parent']): PageObjectResponse =>
	({ object: 'page', id, parent, properties: {}, last_edited_time: '2025-01-01T00:00:00.000Z' }) as unknown as PageObjectResponse;
const onPage = (id: string): PageObjectResponse['parent'] => ({ type: 'page_id', page_id: id });
const inBlock = (id: string): PageObjectResponse['parent'] => ({ type: 'block_id', block_id: id });

function stubApi(blocks: Record<string, BlockObjectResponse['parent']>): NotionApi & { lookups: string[] } {
	const lookups: string[] = [];
	return {
		lookups,
		block: async (id: string) => {
			lookups.push(id);
			return blocks[id] ? ({ object: 'block', id, parent: blocks[id] } as unknown as BlockObjectResponse) : null;
		},
	} as unknown as NotionApi & { lookups: string[] };
}

function treeState() {
	const state = emptyState('pageTree', 'root', 10);
	state.nodes.root = { kind: 'page', title: 'Root', parent: null };
	state.nodes.known = { kind: 'page', title: 'Known', parent: 'root' };
	return state;
}

describe('placing pages found by search', () => {
	it('places a page under a known page, through blocks, and a new page under a new page', async () => {
		const api = stubApi({ toggle: { type: 'block_id', block_id: 'column' }, column: { type: 'page_id', page_id: 'known' } });
		const fresh = pageUnder('fresh', inBlock('toggle'));
		const child = pageUnder('child', onPage('fresh'));
		const locator = new TreeLocator(api, treeState(), new Map([fresh, child].map((page) => [page.id, page])));

		expect(await Promise.all([locator.place(child), locator.place(fresh)])).toEqual(['fresh', 'known']);
		expect(api.lookups.sort()).toEqual(['column', 'toggle']);
	});

	it('leaves out pages whose chain reaches the workspace or an unknown page', async () => {
		const outside = pageUnder('outside', { type: 'workspace', workspace: true } as PageObjectResponse['parent']);
		const orphan = pageUnder('orphan', onPage('never-seen'));
		const locator = new TreeLocator(stubApi({}), treeState(), new Map([outside, orphan].map((page) => [page.id, page])));

		expect(await locator.place(outside)).toBeNull();
		expect(await locator.place(orphan)).toBeNull();
	});

	it('ends a parent loop as "not in the tree" instead of waiting on itself', async () => {
		const a = pageUnder('a', onPage('b'));
		const b = pageUnder('b', inBlock('x'));
		const api = stubApi({ x: { type: 'page_id', page_id: 'a' } });
		const locator = new TreeLocator(api, treeState(), new Map([a, b].map((page) => [page.id, page])));

		expect(await Promise.all([locator.place(a), locator.place(b)])).toEqual([null, null]);
		expect(api.lookups).toEqual(['x']);
	});
});
