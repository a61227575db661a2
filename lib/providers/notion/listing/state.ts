import { pathSegment } from '../objects';

/** A page or database known to be in the source: enough to place it, path it and report it. */
export interface KnownNode {
	kind: 'page' | 'database';
	title: string;
	/** The node it sits under in the source (a page or database; blocks in between are skipped); null for the root. */
	parent: string | null;
	/** Pages: `last_edited_time`, `created_time`. */
	edited?: string;
	created?: string;
	/**
	 * Pages: published to the web (`public_url`), as the last page object read said; absent when
	 * only a `child_page` block was seen, which does not tell.
	 */
	published?: boolean;
	/** Databases: their data source ids. Rows: the data source they belong to. */
	dataSources?: string[];
	dataSource?: string;
}

/**
 * What a run knows about its source after listing: the tree of pages and databases, so a page
 * found by search is placed by its parent chain without walking anything. The engine keeps it as
 * the listing's snapshot, with the items still owed (`pending`) after these keys.
 */
export interface NotionListingState {
	kind: 'pageTree' | 'database';
	rootId: string;
	/** Page trees: the depth limit the tree was walked with (a different one means a full walk). */
	maxDepth: number;
	nodes: Record<string, KnownNode>;
}

export function emptyState(kind: NotionListingState['kind'], rootId: string, maxDepth: number): NotionListingState {
	return { kind, rootId, maxDepth, nodes: {} };
}

/** The source's nodes by parent, each list in insertion order. */
export function childrenIndex(state: NotionListingState): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const [id, node] of Object.entries(state.nodes)) {
		if (node.parent === null) continue;
		const siblings = index.get(node.parent);
		if (siblings) siblings.push(id);
		else index.set(node.parent, [id]);
	}
	return index;
}

/**
 * Keeps only what hangs from the root within `maxDepth` (databases count as a level, their rows
 * sit at the database's level), walking down from the root so a parent loop can never keep a
 * node. Returns each kept node's depth.
 */
export function prune(state: NotionListingState): Map<string, number> {
	const depths = new Map<string, number>();
	if (state.nodes[state.rootId] === undefined) {
		state.nodes = {};
		return depths;
	}
	const index = childrenIndex(state);
	depths.set(state.rootId, 0);
	const queue = [state.rootId];
	while (queue.length > 0) {
		const id = queue.shift() as string;
		const depth = depths.get(id) as number;
		const isDatabase = state.nodes[id].kind === 'database';
		for (const child of index.get(id) ?? []) {
			if (depths.has(child)) continue;
			const childDepth = isDatabase ? depth : depth + 1;
			if (childDepth > state.maxDepth) continue;
			depths.set(child, childDepth);
			queue.push(child);
		}
	}
	for (const id of Object.keys(state.nodes)) if (!depths.has(id)) delete state.nodes[id];
	return depths;
}

/** Depth of a node below the root as `prune` counts it; undefined when not in the tree. */
export function depthOf(state: NotionListingState, id: string): number | undefined {
	let depth = 0;
	let current: string | null = id;
	const seen = new Set<string>();
	while (current !== null) {
		if (current === state.rootId) return depth;
		const node: KnownNode | undefined = state.nodes[current];
		if (node === undefined || seen.has(current)) return undefined;
		seen.add(current);
		const parent: KnownNode | undefined = node.parent === null ? undefined : state.nodes[node.parent];
		if (parent !== undefined && parent.kind !== 'database') depth++;
		current = node.parent;
	}
	return undefined;
}

/**
 * Path of a node from the source root: `/Root/Child/Grandchild` for page trees (the root is
 * `/Root`), `/Row title` for database rows. Null when the node does not hang from the root.
 */
export function pathOf(state: NotionListingState, id: string, memo = new Map<string, string | null>()): string | null {
	const chain: string[] = [];
	let current: string | null = id;
	let base: string | null = null;
	for (;;) {
		if (current === null) break;
		const cached = memo.get(current);
		if (cached !== undefined) {
			base = cached;
			break;
		}
		const node: KnownNode | undefined = state.nodes[current];
		// Unknown, or a parent chain that loops: not in the tree.
		if (node === undefined || chain.includes(current)) break;
		if (current === state.rootId) {
			base = state.kind === 'pageTree' ? `/${pathSegment(node.title)}` : '';
			memo.set(current, base);
			break;
		}
		chain.push(current);
		current = node.parent;
	}
	for (let index = chain.length - 1; index >= 0; index--) {
		base = base === null ? null : `${base}/${pathSegment(state.nodes[chain[index]].title)}`;
		memo.set(chain[index], base);
	}
	return base;
}

/** Every node under `id` (not `id` itself). */
export function descendantsOf(state: NotionListingState, id: string, index = childrenIndex(state)): string[] {
	const found: string[] = [];
	const queue = [id];
	const seen = new Set([id]);
	while (queue.length > 0) {
		for (const child of index.get(queue.shift() as string) ?? []) {
			if (seen.has(child)) continue;
			seen.add(child);
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

// --- cursor ---------------------------------------------------------------------------------

/**
 * Up to when (on Notion's clock) the source has been read, and when it was last walked in full.
 * The engine stores it with the id of the snapshot that goes with it (`{readAt, walkedAt, snapshot}`).
 */
export interface NotionCursor {
	/** ISO time the run started reading, on Notion's clock. */
	readAt: string;
	/** ISO time of the last full walk, on Notion's clock. */
	walkedAt: string;
}

/** The stored cursor when both times are there and readable; null otherwise (the source is listed in full). */
export function parseCursor(value: unknown): NotionCursor | null {
	if (typeof value !== 'object' || value === null) return null;
	const { readAt, walkedAt } = value as Record<string, unknown>;
	if (typeof readAt !== 'string' || typeof walkedAt !== 'string') return null;
	if (!Number.isFinite(Date.parse(readAt)) || !Number.isFinite(Date.parse(walkedAt))) return null;
	return { readAt, walkedAt };
}
