import type { ConnectorItem } from '../../../items';
import { readSnapshot as readSnapshotOf, writeSnapshot as writeSnapshotOf } from '../../snapshots';
import type { SyncStateStore } from '../../types';

/** A file known to be in the source, enough to place it and to report its deletion. */
export interface KnownFile {
	name: string;
	/** The folder it sits in (for a shortcut's target: the shortcut's folder). */
	parent: string;
	mime: string | null;
	/** Set when the file is in the source through this shortcut. */
	via?: string;
}

/**
 * A folder of the source: its name, the folder it sits in and, for a folder reached through a
 * shortcut, that shortcut's id (the parent is then the shortcut's folder, not the folder's own).
 */
export type FolderEntry = [name: string, parent: string, via?: string];

/**
 * What a run knows about its source after listing: the folder tree (so a change maps to a path
 * without a request), the files in it (so a removal, which carries only an id, can be reported)
 * and the items still owed because a run hit `maxItems`.
 */
export interface DriveListingState {
	/** The source's root folder id as Drive reports it in `parents` (never the alias `root`). */
	rootId: string;
	/** The shared drive whose change feed the source follows, or null for the user's feed. */
	driveId: string | null;
	recursive: boolean;
	/** Folders below the root: id → [name, parent id, and the shortcut it is reached through, if any]. */
	folders: Record<string, FolderEntry>;
	/** Files in the source by external id (a shortcut's target id). */
	files: Record<string, KnownFile>;
	/** Shortcut id → the target id (file or folder) it brought into the source. */
	shortcuts: Record<string, string>;
	/** Items listed but not yet emitted (the `maxItems` remainder), emitted first next run. */
	pending: ConnectorItem[];
}

export function emptyState(rootId: string, driveId: string | null, recursive: boolean): DriveListingState {
	return { rootId, driveId, recursive, folders: {}, files: {}, shortcuts: {}, pending: [] };
}

const MAX_DEPTH = 200;

/** Path of a folder from the source root (`''` for the root), or null when it is not in the source. */
export function folderPath(state: DriveListingState, folderId: string, memo = new Map<string, string | null>()): string | null {
	const names: string[] = [];
	const chain: string[] = [];
	let current = folderId;
	let path: string | null | undefined;
	for (let depth = 0; ; depth++) {
		if (current === state.rootId) {
			path = '';
			break;
		}
		const known = memo.get(current);
		if (known !== undefined) {
			path = known;
			break;
		}
		const entry = state.folders[current];
		// Unknown folder, or a parent chain that loops (impossible in Drive, guarded all the same).
		if (entry === undefined || depth > MAX_DEPTH || chain.includes(current)) {
			path = null;
			break;
		}
		chain.push(current);
		names.push(entry[0]);
		current = entry[1];
	}
	for (let index = chain.length - 1; index >= 0; index--) {
		path = path === null ? null : `${path}/${names[index]}`;
		memo.set(chain[index], path);
	}
	return path;
}

export function joinPath(parentPath: string, name: string): string {
	// A "/" inside a Drive name would read as a folder boundary in globs.
	return `${parentPath}/${name.replace(/\//g, '∕')}`;
}

// --- cursor and snapshots -------------------------------------------------------------------

/**
 * The committed cursor names the Changes API page token and the snapshot of the listing state
 * that goes with it. Snapshots live in provider state keyed by the run that proposed them, so a
 * run that never commits leaves the committed snapshot untouched and the next run starts from
 * the committed token with the tree that matches it.
 */
export interface DriveCursor {
	pageToken: string;
	snapshot: string;
}

export function parseCursor(value: string | null): DriveCursor | null {
	if (value === null) return null;
	try {
		const parsed = JSON.parse(value) as unknown;
		if (typeof parsed !== 'object' || parsed === null) return null;
		const { pageToken, snapshot } = parsed as Record<string, unknown>;
		return typeof pageToken === 'string' && typeof snapshot === 'string' ? { pageToken, snapshot } : null;
	} catch {
		return null;
	}
}

export async function readSnapshot(cache: SyncStateStore, sourceKey: string, snapshot: string): Promise<DriveListingState | null> {
	return await readSnapshotOf<DriveListingState>(cache, sourceKey, snapshot);
}

/** Stores a proposed snapshot; drops those older than the committed one, which can never commit now. */
export async function writeSnapshot(
	cache: SyncStateStore,
	sourceKey: string,
	snapshot: string,
	state: DriveListingState,
	committed: string | null,
): Promise<void> {
	await writeSnapshotOf(cache, 'google_drive', sourceKey, snapshot, state, committed);
}
