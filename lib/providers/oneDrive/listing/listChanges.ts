import { compareText, type ConnectorItem } from '../../../items';
import { outgoingItems } from '../../listingDiff';
import type { ListChangesRequest, ListChangesResponse } from '../../types';
import type { GraphClient, GraphItem } from '../graph';
import { GraphListingApi, isFolder, itemOf, mimeOf } from './graphListing';
import { isRecursive, type OneDriveSource } from './source';
import { emptyState, folderPath, joinPath, type KnownFile, type OneDriveCursor, type OneDriveListingState } from './state';

export type OneDriveListingRequest = ListChangesRequest<OneDriveSource, OneDriveCursor, OneDriveListingState>;
export type OneDriveListingResponse = ListChangesResponse<OneDriveCursor, OneDriveListingState>;

/**
 * Files new or changed in a OneDrive source since `cursor`, and deletions (docs/architecture.md).
 * Without a cursor and its snapshot the source is walked in full; otherwise the drive's delta feed
 * is read from the stored delta link and applied to the snapshot, so an unchanged source costs one
 * request. The feed is the drive's (Graph follows changes below a folder only in personal
 * OneDrive): items outside the source are left out by their parents.
 */
export async function listOneDriveChanges(graph: GraphClient, request: OneDriveListingRequest): Promise<OneDriveListingResponse> {
	const { source, sourceKey, cursor, snapshot: previous } = request;
	const api = new GraphListingApi(graph, request.signal);
	const warnings: string[] = [];
	const report = (count: number) => {
		if (count > 0) request.onListed?.(count);
	};

	let state: OneDriveListingState;
	let deltaLink: string | null;
	let listed: ConnectorItem[];
	const link = cursor?.deltaLink ?? null;
	const feed = link === null || previous === null ? null : await api.changesSince(link, relevantTo(previous));
	if (previous !== null && feed !== null) {
		// Nothing changed: the state handed back is the one given. Otherwise its maps are copied, not their
		// entries, which the listing replaces rather than edits: one listing of the files, not two.
		state = feed.items.length === 0 ? previous : { ...previous, folders: { ...previous.folders }, files: { ...previous.files } };
		deltaLink = feed.deltaLink;
		listed = await applyDelta(api, state, feed.items, sourceKey, report);
	} else {
		if (cursor !== null && cursor.deltaLink !== null && previous !== null) {
			warnings.push(
				`Microsoft Graph asked for a resync of ${sourceKey} (its change token expired or was reset); ` +
					'the source was listed in full again: unchanged files come as upserts that Connector Dedup reports Unchanged, files gone since as deletions',
			);
		}
		const root = await api.root(source.driveId, source.kind === 'folder' ? source.folderId : null);
		deltaLink = await api.latestDeltaLink(root.driveId);
		if (deltaLink === null) {
			warnings.push(
				`Microsoft Graph offers this account no change feed of the drive ${sourceKey} is in (a folder shared from someone else's OneDrive): ` +
					'every run lists the source in full; Connector Dedup reports unchanged files Unchanged, files gone as deletions',
			);
		}
		state = emptyState(root.driveId, root.rootId, isRecursive(source));
		listed = await walk(api, state, root.rootId, sourceKey, report);
	}
	const gone = feed?.items.find((item) => item.id === state.rootId && item.deleted !== undefined);
	if (gone !== undefined) {
		warnings.push(`The root folder of ${sourceKey} was deleted in OneDrive: every file it held is reported deleted`);
		state = { ...state, folders: {}, files: {} };
		listed = [];
	}

	const memo = new Map<string, string | null>();
	const deletion = (id: string, known: KnownFile) => {
		const before = previous as OneDriveListingState;
		return deletionOf(id, joinPath(folderPath(before, known.parent, memo) ?? '', known.name), known.name, known.parent, known.mime, sourceKey, before.driveId);
	};
	return {
		...outgoingItems(listed, previous?.files ?? null, state.files, request.filter, deletion),
		nextCursor: { deltaLink },
		nextSnapshot: state,
		fullListing: feed === null,
		warnings,
		requests: api.requests,
		countedListed: true,
	};
}

/**
 * Which delta items can touch the source, decided as each page arrives so that the feed of a whole
 * drive is not held for a folder of it: items the state knows, items in one of its folders, the
 * root itself, and later versions of an item already kept (the feed's last word wins). A folder
 * that moves in from outside is walked, which finds what is below it.
 */
export function relevantTo(state: OneDriveListingState): (item: GraphItem) => boolean {
	const inSource = (parent: string | undefined) => parent !== undefined && (parent === state.rootId || (state.recursive && parent in state.folders));
	return (item) => item.id === state.rootId || item.id in state.files || item.id in state.folders || inSource(item.parentReference?.id);
}

