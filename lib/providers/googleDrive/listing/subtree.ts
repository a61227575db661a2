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
	/** When set, the upserts are handed here a page at a time as they are found, and none are returned. */
	onItems?: (items: ConnectorItem[]) => Promise<void>,
	/** When set, the walk's file entries are handed here with their page and left out of `state.files`. */
	onEntries?: (field: string, entries: Record<string, KnownFile>) => Promise<void>,
): Promise<ConnectorItem[]> {
	const found = new FoundFiles(api, state, onItems, onEntries);
	const fileShortcuts: FoundShortcut[] = [];
	const visited = new Set([folderId]);
	let queue = [folderId];
	while (queue.length > 0) {
		const folderShortcuts: FoundShortcut[] = [];
		await walk(api, state, queue, visited, sourceKey, { files: found, fileShortcuts, folderShortcuts });
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
		// A target listed directly is there already, as `state.files` would tell if it held it.
		if (found.handedOn(shortcut.shortcutDetails?.targetId)) continue;
		const item = await resolveShortcut(api, state, shortcut, parent, sourceKey, memo);
		if (item !== null) found.items.push(item);
	}
	await found.flush(0);
	return found.items;
}

/**
 * The upserts a walk found: returned at the end, or handed on a page at a time; likewise their
 * entries, kept in the state or handed on, and then only their ids are kept (a shortcut to one is
 * not listed twice).
 */
class FoundFiles {
	items: ConnectorItem[] = [];
	/** Files found since the last report. */
	private unreported = 0;
	private entries: Record<string, KnownFile> = {};
	private unhandedEntries = 0;
	private readonly handedOnIds = new Set<string>();

	constructor(
		private readonly api: DriveListingApi,
		private readonly state: DriveListingState,
		private readonly onItems?: (items: ConnectorItem[]) => Promise<void>,
		private readonly onEntries?: (field: string, entries: Record<string, KnownFile>) => Promise<void>,
	) {}

	take(id: string, known: KnownFile, item: ConnectorItem): void {
		if (this.onEntries === undefined) this.state.files[id] = known;
		else {
			this.entries[id] = known;
			this.unhandedEntries++;
			this.handedOnIds.add(id);
		}
		this.items.push(item);
		this.unreported++;
	}

	handedOn(id: string | null | undefined): boolean {
		return id !== null && id !== undefined && this.handedOnIds.has(id);
	}

	/** After a page: its files reported as listed, and handed on when they are. */
	async flush(files = this.unreported): Promise<void> {
		this.api.reportListed(files);
		this.unreported = 0;
		if (this.onEntries !== undefined && this.unhandedEntries > 0) {
			const entries = this.entries;
			this.entries = {};
			this.unhandedEntries = 0;
			await this.onEntries('files', entries);
		}
		if (this.onItems === undefined || this.items.length === 0) return;
		const items = this.items;
		this.items = [];
		await this.onItems(items);
	}
}

/** A folder or shortcut among a walked folder's children, handled in queue order once its level is listed. */
type WalkedChild = { kind: 'folder'; id: string; name: string } | { kind: 'fileShortcut' | 'folderShortcut'; found: FoundShortcut };

async function walk(
	api: DriveListingApi,
	state: DriveListingState,
	queue: string[],
	visited: Set<string>,
	sourceKey: string,
	found: { files: FoundFiles; fileShortcuts: FoundShortcut[]; folderShortcuts: FoundShortcut[] },
): Promise<void> {
	const memo = new Map<string, string | null>();
	// Level by level: each level's folders are asked for at once. Files are taken as their page
	// arrives; folders and shortcuts are handled in queue order, as a one-by-one walk would.
	while (queue.length > 0) {
		const level = queue.splice(0, queue.length).filter((parent) => folderPath(state, parent, memo) !== null);
		const position = new Map(level.map((parent, index) => [parent, index]));
		// A file in two folders of the level (Drive's legacy multiple parents) is the later folder's in queue order.
		const takenFrom = new Map<string, number>();
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
			if ((child.parents?.length ?? 0) > 1) {
				const at = position.get(parent) ?? 0;
				if ((takenFrom.get(id) ?? -1) > at) return null;
				takenFrom.set(id, at);
			}
			found.files.take(id, { name, parent, mime: child.mimeType ?? null }, itemOf(child, path, sourceKey, parent));
			return null;
		};
		const childrenByFolder = await api.childrenOf(level, state.driveId, childOf, async () => await found.files.flush());
		for (const parent of level) {
			for (const child of childrenByFolder.get(parent) ?? []) {
				if (child.kind === 'folder') {
					if (visited.has(child.id)) continue;
					visited.add(child.id);
					state.folders[child.id] = [child.name, parent];
					queue.push(child.id);
				} else if (child.kind === 'fileShortcut') found.fileShortcuts.push(child.found);
				else found.folderShortcuts.push(child.found);
			}
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
