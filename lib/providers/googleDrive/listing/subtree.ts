import type { drive_v3 } from '@googleapis/drive';

import type { ConnectorItem } from '../../../items';
import { FOLDER_MIME, SHORTCUT_MIME } from '../client';
import { itemOf, type DriveListingApi } from './driveApi';
import { folderPath, joinPath, type DriveListingState } from './state';

/**
 * Lists a folder of the source breadth-first (its direct children only when the source is not
 * recursive), recording folders and files in the state, and returns an upsert per file.
 * Shortcuts are resolved after the walk, so a target that is also in the source directly is
 * listed once, there; two shortcuts to one target cost one `files.get`.
 */
export async function listSubtree(
	api: DriveListingApi,
	state: DriveListingState,
	folderId: string,
	sourceKey: string,
): Promise<ConnectorItem[]> {
	const memo = new Map<string, string | null>();
	const items: ConnectorItem[] = [];
	const shortcuts: Array<{ shortcut: drive_v3.Schema$File; parent: string; path: string }> = [];
	const visited = new Set([folderId]);
	const queue = [folderId];
	while (queue.length > 0) {
		const parent = queue.shift() as string;
		const base = folderPath(state, parent, memo);
		if (base === null) continue;
		for (const child of await api.children(parent, state.driveId)) {
			const id = child.id;
			if (!id || child.trashed) continue;
			const name = child.name ?? '';
			if (child.mimeType === FOLDER_MIME) {
				if (!state.recursive || visited.has(id)) continue;
				visited.add(id);
				state.folders[id] = [name, parent];
				queue.push(id);
			} else if (child.mimeType === SHORTCUT_MIME) {
				shortcuts.push({ shortcut: child, parent, path: joinPath(base, name) });
			} else {
				state.files[id] = { name, parent, mime: child.mimeType ?? null };
				items.push(itemOf(child, joinPath(base, name), sourceKey, parent));
			}
		}
	}
	shortcuts.sort((left, right) => compareText(left.path, right.path));
	for (const { shortcut, parent } of shortcuts) {
		const item = await resolveShortcut(api, state, shortcut, parent, sourceKey, memo);
		if (item !== null) items.push(item);
	}
	return items;
}

/**
 * Brings a shortcut's target into the source at the shortcut's folder, unless the target is
 * already there (directly or through another shortcut), is a folder (not followed) or is gone.
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
	return itemOf(target, joinPath(base, name), sourceKey, parent);
}

export function compareText(left: string, right: string): number {
	return left < right ? -1 : left > right ? 1 : 0;
}
