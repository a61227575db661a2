import type { drive_v3 } from '@googleapis/drive';

import { compareText, type ConnectorItem } from '../../../items';
import { FOLDER_MIME, SHORTCUT_MIME } from '../client';
import { itemOf, type DriveListingApi } from './driveApi';
import { folderPath, joinPath, type DriveListingState } from './state';
import { listSubtree, placeFolderShortcut, resolveShortcut } from './subtree';

/**
 * Applies a change feed to the listing state (mutating `state`, a copy of the committed one) and
 * returns an upsert per file that is new, changed, moved or renamed in the source. Files that
 * left the source are the ones in the committed state and no longer in `state`.
 *
 * Folders first: the feed holds each item once, in its latest state, so updating every changed
 * folder before placing any file gives each file its final path whatever the feed's order.
 */
export async function applyChanges(
	api: DriveListingApi,
	state: DriveListingState,
	changes: readonly drive_v3.Schema$Change[],
	sourceKey: string,
): Promise<ConnectorItem[]> {
	const before = structuredClone(state.folders);
	const upserts = new Map<string, ConnectorItem>();
	const fileChanges: drive_v3.Schema$Change[] = [];
	const folderShortcutChanges: drive_v3.Schema$Change[] = [];
	for (const change of changes) {
		const id = change.fileId;
		if (!id || (change.changeType !== undefined && change.changeType !== null && change.changeType !== 'file')) continue;
		const gone = change.removed === true || !change.file || change.file.trashed === true;
		if (isFolderShortcutChange(state, change)) {
			if (state.recursive) folderShortcutChanges.push(change);
			continue;
		}
		const isFolder = change.file?.mimeType === FOLDER_MIME || (!change.file && id in state.folders);
		if (!isFolder) {
			fileChanges.push(change);
			continue;
		}
		if (!state.recursive || id === state.rootId) continue;
		const known = state.folders[id];
		const parent = change.file?.parents?.[0] ?? '';
		if (gone) delete state.folders[id];
		else if (known?.[2] !== undefined && parent !== state.rootId && !(parent in state.folders)) {
			// In the source through its shortcut: where the folder itself lives does not matter, its name does.
			state.folders[id] = [change.file?.name ?? '', known[1], known[2]];
		} else state.folders[id] = [change.file?.name ?? '', parent];
	}
	if (state.recursive) await applyFolderShortcutChanges(api, state, folderShortcutChanges);

	if (state.recursive) {
		const memo = new Map<string, string | null>();
		for (const id of Object.keys(state.folders)) {
			if (folderPath(state, id, memo) === null) delete state.folders[id];
		}
		// A folder new to the source, renamed or moved: everything under it has a new path.
		const previous = { ...state, folders: before };
		const previousMemo = new Map<string, string | null>();
		const moved = (id: string): boolean =>
			id !== state.rootId && folderPath(previous, id, previousMemo) !== folderPath(state, id, memo);
		const relist = Object.keys(state.folders)
			.filter((id) => moved(id) && !moved(state.folders[id][1]))
			.sort((left, right) => compareText(folderPath(state, left, memo) ?? '', folderPath(state, right, memo) ?? ''));
		dropUnplaced(state);
		for (const folderId of relist) {
			for (const item of await listSubtree(api, state, folderId, sourceKey)) upserts.set(item.external_id, item);
		}
	}

	const memo = new Map<string, string | null>();
	for (const change of fileChanges) {
		const id = change.fileId as string;
		const file = change.file;
		const shortcutTarget = state.shortcuts[id];
		if (shortcutTarget !== undefined) {
			// The shortcut moved, went or now points elsewhere: it is placed afresh below if it still belongs.
			delete state.shortcuts[id];
			if (state.files[shortcutTarget]?.via === id) delete state.files[shortcutTarget];
			upserts.delete(shortcutTarget);
		}
		if (change.removed === true || !file || file.trashed === true) {
			delete state.files[id];
			upserts.delete(id);
			continue;
		}
		const parent = file.parents?.[0];
		const placed = parent !== undefined && (parent === state.rootId || (state.recursive && parent in state.folders));
		if (file.mimeType === SHORTCUT_MIME) {
			if (!placed) continue;
			const item = await resolveShortcut(api, state, file, parent, sourceKey, memo);
			if (item !== null) upserts.set(item.external_id, item);
			continue;
		}
		const known = state.files[id];
		if (placed) {
			state.files[id] = { name: file.name ?? '', parent, mime: file.mimeType ?? null };
			upserts.set(id, itemOf(file, joinPath(folderPath(state, parent, memo) ?? '', file.name ?? ''), sourceKey, parent));
		} else if (known?.via !== undefined && state.shortcuts[known.via] === id) {
			// Changed where it lives, outside the source; still in the source through its shortcut.
			const moved = { ...known, name: file.name ?? known.name, mime: file.mimeType ?? known.mime };
			state.files[id] = moved;
			const path = joinPath(folderPath(state, moved.parent, memo) ?? '', moved.name);
			upserts.set(id, itemOf(file, path, sourceKey, moved.parent));
		} else {
			delete state.files[id];
			upserts.delete(id);
		}
	}
	return [...upserts.values()];
}

