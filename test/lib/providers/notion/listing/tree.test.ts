import type { BlockObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../../../../../lib/providers/notion/api';
import { emptyState, pathOf } from '../../../../../lib/providers/notion/listing/state';
import { walkBelow } from '../../../../../lib/providers/notion/listing/tree';

function childPage(id: string, title: string): BlockObjectResponse {
	return {
		object: 'block',
		id,
		type: 'child_page',
		child_page: { title },
		has_children: true,
		created_time: '2025-01-01T00:00:00.000Z',
		last_edited_time: '2025-01-01T00:00:00.000Z',
	} as unknown as BlockObjectResponse;
}

/** Block children by container id; every call is counted. */
function stubApi(children: Record<string, BlockObjectResponse[]>): NotionApi & { calls: string[] } {
	const calls: string[] = [];
	return {
		calls,
		children: async (id: string) => {
			calls.push(id);
			return children[id] ?? [];
		},
	} as unknown as NotionApi & { calls: string[] };
}

describe('walking a page tree', () => {
	it('enters each page once even when the children loop back to an ancestor', async () => {
		const api = stubApi({ root: [childPage('a', 'A')], a: [childPage('b', 'B')], b: [childPage('a', 'A again'), childPage('root', 'Root')] });
		const state = emptyState('pageTree', 'root', 10);
		state.nodes.root = { kind: 'page', title: 'Root', parent: null };

		await walkBelow(api, state, ['root']);

		expect(Object.keys(state.nodes).sort()).toEqual(['a', 'b', 'root']);
		expect(pathOf(state, 'b')).toBe('/Root/A/B');
		expect(api.calls.sort()).toEqual(['a', 'b', 'root']);
	});

	it('does not open pages at the depth limit', async () => {
		const api = stubApi({ root: [childPage('a', 'A')], a: [childPage('b', 'B')], b: [childPage('c', 'C')] });
		const state = emptyState('pageTree', 'root', 2);
		state.nodes.root = { kind: 'page', title: 'Root', parent: null };

		await walkBelow(api, state, ['root']);

		expect(Object.keys(state.nodes).sort()).toEqual(['a', 'b', 'root']);
		expect(api.calls).not.toContain('b');
	});
});
