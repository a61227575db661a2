import { RUN_ID_FIELD } from '../../../cache/connectorCache';
import { InvalidInputError } from '../../../errors';
import { byPath, type ConnectorItem } from '../../../items';
import type { ListChangesInput, ListChangesResult } from '../../types';
import type { DriveClient } from '../client';
import { MY_DRIVE_ROOT } from '../ids';
import { applyChanges } from './changes';
import { DriveListingApi } from './driveApi';
import { itemFilterFor, type ItemFilter } from '../../../files/itemFilter';
import { isRecursive, sourceKeyFor, type DriveSource } from './source';
import {
	emptyState,
	folderPath,
	joinPath,
	parseCursor,
	readSnapshot,
	writeSnapshot,
	type DriveCursor,
	type DriveListingState,
} from './state';
import { listSubtree } from './subtree';

export interface ListDriveChangesInput extends ListChangesInput<DriveSource> {
	drive: DriveClient;
	/** The connected account's e-mail: part of the source key. */
	accountEmail: string;
	/** Called as files are found (a folder page at a time during a full listing), for progress logs. */
	onListed?: (files: number) => void;
}

export interface ListDriveChangesResult extends ListChangesResult {
	/** True when the source was listed in full: a first run, or a stored change token Drive refused. */
	fullListing: boolean;
	/** Things the person running the workflow should know, e.g. that a refused token forced a full listing. */
	warnings: string[];
}

/**
 * Files new or changed in a Drive source since its committed cursor, and deletions
 * (PRODUCT.md §3 listChanges). The first run lists the source in full; later runs read the
 * Changes API from the committed page token, so an unchanged source costs one request.
 * The new cursor is proposed for the run and commits once the run's items are settled.
 *
 * When Drive no longer accepts the committed page token (it expires after a long pause), the
 * source is listed in full again against the committed state: every file comes as an upsert
 * (Connector Dedup tells the unchanged ones apart) and every known file no longer there as a deletion.
 */
export async function listDriveChanges(input: ListDriveChangesInput): Promise<ListDriveChangesResult> {
	const { drive, cache, source, runId, options = {} } = input;
	const maxItems = options.maxItems ?? Infinity;
	if (!(maxItems >= 1)) {
		throw new InvalidInputError(`Max items per run must be at least 1 (got ${String(options.maxItems)})`, 'Leave it empty for no limit.');
	}
	const sourceKey = sourceKeyFor(input.accountEmail, source);
	const filter = itemFilterFor(options);
	const api = new DriveListingApi(drive, input.onListed);
	const warnings: string[] = [];

	const committed = parseCursor(cache.getCommittedCursor(sourceKey));
	const committedState = committed === null ? null : readSnapshot(cache, sourceKey, committed.snapshot);

	let state: DriveListingState;
	let pageToken: string;
	let listed: ConnectorItem[];
	let previous: DriveListingState | null = null;
	const feed = committed === null || committedState === null ? null : await api.changesSince(committed.pageToken, committedState.driveId);
	if (committedState !== null && feed !== null) {
		previous = committedState;
		state = structuredClone(committedState);
		state.pending = [];
		pageToken = feed.newStartPageToken;
		listed = feed.changes.length === 0 ? [] : await applyChanges(api, state, feed.changes, sourceKey);
		// Files a relisted folder brought were reported as they were found.
		api.reportListed(listed.length - api.filesReported);
	} else {
		if (committedState !== null) {
			previous = committedState;
			warnings.push(
				`Google Drive no longer accepts the stored change token of ${sourceKey} (it expires after a long pause); ` +
					'the source was listed in full again: unchanged files come as upserts that Connector Dedup reports Unchanged, files gone since as deletions',
			);
		}
		const root = await rootOf(api, source);
		// Taken before listing, so whatever changes while the listing runs is read next time.
		pageToken = await api.startPageToken(root.driveId);
		state = emptyState(root.id, root.driveId, isRecursive(source));
		listed = await listSubtree(api, state, root.id, sourceKey);
	}

	const owed = new Map<string, ConnectorItem>();
	for (const item of previous?.pending ?? []) owed.set(item.external_id, item);
	for (const item of outgoing(listed, previous, state, filter, sourceKey)) owed.set(item.external_id, item);
	const ordered = [...owed.values()].sort(byPath);
	const emitted = ordered.slice(0, maxItems);
	state.pending = ordered.slice(emitted.length);

	const unchanged = previous !== null && JSON.stringify(state) === JSON.stringify(previous);
	const cursor: DriveCursor = { pageToken, snapshot: unchanged && committed !== null ? committed.snapshot : String(runId) };
	if (!unchanged) writeSnapshot(cache, sourceKey, cursor.snapshot, state, committed?.snapshot ?? null);
	cache.proposeCursor(runId, sourceKey, JSON.stringify(cursor), { listedItems: emitted.length });

	return {
		items: emitted.map((item) => ({ ...item, [RUN_ID_FIELD]: runId })),
		cursorProposed: true,
		hasMore: state.pending.length > 0,
		requests: api.requests,
		fullListing: previous === null || feed === null,
		warnings,
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

/**
 * The items the run owes: listed files that pass the filters, and a deletion for every file the
 * committed state held (and the filters let through) that has left the source or the filters.
 */
function outgoing(
	listed: readonly ConnectorItem[],
	previous: DriveListingState | null,
	state: DriveListingState,
	filter: ItemFilter,
	sourceKey: string,
): ConnectorItem[] {
	const items: ConnectorItem[] = [];
	const memo = new Map<string, string | null>();
	const previouslyIncluded = (id: string): { path: string; deletion: ConnectorItem } | null => {
		const known = previous?.files[id];
		if (previous === null || known === undefined) return null;
		const path = joinPath(folderPath(previous, known.parent, memo) ?? '', known.name);
		if (!filter(path, known.mime)) return null;
		return { path, deletion: deletionOf(id, path, known.name, known.parent, known.mime, sourceKey) };
	};
	const upserted = new Set<string>();
	for (const item of listed) {
		if (filter(item.path, item.mime)) {
			items.push(item);
			upserted.add(item.external_id);
			continue;
		}
		const before = previouslyIncluded(item.external_id);
		if (before !== null) {
			items.push(before.deletion);
			upserted.add(item.external_id);
		}
	}
	for (const id of Object.keys(previous?.files ?? {})) {
		if (id in state.files || upserted.has(id)) continue;
		const before = previouslyIncluded(id);
		if (before !== null) items.push(before.deletion);
	}
	return items;
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
