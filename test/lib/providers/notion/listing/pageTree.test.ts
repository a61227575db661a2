import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { BlockObjectResponse, PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../../../../../lib/providers/notion/api';
import { listPageTreeBySearch } from '../../../../../lib/providers/notion/listing/pageTree';
import { emptyState } from '../../../../../lib/providers/notion/listing/state';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A page as search returns it, with a property payload the size real pages carry. */
function page(id: string, parent: PageObjectResponse['parent']): PageObjectResponse {
	return {
		object: 'page',
		id,
		parent,
		in_trash: false,
		created_time: '2025-01-01T00:00:00.000Z',
		last_edited_time: '2025-01-02T00:00:00.000Z',
		properties: { title: { id: 'title', type: 'title', title: [{ type: 'text', plain_text: `Page ${id}`, text: { content: `Page ${id}` } }] }, notes: 'x'.repeat(2000) },
	} as unknown as PageObjectResponse;
}

describe('the first listing of a page tree from search', () => {
	it('keeps of each page only what placing and listing it need, not the page objects search returned', async () => {
		const alive: Array<WeakRef<object>> = [];
		let aliveWhilePlacing = -1;
		const api = {
			search: async function* () {
				const batch = [page('a', { type: 'page_id', page_id: 'root' }), page('b', { type: 'block_id', block_id: 'toggle' }), page('c', { type: 'page_id', page_id: 'b' })];
				for (const found of batch) alive.push(new WeakRef(found));
				yield batch;
			},
			// Asked while pages are placed, once search is over: by then no page object may be held.
			block: async () => {
				// WeakRef targets stay alive until the current job ends: collect on a later turn of the event loop.
				await new Promise((resolve) => setImmediate(resolve));
				collectGarbage();
				aliveWhilePlacing = alive.filter((ref) => ref.deref() !== undefined).length;
				return { object: 'block', id: 'toggle', parent: { type: 'page_id', page_id: 'a' } } as unknown as BlockObjectResponse;
			},
		} as unknown as NotionApi;
		const state = emptyState('pageTree', 'root', 10);
		state.nodes.root = { kind: 'page', title: 'Root', parent: null };

		await listPageTreeBySearch(api, state);

		expect(aliveWhilePlacing).toBe(0);
		expect(state.nodes).toEqual({
			root: { kind: 'page', title: 'Root', parent: null },
			a: { kind: 'page', title: 'Page a', parent: 'root', edited: '2025-01-02T00:00:00.000Z', created: '2025-01-01T00:00:00.000Z' },
			b: { kind: 'page', title: 'Page b', parent: 'a', edited: '2025-01-02T00:00:00.000Z', created: '2025-01-01T00:00:00.000Z' },
			c: { kind: 'page', title: 'Page c', parent: 'b', edited: '2025-01-02T00:00:00.000Z', created: '2025-01-01T00:00:00.000Z' },
		});
	});
});
