import type { ConnectorItem } from '../../../items';
import { outgoingItems } from '../../listingDiff';
import type { ListChangesRequest, ListChangesResponse } from '../../types';
import type { DriveClient } from '../client';
import { MY_DRIVE_ROOT } from '../ids';
import { applyChanges, relevantTo } from './changes';
import { DriveListingApi } from './driveApi';
import { isRecursive, type DriveSource } from './source';
import { emptyState, folderPath, joinPath, withCopiedMaps, type DriveCursor, type DriveListingState, type KnownFile } from './state';
import { listSubtree } from './subtree';

export type DriveListingRequest = ListChangesRequest<DriveSource, DriveCursor, DriveListingState>;
export type DriveListingResponse = ListChangesResponse<DriveCursor, DriveListingState>;

/**
 * Files new or changed in a Drive source since `cursor`, and deletions (docs/architecture.md).
 * Without a cursor and its snapshot the source is listed in full; otherwise the Changes API is
 * read from the cursor's page token, so an unchanged source costs one request.
 *
 * When Drive no longer accepts the page token (it expires after a long pause), the source is
 * listed in full again against the snapshot: every file comes as an upsert (Connector Dedup tells
 * the unchanged ones apart) and every file the snapshot held that is no longer there as a deletion.
 */
export async function listDriveChanges(drive: DriveClient, request: DriveListingRequest): Promise<DriveListingResponse> {
	const { source, sourceKey, cursor, snapshot: previous } = request;
	const api = new DriveListingApi(drive, request.onListed, request.signal);
	const warnings: string[] = [];

	let state: DriveListingState;
	let pageToken: string;
	let listed: ConnectorItem[];
	if (previous !== null) api.askPermissions(request.permissions === true, previous.driveId);
	const feed = cursor === null || previous === null ? null : await api.changesSince(cursor.pageToken, previous.driveId, relevantTo(previous));
	if (previous !== null && feed !== null) {
		// Nothing changed: the state handed back is the one given. Otherwise its maps are copied, not their
		// entries, which the listing replaces rather than edits: one listing of the files, not two.
		state = feed.changes.length === 0 ? previous : withCopiedMaps(previous);
		pageToken = feed.newStartPageToken;
		listed = feed.changes.length === 0 ? [] : await applyChanges(api, state, feed.changes, sourceKey);
		// Files a relisted folder brought were reported as they were found.
		api.reportListed(listed.length - api.filesReported);
	} else {
		if (cursor !== null && previous !== null) {
			warnings.push(
				`Google Drive no longer accepts the stored change token of ${sourceKey} (it expires after a long pause); ` +
					'the source was listed in full again: unchanged files come as upserts that Connector Dedup reports Unchanged, files gone since as deletions',
			);
		}
		const root = await rootOf(api, source);
		api.askPermissions(request.permissions === true, root.driveId);
		// Taken before listing, so whatever changes while the listing runs is read next time.
		pageToken = await api.startPageToken(root.driveId);
		state = emptyState(root.id, root.driveId, isRecursive(source));
		// A whole shared drive: one paged query over it beats a query per folder batch. A folder is
		// walked, since its cost then follows its own size and not its drive's (README, "Listing plans").
		if (source.kind === 'sharedDrive') await api.loadCorpus(source.driveId);
		// A first listing hands its files to the engine a page at a time when offered: nothing to tell them apart from.
		const onItems = request.onItems;
		const handOn =
			previous === null && onItems !== undefined
				? async (items: ConnectorItem[]) => {
						const kept = items.filter((item) => request.filter(item.path, item.mime));
						if (kept.length > 0) await onItems(kept);
					}
				: undefined;
		// Its file entries too, when the engine stages them: the walk then keeps only folders and file ids.
		const handEntriesOn = handOn === undefined ? undefined : request.onEntries;
		listed = await listSubtree(api, state, root.id, sourceKey, handOn, handEntriesOn);
	}

	const memo = new Map<string, string | null>();
	const deletion = (id: string, known: KnownFile) =>
		deletionOf(id, joinPath(folderPath(previous as DriveListingState, known.parent, memo) ?? '', known.name), known.name, known.parent, known.mime, sourceKey);
	return {
		...outgoingItems(listed, previous?.files ?? null, state.files, request.filter, deletion),
		nextCursor: { pageToken },
		nextSnapshot: state,
		fullListing: feed === null,
		warnings,
		requests: api.requests,
		countedListed: true,
	};
}

async function rootOf(api: DriveListingApi, source: DriveSource): Promise<{ id: string; driveId: string | null }> {
	switch (source.kind) {
		case 'folder':
			return await api.rootFolder(source.folderId);
		case 'sharedDrive':
			return { id: source.driveId, driveId: source.driveId };
		case 'myDrive':
			return { ...(await api.rootFolder(MY_DRIVE_ROOT)), driveId: null };
	}
}

function deletionOf(
	id: string,
	path: string,
	name: string,
	parent: string,
	mime: string | null,
	sourceKey: string,
): ConnectorItem {
	return {
		provider: 'google_drive',
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
	};
}
