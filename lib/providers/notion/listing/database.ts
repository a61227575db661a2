import type { NotionApi } from '../api';
import { isTrashed } from '../objects';
import type { NotionListingState } from './state';
import { rowNode, walkBelow } from './tree';

/**
 * Brings a database source's state up to date: per data source, the rows edited since `since`
 * and those trashed since then (Notion's query filters on `last_edited_time`); a data source
 * new to the database is read in full, the rows of one that went leave with it.
 */
export async function applyDatabaseWindow(
	api: NotionApi,
	state: NotionListingState,
	dataSources: readonly string[],
	since: string,
): Promise<Set<string>> {
	const root = state.nodes[state.rootId];
	const known = new Set(root.dataSources ?? []);
	root.dataSources = [...dataSources];
	const touched = new Set<string>();
	for (const [id, node] of Object.entries(state.nodes)) {
		if (node.dataSource !== undefined && !dataSources.includes(node.dataSource)) delete state.nodes[id];
	}
	const filter = { timestamp: 'last_edited_time' as const, last_edited_time: { on_or_after: since } };
	let readInFull = false;
	await Promise.all(
		dataSources.map(async (dataSourceId) => {
			if (!known.has(dataSourceId)) {
				readInFull = true;
				return;
			}
			const [rows, trashedRows] = await Promise.all([
				api.queryRows(dataSourceId, { filter }),
				api.queryRows(dataSourceId, { filter, inTrash: true }),
			]);
			for (const row of trashedRows) if (isTrashed(row)) delete state.nodes[row.id];
			for (const row of rows) {
				if (isTrashed(row)) continue;
				state.nodes[row.id] = rowNode(row, state.rootId, dataSourceId);
				touched.add(row.id);
			}
		}),
	);
	if (readInFull) await walkBelow(api, state, [state.rootId]);
	return touched;
}
