import type { drive_v3 } from '@googleapis/drive';

import { compareText, type ConnectorItem } from '../../../items';
import { FOLDER_MIME, SHORTCUT_MIME } from '../client';
import { itemOf, type DriveListingApi } from './driveApi';
import { folderPath, joinPath, type DriveListingState, type KnownFile } from './state';

interface FoundShortcut {
	shortcut: drive_v3.Schema$File;
	parent: string;
	path: string;
}

/**
 * Lists a folder of the source breadth-first (its direct children only when the source is not
 * recursive), recording folders and files in the state, and returns an upsert per file.
 *
 * Shortcuts are resolved after the walk, so a target that is also in the source directly is
 * listed once, there. A shortcut to a folder (recursive sources only) brings that folder in at the
 * shortcut's place, walked like any other once the direct walk is done; a folder already in the
 * source (an ancestor included) is never entered twice, so shortcut cycles cannot loop. Two
 * shortcuts to one file cost one `files.get`.
 */
export async function listSubtree(
	api: DriveListingApi,
	state: DriveListingState,
	folderId: string,
	sourceKey: string,
): Promise<ConnectorItem[]> {
	const items: ConnectorItem[] = [];
	const fileShortcuts: FoundShortcut[] = [];
	const visited = new Set([folderId]);
	let queue = [folderId];
	while (queue.length > 0) {
		const folderShortcuts: FoundShortcut[] = [];
		await walk(api, state, queue, visited, sourceKey, { items, fileShortcuts, folderShortcuts });
		queue = [];
		folderShortcuts.sort(byShortcutPath);
		for (const { shortcut, parent } of folderShortcuts) {
			const target = await placeFolderShortcut(api, state, shortcut, parent);
			if (target !== null && !visited.has(target)) {
				visited.add(target);
				queue.push(target);
			}
		}
	}
	fileShortcuts.sort(byShortcutPath);
	const memo = new Map<string, string | null>();
	for (const { shortcut, parent } of fileShortcuts) {
		const item = await resolveShortcut(api, state, shortcut, parent, sourceKey, memo);
		if (item !== null) items.push(item);
	}
	return items;
}

/** A child of a walked folder, as far as the walk keeps it: Drive's file object is dropped once read, but a shortcut's. */
type WalkedChild =
	| { kind: 'folder'; id: string; name: string }
	| { kind: 'file'; id: string; known: KnownFile; item: ConnectorItem }
	| { kind: 'fileShortcut' | 'folderShortcut'; found: FoundShortcut };

async function walk(
	api: DriveListingApi,
	state: DriveListingState,
	queue: string[],
	visited: Set<string>,
	sourceKey: string,
	found: { items: ConnectorItem[]; fileShortcuts: FoundShortcut[]; folderShortcuts: FoundShortcut[] },
): Promise<void> {
	const memo = new Map<string, string | null>();
	// Level by level: each level's folders are asked for at once, then handled in queue order, as a one-by-one walk would.
	while (queue.length > 0) {
		const level = queue.splice(0, queue.length).filter((parent) => folderPath(state, parent, memo) !== null);
		const childOf = (child: drive_v3.Schema$File, parent: string): WalkedChild | null => {
			const id = child.id;
			if (!id || child.trashed) return null;
			const name = child.name ?? '';
			if (child.mimeType === FOLDER_MIME) return state.recursive ? { kind: 'folder', id, name } : null;
			const path = joinPath(folderPath(state, parent, memo) as string, name);
			if (child.mimeType === SHORTCUT_MIME) {
				if (child.shortcutDetails?.targetMimeType !== FOLDER_MIME) return { kind: 'fileShortcut', found: { shortcut: child, parent, path } };
				return state.recursive ? { kind: 'folderShortcut', found: { shortcut: child, parent, path } } : null;
			}
			return { kind: 'file', id, known: { name, parent, mime: child.mimeType ?? null }, item: itemOf(child, path, sourceKey, parent) };
		};
		const childrenByFolder = await api.childrenOf(level, state.driveId, childOf);
		for (const parent of level) {
			const children = childrenByFolder.get(parent) ?? [];
			// Handled, the folder's children are let go: the next folder's are all that is held besides.
			childrenByFolder.delete(parent);
			let files = 0;
			for (const child of children) {
				if (child.kind === 'folder') {
					if (visited.has(child.id)) continue;
					visited.add(child.id);
					state.folders[child.id] = [child.name, parent];
					queue.push(child.id);
				} else if (child.kind === 'file') {
					state.files[child.id] = child.known;
					found.items.push(child.item);
					files++;
				} else if (child.kind === 'fileShortcut') found.fileShortcuts.push(child.found);
				else found.folderShortcuts.push(child.found);
			}
			api.reportListed(files);
		}
	}
}

/**
 * Places a shortcut's target folder in the source at the shortcut's folder, under the target's
 * own name, and returns its id; null when the target is already in the source (directly, through
 * another shortcut, or as the root or an ancestor), gone, trashed, not a folder, or in another
 * drive than the source (whose change feed would not report its changes).
 */
export async function placeFolderShortcut(
	api: DriveListingApi,
	state: DriveListingState,
	shortcut: drive_v3.Schema$File,
	parent: string,
): Promise<string | null> {
	const shortcutId = shortcut.id;
	const targetId = shortcut.shortcutDetails?.targetId;
	if (!shortcutId || !targetId || targetId === state.rootId) return null;
	const placed = state.folders[targetId];
	if (placed !== undefined && placed[2] !== shortcutId) return null;
	if (folderPath(state, parent) === null) return null;
	const target = await api.file(targetId);
	if (
		target === null ||
		target.trashed ||
		target.mimeType !== FOLDER_MIME ||
		(target.driveId ?? null) !== state.driveId
	) {
		if (placed !== undefined) delete state.folders[targetId];
		delete state.shortcuts[shortcutId];
		return null;
	}
	state.folders[targetId] = [target.name ?? '', parent, shortcutId];
	state.shortcuts[shortcutId] = targetId;
	return targetId;
}

/**
 * Brings a shortcut's target into the source at the shortcut's folder, unless the target is
 * already there (directly or through another shortcut), is a folder (see placeFolderShortcut) or is gone.
 */
export async function resolveShortcut(
	api: DriveListingApi,
	state: DriveListingState,
	shortcut: drive_v3.Schema$File,
	parent: string,
	sourceKey: string,
	memo = new Map<string, string | null>(),
): Promise<ConnectorItem | null> {
	const shortcutId = shortcut.id;
	const targetId = shortcut.shortcutDetails?.targetId;
	if (!shortcutId || !targetId || shortcut.shortcutDetails?.targetMimeType === FOLDER_MIME) return null;
	const known = state.files[targetId];
	if (known !== undefined && known.via !== shortcutId) return null;
	const base = folderPath(state, parent, memo);
	if (base === null) return null;
	const target = await api.file(targetId);
	if (target === null || target.trashed || target.mimeType === FOLDER_MIME || target.mimeType === SHORTCUT_MIME) {
		if (known !== undefined) delete state.files[targetId];
		delete state.shortcuts[shortcutId];
		return null;
	}
	const name = target.name ?? '';
	state.files[targetId] = { name, parent, mime: target.mimeType ?? null, via: shortcutId };
	state.shortcuts[shortcutId] = targetId;
	api.reportListed(1);
	return itemOf(target, joinPath(base, name), sourceKey, parent);
}

function byShortcutPath(left: FoundShortcut, right: FoundShortcut): number {
	return compareText(left.path, right.path);
}
