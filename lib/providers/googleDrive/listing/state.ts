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
 * What a run knows about its source after listing, kept by the engine as the snapshot that goes
 * with the cursor: the folder tree (so a change maps to a path without a request) and the files in
 * it (so a removal, which carries only an id, can be reported). Its keys keep their order: stored
 * snapshots are compared as JSON to tell an unchanged source.
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
}

export function emptyState(rootId: string, driveId: string | null, recursive: boolean): DriveListingState {
	return { rootId, driveId, recursive, folders: {}, files: {}, shortcuts: {} };
}

/** A copy to apply changes to: its maps are new, their entries shared (the listing replaces an entry, never edits one). */
export function withCopiedMaps(state: DriveListingState): DriveListingState {
	return { ...state, folders: { ...state.folders }, files: { ...state.files }, shortcuts: { ...state.shortcuts } };
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
		path = path === null ? null : joinPath(path, names[index]);
		memo.set(chain[index], path);
	}
	return path;
}

/** A "/" inside a Drive name, a file's or a folder's, would read as a folder boundary: it becomes "∕" (U+2215). */
export function joinPath(parentPath: string, name: string): string {
	return `${parentPath}/${name.replace(/\//g, '∕')}`;
}

/** Where the next listing starts: the Changes API page token to read from. */
export interface DriveCursor {
	pageToken: string;
}

/** A stored cursor as the listing wrote it; other keys (the engine's) are left out. */
export function parseDriveCursor(value: unknown): DriveCursor | null {
	if (typeof value !== 'object' || value === null) return null;
	const { pageToken } = value as Record<string, unknown>;
	return typeof pageToken === 'string' ? { pageToken } : null;
}
