import type { BlockObjectResponse } from '@notionhq/client';

import type { NotionApi } from '../api';
import { isNotFound } from '../client';
import { MAX_NESTING, type BlockNode } from '../markdown';

/**
 * Fetches a page's whole block tree: every level's children paginated past 100, the children of
 * siblings fetched in parallel (the api's p-limit and the integration's throttle pace them).
 * A synced reference's content is its original's: originals are fetched once each, started as
 * soon as a reference is seen, and are then available synchronously to the renderer.
 */
export class BlockTreeFetcher {
	private readonly originals = new Map<string, Promise<BlockNode[] | undefined>>();
	private readonly settled = new Map<string, BlockNode[] | undefined>();
	/** `link_to_page` targets met anywhere in the tree. */
	readonly linkedPages = new Set<string>();
	readonly linkedDatabases = new Set<string>();

	constructor(private readonly api: NotionApi) {}

	/**
	 * `depth` is the level of `blockId`'s children: one level past what the renderer shows is read
	 * (so it can say that content was left out), nothing deeper.
	 */
	async tree(blockId: string, depth = 1): Promise<BlockNode[]> {
		const blocks = await this.api.children(blockId);
		return await Promise.all(blocks.map(async (block) => ({ block, children: await this.childrenOf(block, depth + 1) })));
	}

	/** The tree of `pageId`, with every synced original it references (also from inside originals) fetched. */
	async pageTree(pageId: string): Promise<BlockNode[]> {
		const blocks = await this.tree(pageId);
		for (let known = -1; known !== this.originals.size; ) {
			known = this.originals.size;
			await Promise.all(this.originals.values());
		}
		return blocks;
	}

	/** The original's children for a synced reference; undefined when the original is not shared. */
	resolveSyncedBlock(originalId: string): BlockNode[] | undefined {
		return this.settled.get(originalId);
	}

	private async childrenOf(block: BlockObjectResponse, depth: number): Promise<BlockNode[]> {
		if (block.type === 'link_to_page') {
			if (block.link_to_page.type === 'page_id') this.linkedPages.add(block.link_to_page.page_id);
			if (block.link_to_page.type === 'database_id') this.linkedDatabases.add(block.link_to_page.database_id);
		}
		if (block.type === 'synced_block' && block.synced_block.synced_from !== null) {
			this.original(block.synced_block.synced_from.block_id);
			return [];
		}
		// Child pages and databases are items of their own: here only a link to them.
		if (!block.has_children || block.type === 'child_page' || block.type === 'child_database') return [];
		if (depth > MAX_NESTING + 1) return [];
		return await this.tree(block.id, depth);
	}

	private original(originalId: string): void {
		if (this.originals.has(originalId)) return;
		const fetched = this.tree(originalId).then(
			(children) => children,
			(error: unknown) => {
				if (isNotFound(error)) return undefined;
				throw error;
			},
		);
		const settled = fetched.then((children) => {
			this.settled.set(originalId, children);
			return children;
		});
		// Awaited by pageTree; handled here too so a failure while the main tree is still loading is not reported twice.
		settled.catch(() => undefined);
		this.originals.set(originalId, settled);
	}
}
