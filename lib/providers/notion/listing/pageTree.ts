import type { PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../api';
import { isTrashed, titleOfDatabase } from '../objects';
import { TreeLocator, type PlaceablePage } from './locator';
import { isPublished } from './permissions';
import { childrenIndex, descendantsOf, type KnownNode, type NotionListingState } from './state';
import { pageNode, walkBelow } from './tree';
import { searchSince } from './window';

/**
 * Brings a page tree's state up to date from what Notion's search shows edited (and trashed)
 * since `since`: edited pages are placed by their parent chain (the chain the state holds; a
 * block parent is looked up), pages new to the tree get their subtree walked (a page moved in
 * brings old descendants along), pages whose chain leaves the tree and trashed pages leave it
 * with everything under them. Returns the ids of the pages read in the window.
 */
export async function applyPageTreeWindow(api: NotionApi, state: NotionListingState, since: string): Promise<Set<string>> {
	const [edited, trashed] = await Promise.all([searchSince(api, since), searchSince(api, since, { inTrash: true })]);
	const touched = new Set<string>();

	for (const result of trashed) {
		const id = result.object === 'data_source' ? databaseIdOf(result.parent) : result.id;
		if (id !== state.rootId && state.nodes[id] !== undefined) removeSubtree(state, id);
	}

	const pages = new Map<string, PageObjectResponse>();
	const refreshedDatabases = new Set<string>();
	for (const result of edited) {
		if (result.object === 'page') {
			if (!isTrashed(result)) pages.set(result.id, result);
			continue;
		}
		// A data source edited in the window: its database was renamed, or got a new data source.
		const databaseId = databaseIdOf(result.parent);
		if (state.nodes[databaseId]?.kind === 'database') refreshedDatabases.add(databaseId);
	}

	const locator = new TreeLocator(api, state, pages);
	const placements = new Map<string, string | null>(
		await Promise.all([...pages.values()].map(async (page) => [page.id, await locator.place(page)] as const)),
	);

	const walk = new Set<string>(locator.newDatabases);
	for (const databaseId of refreshedDatabases) {
		const node = state.nodes[databaseId];
		const database = await api.database(databaseId);
		if (database === null || isTrashed(database)) {
			removeSubtree(state, databaseId);
			continue;
		}
		node.title = titleOfDatabase(database);
		const dataSources = database.data_sources.map((dataSource) => dataSource.id);
		if (dataSources.some((dataSourceId) => !(node.dataSources ?? []).includes(dataSourceId))) walk.add(databaseId);
		node.dataSources = dataSources;
	}

	for (const page of pages.values()) {
		const parent = placements.get(page.id) ?? null;
		const known = state.nodes[page.id];
		if (page.id === state.rootId) {
			state.nodes[page.id] = pageNode(page, null);
			touched.add(page.id);
			continue;
		}
		if (parent === null) {
			if (known !== undefined) removeSubtree(state, page.id);
			continue;
		}
		state.nodes[page.id] = pageNode(page, parent);
		touched.add(page.id);
		if (known === undefined) walk.add(page.id);
	}
	await walkBelow(api, state, [...walk]);
	return touched;
}

/** A page search found, kept as what placing it and listing it need: never the whole page object. */
export interface FoundPage extends PlaceablePage {
	node: KnownNode;
}

export function foundPage(page: PageObjectResponse): FoundPage {
	return { id: page.id, parent: page.parent, node: pageNode(page, null) };
}

/**
 * A first listing of a page tree from Notion's search: every live page the integration can see
 * (100 a request), placed by its parent chain. Far cheaper than walking every block of every
 * page for child pages; the periodic full walk catches anything search does not show. Each page is
 * reduced to what placing it needs as its search page arrives: a workspace's pages are not held whole.
 */
export async function listPageTreeBySearch(api: NotionApi, state: NotionListingState): Promise<void> {
	const pages = await searchPages(api);
	pages.delete(state.rootId);
	const locator = new TreeLocator(api, state, pages);
	const placements = await Promise.all([...pages.values()].map(async (page) => [page, await locator.place(page)] as const));
	for (const [page, parent] of placements) if (parent !== null) state.nodes[page.id] = { ...page.node, parent };
}

/**
 * The full walk sees pages as `child_page` blocks, which do not say whether a page is published:
 * search (100 pages a request, as a first listing costs) gives every page object's `public_url` again.
 */
export async function refreshPublished(api: NotionApi, state: NotionListingState): Promise<void> {
	for await (const results of api.search({ objectType: 'page' })) {
		for (const result of results) {
			const node = state.nodes[result.id];
			const published = result.object === 'page' ? isPublished(result) : undefined;
			if (node?.kind === 'page' && published !== undefined) node.published = published;
		}
	}
}

/** Every live page search shows, each reduced as its page of results arrives (in a frame of its own, which holds no result once done). */
async function searchPages(api: NotionApi): Promise<Map<string, FoundPage>> {
	const pages = new Map<string, FoundPage>();
	for await (const results of api.search({ objectType: 'page' })) {
		for (const result of results) if (result.object === 'page' && !isTrashed(result)) pages.set(result.id, foundPage(result));
	}
	return pages;
}

function removeSubtree(state: NotionListingState, id: string): void {
	for (const descendant of descendantsOf(state, id, childrenIndex(state))) delete state.nodes[descendant];
	delete state.nodes[id];
}

function databaseIdOf(parent: { type: string; database_id?: string }): string {
	return parent.database_id ?? '';
}
