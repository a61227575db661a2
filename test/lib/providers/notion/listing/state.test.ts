import {
	depthOf,
	descendantsOf,
	emptyState,
	parseCursor,
	pathOf,
	prune,
	type KnownNode,
	type NotionListingState,
} from '../../../../../lib/providers/notion/listing/state';

const page = (title: string, parent: string | null): KnownNode => ({ kind: 'page', title, parent, edited: '2025-01-01T00:00:00.000Z' });
const database = (title: string, parent: string): KnownNode => ({ kind: 'database', title, parent, dataSources: ['ds'] });

function treeState(maxDepth = 10): NotionListingState {
	const state = emptyState('pageTree', 'root', maxDepth);
	state.nodes = {
		root: page('Root', null),
		a: page('A', 'root'),
		b: page('B/C', 'a'),
		db: database('Tasks', 'a'),
		row: page('Row', 'db'),
		rowChild: page('Row child', 'row'),
	};
	return state;
}

describe('the listing tree', () => {
	it('paths pages from the root, with the root as /<title> and "/" in titles kept inside the segment', () => {
		const state = treeState();
		expect(pathOf(state, 'root')).toBe('/Root');
		expect(pathOf(state, 'b')).toBe('/Root/A/B∕C');
		expect(pathOf(state, 'row')).toBe('/Root/A/Tasks/Row');
	});

	it('paths database rows as /<row title> when the database is the source', () => {
		const state = emptyState('database', 'db', 0);
		state.nodes = { db: { kind: 'database', title: 'Tasks', parent: null, dataSources: ['ds'] }, row: page('Write spec', 'db') };
		expect(pathOf(state, 'row')).toBe('/Write spec');
	});

	it('counts depth per page level, a database adding one and its rows sitting at its level', () => {
		const state = treeState();
		expect(['root', 'a', 'b', 'db', 'row', 'rowChild'].map((id) => depthOf(state, id))).toEqual([0, 1, 2, 2, 2, 3]);
	});

	it('prunes what lies beyond the depth limit', () => {
		const state = treeState(2);
		prune(state);
		expect(Object.keys(state.nodes).sort()).toEqual(['a', 'b', 'db', 'root', 'row']);
		const shallow = treeState(0);
		prune(shallow);
		expect(Object.keys(shallow.nodes)).toEqual(['root']);
	});

	it('drops nodes whose parent chain no longer reaches the root, and survives a parent loop', () => {
		const state = treeState();
		state.nodes.x = page('X', 'y');
		state.nodes.y = page('Y', 'x');
		state.nodes.orphan = page('Orphan', 'gone');
		expect(pathOf(state, 'x')).toBeNull();
		expect(depthOf(state, 'x')).toBeUndefined();
		prune(state);
		expect(Object.keys(state.nodes).sort()).toEqual(['a', 'b', 'db', 'root', 'row', 'rowChild']);
	});

	it('finds every descendant once, even through a loop', () => {
		const state = treeState();
		state.nodes.root.parent = 'rowChild';
		expect(descendantsOf(state, 'a').sort()).toEqual(['b', 'db', 'row', 'rowChild', 'root'].sort());
	});

	it('reads a cursor only when it is whole', () => {
		expect(parseCursor({ readAt: '2025-01-01T00:00:00Z', walkedAt: '2025-01-01T00:00:00Z' })).toEqual({
			readAt: '2025-01-01T00:00:00Z',
			walkedAt: '2025-01-01T00:00:00Z',
		});
		expect(parseCursor({ readAt: 'yesterday', walkedAt: '2025-01-01T00:00:00Z' })).toBeNull();
		expect(parseCursor('not json')).toBeNull();
		expect(parseCursor(null)).toBeNull();
	});
});
