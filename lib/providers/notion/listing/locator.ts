import type { DatabaseObjectResponse, PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../api';
import { isTrashed, parentLink, titleOfDatabase, type ParentLink } from '../objects';
import type { NotionListingState } from './state';

/** Blocks between a page and the page or database it sits on (toggles in columns in toggles…). */
const MAX_BLOCK_HOPS = 25;
/** Containers a placement may climb through; a longer chain is a loop and is not in the tree. */
const MAX_CHAIN = 500;

/** What placing a page needs of it: its id and its parent. */
export type PlaceablePage = Pick<PageObjectResponse, 'id' | 'parent'>;

/**
 * Places pages found by search in the tree: the node each one hangs from, or null when its
 * parent chain leaves the tree. Blocks are resolved to the page or database they sit on;
 * a database new to the tree (its row was edited) is added and queued for a full read.
 * Lookups are memoised; placements climb with a hop count, so a parent loop ends as "not in the
 * tree" instead of waiting on itself.
 */
export class TreeLocator {
	readonly newDatabases: string[] = [];
	private readonly placed = new Map<string, string | null>();
	private readonly blockOwners = new Map<string, Promise<ParentLink>>();
	private readonly databases = new Map<string, Promise<DatabaseObjectResponse | null>>();

	constructor(
		private readonly api: NotionApi,
		private readonly state: NotionListingState,
		private readonly window: ReadonlyMap<string, PlaceablePage>,
	) {}

	async place(page: PlaceablePage): Promise<string | null> {
		return await this.placePage(page, 0);
	}

	private async placePage(page: PlaceablePage, hops: number): Promise<string | null> {
		const settled = this.placed.get(page.id);
		if (settled !== undefined) return settled;
		if (hops > MAX_CHAIN) return null;
		const placement = await this.container(parentLink(page.parent), hops + 1);
		this.placed.set(page.id, placement);
		return placement;
	}

	/** The tree node standing for a container, or null when the container is not in the tree. */
	private async container(link: ParentLink, hops: number): Promise<string | null> {
		if (hops > MAX_CHAIN) return null;
		switch (link.type) {
			case 'workspace':
				return null;
			case 'page': {
				const known = this.state.nodes[link.id];
				if (known !== undefined) return known.kind === 'page' ? link.id : null;
				const edited = this.window.get(link.id);
				// A new page under a page also new (both edited in the window).
				return edited !== undefined && (await this.placePage(edited, hops)) !== null ? link.id : null;
			}
			case 'block':
				return await this.container(await this.blockOwner(link.id), hops + 1);
			case 'data_source': {
				const databaseId = link.databaseId ?? (await this.api.dataSource(link.id))?.parent.database_id;
				return databaseId === undefined ? null : await this.container({ type: 'database', id: databaseId }, hops + 1);
			}
			case 'database': {
				const known = this.state.nodes[link.id];
				if (known !== undefined) return known.kind === 'database' ? link.id : null;
				const database = await this.database(link.id);
				if (database === null || isTrashed(database)) return null;
				const parent = await this.container(parentLink(database.parent), hops + 1);
				if (parent === null) return null;
				if (this.state.nodes[link.id] === undefined) {
					const dataSources = database.data_sources.map((dataSource) => dataSource.id);
					this.state.nodes[link.id] = { kind: 'database', title: titleOfDatabase(database), parent, dataSources };
					this.newDatabases.push(link.id);
				}
				return link.id;
			}
		}
	}

	private database(databaseId: string): Promise<DatabaseObjectResponse | null> {
		let database = this.databases.get(databaseId);
		if (database === undefined) {
			database = this.api.databaseIfReadable(databaseId);
			this.databases.set(databaseId, database);
		}
		return database;
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
