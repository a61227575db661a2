/** A file known to be in the source: enough to place it and to report its deletion. */
export interface KnownFile {
	name: string;
	parent: string;
	mime: string | null;
}

/** A folder below the source root: its name and the folder it sits in. */
export type FolderEntry = [name: string, parent: string];

/**
 * What a run knows of its source, kept by the engine as the snapshot beside the cursor: the folder
 * tree (so a delta item maps to a path without a request) and the files in it (so a deletion,
 * which Graph reports with little more than an id, can be named). Keys keep their order: stored
 * snapshots are compared as JSON.
 */
export interface OneDriveListingState {
	/** The drive the source is in (its real id, never `me`): its delta feed is followed. */
	driveId: string;
	/** The source's root folder as Graph names it in `parentReference.id`. */
	rootId: string;
	recursive: boolean;
	folders: Record<string, FolderEntry>;
	files: Record<string, KnownFile>;
}

export function emptyState(driveId: string, rootId: string, recursive: boolean): OneDriveListingState {
	return { driveId, rootId, recursive, folders: {}, files: {} };
}

const MAX_DEPTH = 500;

/** Path of a folder from the source root (`''` for the root), or null when it is not in the source. */
export function folderPath(state: OneDriveListingState, folderId: string, memo = new Map<string, string | null>()): string | null {
	const chain: string[] = [];
	let current = folderId;
	let path: string | null;
	for (;;) {
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
		// Unknown, or a parent chain that loops (Graph never has one; a corrupt snapshot might).
		if (entry === undefined || chain.length > MAX_DEPTH || chain.includes(current)) {
			path = null;
			break;
		}
		chain.push(current);
		current = entry[1];
	}
	for (let index = chain.length - 1; index >= 0; index--) {
		path = path === null ? null : joinPath(path, state.folders[chain[index]][0]);
		memo.set(chain[index], path);
	}
	return path;
}

export function joinPath(parentPath: string, name: string): string {
	return `${parentPath}/${name}`;
}

/**
 * Where the next listing starts: the drive's `@odata.deltaLink`, or null when Graph offers the
 * account no change feed of the drive (a folder shared from someone else's OneDrive): every run
 * then walks the source and compares it with the snapshot.
 */
export interface OneDriveCursor {
	deltaLink: string | null;
}

export function parseOneDriveCursor(value: unknown): OneDriveCursor | null {
	if (typeof value !== 'object' || value === null) return null;
	const { deltaLink } = value as Record<string, unknown>;
	if (deltaLink === null) return { deltaLink };
	return typeof deltaLink === 'string' && /^https?:\/\//.test(deltaLink) ? { deltaLink } : null;
}