/**
 * Which changes of the feed can touch the source, decided as each page arrives so that a feed of
 * the whole account is not held for a folder of it: changes to what the state knows, to what sits
 * in one of its folders, and later changes of an id already kept (the feed's last word wins). A
 * folder that moves in from outside is walked, which finds what changed below it.
 */
export function relevantTo(state: DriveListingState): (change: drive_v3.Schema$Change) => boolean {
	const kept = new Set<string>();
	const inSource = (parent: string | undefined) => parent !== undefined && (parent === state.rootId || (state.recursive && parent in state.folders));
	return (change) => {
		const id = change.fileId;
		if (!id || (change.changeType !== undefined && change.changeType !== null && change.changeType !== 'file')) return false;
		const relevant = kept.has(id) || id in state.files || id in state.shortcuts || id in state.folders || inSource(change.file?.parents?.[0] ?? undefined);
		if (relevant) kept.add(id);
		return relevant;
	};
}

/** Forgets files whose folder is no longer in the source (moved out, trashed, deleted), and shortcuts that lead nowhere now. */
function dropUnplaced(state: DriveListingState): void {
	for (const [id, known] of Object.entries(state.files)) {
		if (known.parent === state.rootId || known.parent in state.folders) continue;
		delete state.files[id];
		if (known.via !== undefined) delete state.shortcuts[known.via];
	}
	for (const [shortcutId, targetId] of Object.entries(state.shortcuts)) {
		if (state.files[targetId]?.via !== shortcutId && state.folders[targetId]?.[2] !== shortcutId) delete state.shortcuts[shortcutId];
	}
}

/** A change to a shortcut that points at a folder, or the removal of one that brought a folder in. */
function isFolderShortcutChange(state: DriveListingState, change: drive_v3.Schema$Change): boolean {
	const file = change.file;
	if (file) return file.mimeType === SHORTCUT_MIME && file.shortcutDetails?.targetMimeType === FOLDER_MIME;
	const target = state.shortcuts[change.fileId ?? ''];
	return target !== undefined && state.folders[target]?.[2] === change.fileId;
}

/**
 * Takes out the folders of shortcuts that moved, went or were trashed, and places the targets of
 * shortcuts now in the source (one `files.get` each). A shortcut that stayed where it was keeps its
 * folder without a request. Repeated while placements land, so a shortcut inside a folder that
 * another changed shortcut just brought in is placed too; the relisting that follows walks them.
 */
async function applyFolderShortcutChanges(
	api: DriveListingApi,
	state: DriveListingState,
	changes: readonly drive_v3.Schema$Change[],
): Promise<void> {
	let pending: drive_v3.Schema$Change[] = [];
	for (const change of changes) {
		const id = change.fileId as string;
		const file = change.file;
		const gone = change.removed === true || !file || file.trashed === true;
		const target = state.shortcuts[id];
		const entry = target === undefined ? undefined : state.folders[target];
		const parent = file?.parents?.[0];
		if (!gone && entry?.[2] === id && entry[1] === parent) continue;
		if (entry?.[2] === id) delete state.folders[target as string];
		delete state.shortcuts[id];
		if (!gone) pending.push(change);
	}
	for (let placed = true; placed && pending.length > 0; ) {
		placed = false;
		const waiting: drive_v3.Schema$Change[] = [];
		for (const change of pending) {
			const file = change.file as drive_v3.Schema$File;
			const parent = file.parents?.[0];
			if (parent === undefined || folderPath(state, parent) === null) waiting.push(change);
			else if ((await placeFolderShortcut(api, state, file, parent)) !== null) placed = true;
		}
		pending = waiting;
	}
}
