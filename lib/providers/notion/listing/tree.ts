import type { PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../api';
import { childItemBlocks } from '../browse';
import { parentLink, titleOfDatabase, titleOfPage } from '../objects';
import { isPublished } from './permissions';
import { depthOf, type KnownNode, type NotionListingState } from './state';

/**
 * Walks the source down from `startIds` (nodes already in the state), adding every child page,
 * child database and database row it finds, level by level with each level's requests in
 * parallel (the integration's throttle paces them). A node is entered once per walk (cycle
 * protection); pages at `maxDepth` are not opened.
 */
export async function walkBelow(api: NotionApi, state: NotionListingState, startIds: readonly string[]): Promise<void> {
	const entered = new Set<string>();
	let frontier = startIds.filter((id) => state.nodes[id] !== undefined);
	while (frontier.length > 0) {
		const next: string[] = [];
		const claim = (id: string, node: KnownNode): void => {
			if (entered.has(id) || id === state.rootId) return;
			entered.add(id);
			state.nodes[id] = node;
			next.push(id);
		};
		await Promise.all(
			frontier.map(async (id) => {
				entered.add(id);
				const node = state.nodes[id];
				const depth = depthOf(state, id);
				if (node === undefined || depth === undefined) return;
				if (node.kind === 'database') {
					await readDatabase(api, state, id, claim);
					return;
				}
				if (depth >= state.maxDepth) return;
				for (const block of await childItemBlocks(api, id)) {
					if (block.type === 'child_page') {
						claim(block.id, {
							kind: 'page',
							title: block.child_page.title || 'Untitled',
							parent: id,
							edited: block.last_edited_time,
							created: block.created_time,
						});
					} else if (block.type === 'child_database') {
						claim(block.id, { kind: 'database', title: block.child_database.title || 'Untitled', parent: id, dataSources: [] });
					}
				}
			}),
		);
		frontier = next;
	}
}

/** A database's title and data sources, then the rows of every data source (all of them, paginated). */
async function readDatabase(
	api: NotionApi,
	state: NotionListingState,
	databaseId: string,
	claim: (id: string, node: KnownNode) => void,
): Promise<void> {
	const database = await api.databaseIfReadable(databaseId);
	const node = state.nodes[databaseId];
	// Linked databases and databases not shared with the integration have nothing to read.
	if (database === null || node === undefined) return;
	node.title = titleOfDatabase(database);
	node.dataSources = database.data_sources.map((dataSource) => dataSource.id);
	const rowLists = await Promise.all(node.dataSources.map(async (dataSourceId) => ({ dataSourceId, rows: await api.queryRows(dataSourceId) })));
	for (const { dataSourceId, rows } of rowLists) {
		for (const row of rows) claim(row.id, rowNode(row, databaseId, dataSourceId));
	}
}

export function pageNode(page: PageObjectResponse, parent: string | null): KnownNode {
	const link = parentLink(page.parent);
	const published = isPublished(page);
	return {
		kind: 'page',
		title: titleOfPage(page),
		parent,
		edited: page.last_edited_time,
		created: page.created_time,
		...(published === undefined ? {} : { published }),
		...(link.type === 'data_source' ? { dataSource: link.id } : {}),
	};
}

export function rowNode(row: PageObjectResponse, databaseId: string, dataSourceId: string): KnownNode {
	return { ...pageNode(row, databaseId), dataSource: dataSourceId };
}
