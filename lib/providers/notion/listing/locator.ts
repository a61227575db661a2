import type { PageObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../api';
import { isTrashed, parentLink, titleOfDatabase, type ParentLink } from '../objects';
import type { NotionListingState } from './state';

/** Blocks between a page and the page or database it sits on (toggles in columns in toggles…). */
const MAX_BLOCK_HOPS = 25;

/**
 * Places pages found by search in the tree: the node each one hangs from, or null when its
 * parent chain leaves the tree. Blocks are resolved to the page or database they sit on;
 * a database new to the tree (its row was edited) is added and queued for a full read.
 */
export class TreeLocator {
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
