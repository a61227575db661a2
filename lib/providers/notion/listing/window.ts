import type { PageObjectResponse } from '@notionhq/client';

import type { NotionApi, SearchResult } from '../api';
import { isTrashed, parentLink, titleOfDatabase, type ParentLink } from '../objects';
import { descendantsOf, childrenIndex, type NotionListingState } from './state';
import { pageNode, rowNode, walkBelow } from './tree';

const MINUTE_MS = 60_000;
/** Blocks between a page and the page or database it sits on (toggles in columns in toggles…). */
const MAX_BLOCK_HOPS = 25;

/**
 * Where the next read starts: the minute the last read began (Notion stamps edits to the minute,
 * so an edit later in that minute carries that minute's stamp), minus the overlap. Whatever the
 * overlap re-reads is re-emitted and absorbed by the dedup cache.
 */
export function windowStart(readAt: string, overlapMinutes: number): string {
	const readMs = Date.parse(readAt);
	return new Date(readMs - (readMs % MINUTE_MS) - overlapMinutes * MINUTE_MS).toISOString();
}

export function isInWindow(lastEdited: string, since: string): boolean {
	return Date.parse(lastEdited) >= Date.parse(since);
}

/** Search results newest first, up to the first one edited before `since` (search is sorted, so the rest are older). */
export async function searchSince(
	api: NotionApi,
	since: string,
	options: { inTrash?: boolean } = {},
): Promise<SearchResult[]> {
	const found: SearchResult[] = [];
	for await (const results of api.search({ newestFirst: true, inTrash: options.inTrash })) {
		for (const result of results) {
			if (!isInWindow(result.last_edited_time, since)) return found;
			found.push(result);
		}
	}
	return found;
}

function removeSubtree(state: NotionListingState, id: string): void {
	for (const descendant of descendantsOf(state, id, childrenIndex(state))) delete state.nodes[descendant];
	delete state.nodes[id];
}

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

/**
 * A first listing of a page tree from Notion's search: every live page the integration can see
 * (100 a request), placed by its parent chain. Far cheaper than walking every block of every
 * page for child pages; the periodic full walk catches anything search does not show.
 */
export async function listPageTreeBySearch(api: NotionApi, state: NotionListingState): Promise<void> {
	const pages = new Map<string, PageObjectResponse>();
	for await (const results of api.search({ objectType: 'page' })) {
		for (const result of results) if (result.object === 'page' && !isTrashed(result)) pages.set(result.id, result);
	}
	pages.delete(state.rootId);
	const locator = new TreeLocator(api, state, pages);
	const placements = await Promise.all([...pages.values()].map(async (page) => [page, await locator.place(page)] as const));
	for (const [page, parent] of placements) if (parent !== null) state.nodes[page.id] = pageNode(page, parent);
}

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

function databaseIdOf(parent: { type: string; database_id?: string }): string {
	return parent.database_id ?? '';
}

/**
 * Places pages found by search in the tree: the node each one hangs from, or null when its
 * parent chain leaves the tree. Blocks are resolved to the page or database they sit on;
 * a database new to the tree (its row was edited) is added and queued for a full read.
 */
class TreeLocator {
	readonly newDatabases: string[] = [];
	private readonly placed = new Map<string, Promise<string | null>>();
	private readonly blockOwners = new Map<string, Promise<ParentLink>>();
	private readonly databases = new Map<string, Promise<string | null>>();

	constructor(
		private readonly api: NotionApi,
		private readonly state: NotionListingState,
		private readonly window: ReadonlyMap<string, PageObjectResponse>,
	) {}

	place(page: PageObjectResponse): Promise<string | null> {
		let placement = this.placed.get(page.id);
		if (placement === undefined) {
			// Settled to null first: a parent chain that loops back here is not in the tree.
			this.placed.set(page.id, Promise.resolve(null));
			placement = this.container(parentLink(page.parent));
			this.placed.set(page.id, placement);
		}
		return placement;
	}

	/** The tree node standing for a container, or null when the container is not in the tree. */
	private async container(link: ParentLink): Promise<string | null> {
		switch (link.type) {
			case 'workspace':
				return null;
			case 'page': {
				const known = this.state.nodes[link.id];
				if (known !== undefined) return known.kind === 'page' ? link.id : null;
				const edited = this.window.get(link.id);
				// A new page under a page also new (both edited in the window).
				return edited !== undefined && (await this.place(edited)) !== null ? link.id : null;
			}
			case 'block':
				return await this.container(await this.blockOwner(link.id));
			case 'data_source': {
				const databaseId = link.databaseId ?? (await this.api.dataSource(link.id))?.parent.database_id;
				return databaseId === undefined ? null : await this.container({ type: 'database', id: databaseId });
			}
			case 'database': {
				const known = this.state.nodes[link.id];
				if (known !== undefined) return known.kind === 'database' ? link.id : null;
				let placement = this.databases.get(link.id);
				if (placement === undefined) {
					placement = this.placeDatabase(link.id);
					this.databases.set(link.id, placement);
				}
				return await placement;
			}
		}
	}

	/** A database not in the tree yet: added (and queued for reading) when its parent chain is in the tree. */
	private async placeDatabase(databaseId: string): Promise<string | null> {
		const database = await this.api.database(databaseId);
		if (database === null || isTrashed(database)) return null;
		const parent = await this.container(parentLink(database.parent));
		if (parent === null) return null;
		const dataSources = database.data_sources.map((dataSource) => dataSource.id);
		this.state.nodes[databaseId] = { kind: 'database', title: titleOfDatabase(database), parent, dataSources };
		this.newDatabases.push(databaseId);
		return databaseId;
	}

	/** The page, database or workspace a block sits on, through any blocks in between. */
	private blockOwner(blockId: string): Promise<ParentLink> {
		let owner = this.blockOwners.get(blockId);
		if (owner === undefined) {
			owner = this.lookUpOwner(blockId);
			this.blockOwners.set(blockId, owner);
		}
		return owner;
	}

	private async lookUpOwner(blockId: string): Promise<ParentLink> {
		let current = blockId;
		for (let hop = 0; hop < MAX_BLOCK_HOPS; hop++) {
			const block = await this.api.block(current);
			if (block === null) return { type: 'workspace' };
			const parent = parentLink(block.parent);
			if (parent.type !== 'block') return parent;
			current = parent.id;
		}
		return { type: 'workspace' };
	}
}