/** Walks a folder of the source breadth-first (direct children only when not recursive), recording what it finds. */
async function walk(
	api: GraphListingApi,
	state: OneDriveListingState,
	folderId: string,
	sourceKey: string,
	report: (count: number) => void,
): Promise<ConnectorItem[]> {
	const items: ConnectorItem[] = [];
	const memo = new Map<string, string | null>();
	const queue = [folderId];
	while (queue.length > 0) {
		const parent = queue.shift() as string;
		const base = folderPath(state, parent, memo);
		if (base === null) continue;
		let files = 0;
		for (const child of await api.children(state.driveId, parent)) {
			if (child.deleted !== undefined) continue;
			const name = child.name ?? '';
			if (isFolder(child)) {
				if (!state.recursive) continue;
				state.folders[child.id] = [name, parent];
				queue.push(child.id);
				continue;
			}
			state.files[child.id] = { name, parent, mime: mimeOf(child) };
			items.push(itemOf(child, joinPath(base, name), sourceKey, parent, state.driveId));
			files++;
		}
		report(files);
	}
	return items;
}

/**
 * Applies a delta feed to the listing state (a copy of the committed one, mutated) and returns an
 * upsert per file new, edited, renamed or moved within the source. Files that left it (deleted,
 * moved out, or under a folder that did) are those of the committed state no longer in `state`.
 *
 * Folders first: the feed holds each item once, in its latest state, so placing every changed
 * folder before any file gives each file its final path whatever the feed's order. A folder new
 * to the source, renamed or moved is walked again: Graph reports the folder, not what is below it.
 */
async function applyDelta(
	api: GraphListingApi,
	state: OneDriveListingState,
	changes: readonly GraphItem[],
	sourceKey: string,
	report: (count: number) => void,
): Promise<ConnectorItem[]> {
	const before = structuredClone(state.folders);
	const upserts = new Map<string, ConnectorItem>();
	const files: GraphItem[] = [];
	for (const change of changes) {
		if (change.id === state.rootId || change.root !== undefined) continue;
		const folder = change.deleted === undefined ? isFolder(change) : change.id in state.folders;
		if (!folder) {
			files.push(change);
			continue;
		}
		if (!state.recursive) continue;
		const parent = change.parentReference?.id;
		if (change.deleted !== undefined || parent === undefined) delete state.folders[change.id];
		else state.folders[change.id] = [change.name ?? '', parent];
	}

	if (state.recursive) {
		const memo = new Map<string, string | null>();
		for (const id of Object.keys(state.folders)) {
			if (folderPath(state, id, memo) === null) delete state.folders[id];
		}
		const previous = { ...state, folders: before };
		const previousMemo = new Map<string, string | null>();
		const moved = (id: string): boolean => id !== state.rootId && folderPath(previous, id, previousMemo) !== folderPath(state, id, memo);
		const relist = Object.keys(state.folders)
			.filter((id) => moved(id) && !moved(state.folders[id][1]))
			.sort((left, right) => compareText(folderPath(state, left, memo) ?? '', folderPath(state, right, memo) ?? ''));
		for (const [id, known] of Object.entries(state.files)) {
			if (known.parent !== state.rootId && !(known.parent in state.folders)) delete state.files[id];
		}
		for (const folderId of relist) {
			// Its folders are walked afresh: drop what the snapshot held below it first.
			for (const item of await walk(api, state, folderId, sourceKey, report)) upserts.set(item.external_id, item);
		}
	}

	const memo = new Map<string, string | null>();
	let placed = 0;
	for (const change of files) {
		const parent = change.parentReference?.id;
		const inSource = parent !== undefined && (parent === state.rootId || (state.recursive && parent in state.folders));
		if (change.deleted !== undefined || !inSource) {
			delete state.files[change.id];
			upserts.delete(change.id);
			continue;
		}
		const name = change.name ?? '';
		state.files[change.id] = { name, parent, mime: mimeOf(change) };
		upserts.set(change.id, itemOf(change, joinPath(folderPath(state, parent, memo) ?? '', name), sourceKey, parent, state.driveId));
		placed++;
	}
	report(placed);
	return [...upserts.values()];
}

function deletionOf(id: string, path: string, name: string, parent: string, mime: string | null, sourceKey: string, driveId: string): ConnectorItem {
	return {
		provider: 'onedrive',
		external_id: id,
		source_key: sourceKey,
		name,
		path,
		parents: [parent],
		mime,
		size: null,
		modified_at: null,
		created_at: null,
		version: null,
		hash: null,
		url: null,
		change: 'deleted',
		drive_id: driveId,
	};
}
