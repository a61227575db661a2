import type { Client } from '@notionhq/client';

import { InvalidInputError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import type { ItemFilter, ListChangesRequest, ListChangesResponse } from '../../types';
import { NotionApi } from '../api';
import { notionErrorOf, notSharedError, serverTimeOf } from '../client';
import { notionUrl, parseNotionId } from '../ids';
import { isTrashed, NOTION_PAGE_MIME, titleOfDatabase } from '../objects';
import { DEFAULT_MAX_DEPTH, DEFAULT_OVERLAP_MINUTES, DEFAULT_RECONCILE_MINUTES, type NotionSource } from './source';
import { emptyState, pathOf, prune, type KnownNode, type NotionCursor, type NotionListingState } from './state';
import { pageNode, walkBelow } from './tree';
import { applyDatabaseWindow } from './database';
import { applyPageTreeWindow, listPageTreeBySearch, refreshPublished } from './pageTree';
import { listingWorkspace, pagePermissions, type NotionWorkspace } from './permissions';
import { isInWindow, windowStart } from './window';

export type NotionListChangesRequest = ListChangesRequest<NotionSource, NotionCursor, NotionListingState>;
export type NotionListChangesResponse = ListChangesResponse<NotionCursor, NotionListingState>;

const MINUTE_MS = 60_000;

/**
 * Pages new or changed in a Notion source since the committed cursor, and deletions
 * (docs/architecture.md, "Providers"). The first run lists the source in full (a page tree from
 * search, placed by parent chains; a database by querying its data sources); later runs read what
 * Notion's search (page trees) or data source queries (databases) show edited since the cursor
 * minus the overlap window, and what went to the trash since then, placing each page in the tree
 * the snapshot keeps. A full walk every `reconcileMinutes` catches what those reads cannot see
 * (a move Notion did not stamp, sharing withdrawn). With `permissions`, items name their
 * workspace and, when published, anyone with the link. The engine keeps the snapshot, owes what a
 * `maxItems` cap holds back and proposes the cursor.
 */
export async function listNotionChanges(client: Client, request: NotionListChangesRequest): Promise<NotionListChangesResponse> {
	const { source, sourceKey, cursor: committed, snapshot: previous, filter } = request;
	const overlapMinutes = nonNegative(source.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES, 'The overlap window (minutes)');
	const reconcileMinutes = nonNegative(source.reconcileMinutes ?? DEFAULT_RECONCILE_MINUTES, 'The full re-walk interval (minutes)');
	const kind = source.kind;
	const rootId = kind === 'pageTree' ? parseNotionId(source.pageId, 'page') : parseNotionId(source.databaseId, 'database');
	const maxDepth = kind === 'pageTree' ? nonNegative(source.maxDepth ?? DEFAULT_MAX_DEPTH, 'The maximum depth', true) : 0;
	const api = new NotionApi(client, undefined, request.signal);

	const root = await readRoot(api, kind, rootId);
	const readAtMs = serverTimeOf(client);
	// Null when permissions are not asked for (or Notion names no workspace): items then carry none.
	const workspace = request.permissions === true ? await listingWorkspace(api, request.account) : null;

	let state: NotionListingState;
	let touched = new Set<string>();
	const since = committed === null || previous === null ? null : windowStart(committed.readAt, overlapMinutes);
	const relist =
		committed === null ||
		previous === null ||
		root.trashed ||
		previous.kind !== kind ||
		previous.rootId !== rootId ||
		previous.maxDepth !== maxDepth ||
		previous.nodes[rootId] === undefined;
	const reconcile =
		!relist && (readAtMs ?? Date.parse(committed.readAt)) - Date.parse(committed.walkedAt) >= reconcileMinutes * MINUTE_MS;
	const fullWalk = relist || reconcile;

	if (root.trashed) {
		// The whole source went to the trash: everything in it is deleted.
		state = emptyState(kind, rootId, maxDepth);
	} else if (fullWalk) {
		state = emptyState(kind, rootId, maxDepth);
		state.nodes[rootId] = root.node;
		// Page trees are listed from search first, walked block by block when reconciling; databases are queried.
		if (kind === 'pageTree' && !reconcile) await listPageTreeBySearch(api, state);
		else await walkBelow(api, state, [rootId]);
		prune(state);
		if (kind === 'pageTree' && reconcile && workspace !== null) await refreshPublished(api, state);
		if (since !== null) {
			for (const [id, node] of Object.entries(state.nodes)) if (node.edited && isInWindow(node.edited, since)) touched.add(id);
		}
	} else {
		state = structuredClone(previous as NotionListingState);
		// The window read compares the database's data sources with the ones the state knows.
		state.nodes[rootId] = { ...root.node, dataSources: state.nodes[rootId].dataSources };
		touched =
			kind === 'pageTree'
				? await applyPageTreeWindow(api, state, since as string)
				: await applyDatabaseWindow(api, state, root.node.dataSources ?? [], since as string);
		if (root.node.edited && isInWindow(root.node.edited, since as string)) touched.add(rootId);
		prune(state);
	}

	if (previous !== null) keepPublished(previous, state);
	const { items, deletions } = outgoing(previous, state, touched, filter, { sourceKey, workspace });

	// Notion's clock when the run began reading; without a Date header, the newest edit seen (never later than that).
	const observed = Object.values(state.nodes).map((node) => node.edited);
	const readAt = readAtMs !== undefined ? new Date(readAtMs).toISOString() : newest([...observed, committed?.readAt]);
	return {
		items,
		deletions,
		nextCursor: { readAt, walkedAt: fullWalk ? readAt : (committed as NotionCursor).walkedAt },
		nextSnapshot: state,
		fullListing: relist && !root.trashed,
		warnings: [],
		requests: api.requests,
	};
}

interface Root {
	trashed: boolean;
	node: NotionListingState['nodes'][string];
}

/** The source's root, read first on every run: it must still be shared, and its first answer dates the run. */
async function readRoot(api: NotionApi, kind: NotionSource['kind'], rootId: string): Promise<Root> {
	if (kind === 'pageTree') {
		const page = await orWrongKind(api.page(rootId), 'page', rootId);
		if (page === null) throw notSharedError('page', rootId);
		return { trashed: isTrashed(page), node: pageNode(page, null) };
	}
	const database = await orWrongKind(api.database(rootId), 'database', rootId);
	if (database === null) throw notSharedError('database', rootId);
	return {
		trashed: isTrashed(database),
		node: { kind: 'database', title: titleOfDatabase(database), parent: null, dataSources: database.data_sources.map((dataSource) => dataSource.id) },
	};
}

/** Notion answers 400 when a page id is read as a database or the other way round: say which it is. */
async function orWrongKind<T>(request: Promise<T>, expected: 'page' | 'database', id: string): Promise<T> {
	try {
		return await request;
	} catch (error) {
		const { status, code } = notionErrorOf(error);
		if (status === 400 && code === 'validation_error') {
			const other = expected === 'page' ? 'database' : 'page';
			throw new InvalidInputError(
				`${id} is not a Notion ${expected} (Notion says: ${(error as Error).message})`,
				`Pick the ${expected} itself, or choose "${other === 'database' ? 'Database' : 'Page tree'}" as the source.`,
			);
		}
		throw error;
	}
}

/** A page seen only as a block this run keeps what the last page object read said of its publishing. */
function keepPublished(previous: NotionListingState, state: NotionListingState): void {
	for (const [id, node] of Object.entries(state.nodes)) {
		const published = previous.nodes[id]?.published;
		if (node.kind === 'page' && node.published === undefined && published !== undefined) node.published = published;
	}
}

/** What every item of the run carries besides its page: the source, and the workspace its permissions name. */
interface ItemContext {
	sourceKey: string;
	/** Null when items carry no permissions. */
	workspace: NotionWorkspace | null;
}

/**
 * What the run owes: pages read in the window, whose path is new or changed, or (with
 * permissions) whose publishing changed, which pass the filters; and a deletion for every page
 * the committed state held (and the filters let through) that has left the source or the filters.
 */
function outgoing(
	previous: NotionListingState | null,
	state: NotionListingState,
	touched: ReadonlySet<string>,
	filter: ItemFilter,
	context: ItemContext,
): { items: ConnectorItem[]; deletions: ConnectorItem[] } {
	const items: ConnectorItem[] = [];
	const deletions: ConnectorItem[] = [];
	const memo = new Map<string, string | null>();
	const previousMemo = new Map<string, string | null>();
	const previousPath = (id: string): string | null =>
		previous !== null && previous.nodes[id]?.kind === 'page' ? pathOf(previous, id, previousMemo) : null;
	for (const [id, node] of Object.entries(state.nodes)) {
		if (node.kind !== 'page') continue;
		const path = pathOf(state, id, memo);
		if (path === null) continue;
		const before = previousPath(id);
		const old = previous?.nodes[id];
		// Publishing is not stamped as an edit: only a page object read again (the root, a full re-walk) shows it.
		const republished =
			context.workspace !== null && old?.published !== undefined && node.published !== undefined && old.published !== node.published;
		const changed = before === null || before !== path || touched.has(id) || old?.edited !== node.edited || republished;
		if (!changed) continue;
		if (filter(path, NOTION_PAGE_MIME)) {
			items.push(pageItem(id, node, path, context, 'upsert'));
		} else if (before !== null && filter(before, NOTION_PAGE_MIME)) {
			deletions.push(pageItem(id, (previous as NotionListingState).nodes[id], before, context, 'deleted'));
		}
	}
	for (const id of Object.keys(previous?.nodes ?? {})) {
		if (state.nodes[id]?.kind === 'page') continue;
		const before = previousPath(id);
		if (before !== null && filter(before, NOTION_PAGE_MIME)) deletions.push(pageItem(id, (previous as NotionListingState).nodes[id], before, context, 'deleted'));
	}
	return { items, deletions };
}

/**
 * A page as an item, with its permissions when asked for and known; a deletion carries what the
 * state knew of it, without times, link or permissions.
 */
function pageItem(id: string, node: KnownNode, path: string, { sourceKey, workspace }: ItemContext, change: 'upsert' | 'deleted'): ConnectorItem {
	const live = change === 'upsert';
	const item: ConnectorItem = {
		provider: 'notion',
		external_id: id,
		source_key: sourceKey,
		name: node.title,
		path,
		parents: node.parent === null ? [] : [node.parent],
		mime: NOTION_PAGE_MIME,
		size: null,
		modified_at: live ? (node.edited ?? null) : null,
		created_at: live ? (node.created ?? null) : null,
		version: live ? (node.edited ?? null) : null,
		hash: null,
		url: live ? notionUrl(id) : null,
		change,
	};
	const permissions = live ? pagePermissions(node.published, workspace) : undefined;
	if (permissions !== undefined) item.permissions = permissions;
	return item;
}

function nonNegative(value: number, what: string, integer = false): number {
	if (!(value >= 0) || (integer && !Number.isInteger(value))) {
		throw new InvalidInputError(`${what} must be ${integer ? 'a whole number' : 'a number'} of 0 or more (got ${String(value)})`);
	}
	return value;
}

function newest(times: ReadonlyArray<string | undefined>): string {
	let best = 0;
	for (const time of times) if (time !== undefined && Date.parse(time) > best) best = Date.parse(time);
	return new Date(best).toISOString();
}
