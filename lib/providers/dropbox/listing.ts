/**
 * Incremental listing of a Dropbox folder: files/list_folder on the first run, then
 * files/list_folder/continue from the committed cursor. Dropbox reports a change as the entry's
 * latest metadata and a removal as a `deleted` entry carrying only a path, so the snapshot keeps
 * the source's paths to map each deletion back to the files it removed.
 */
import { InvalidInputError, NotFoundError } from '../../errors';
import { byPath, type ConnectorItem } from '../../items';
import type { ItemFilter, ListChangesRequest, ListChangesResponse } from '../types';
import { DropboxApiError, type DropboxConnection, type PathRoot } from './api';
import { mimeOf, webUrlOf, type FileMetadata, type FolderMetadata, type ListFolderResult, type Metadata } from './metadata';
import { parentOf, relativeTo, type DropboxFolderRef } from './paths';

/** What a listing covers: a folder (its direct children, or with `recursive` its whole subtree). */
export interface DropboxSource extends DropboxFolderRef {
	recursive: boolean;
}

/** Where the next listing starts: Dropbox's list_folder cursor. */
export interface DropboxCursor {
	cursor: string;
}

/** A file of the source: [path from the source root, MIME type]. */
export type KnownFile = [path: string, mime: string];

/**
 * What a run knows of its source, kept by the engine with the cursor: the root, the folders (so a
 * file's parent id is known) and the files by id (so a `deleted` path maps to the ids it removed).
 * Keys keep their order: stored snapshots are compared as JSON.
 */
export interface DropboxListingState {
	rootId: string;
	/** The root's `path_lower` in its namespace (`''` for the namespace root). */
	rootLower: string;
	namespaceId: string | null;
	recursive: boolean;
	/** Folder path below the root, lower-cased → folder id. */
	folders: Record<string, string>;
	files: Record<string, KnownFile>;
}

export type DropboxListingRequest = ListChangesRequest<DropboxSource, DropboxCursor, DropboxListingState>;
export type DropboxListingResponse = ListChangesResponse<DropboxCursor, DropboxListingState>;

/** Dropbox's largest page; it may send fewer. */
const PAGE_LIMIT = 2000;

/** Stable id of a source: account, namespace, folder as given, and whether subfolders belong to it. */
export function dropboxSourceKey(accountId: string, source: DropboxSource): string {
	if (accountId.trim() === '') {
		throw new InvalidInputError('The Dropbox account id is empty', 'Pass the account_id users/get_current_account returns.');
	}
	const folder = source.sharedLink ?? (source.path.toLowerCase() || '/');
	return `dropbox:${accountId}:${source.namespaceId ?? 'home'}:${folder}${source.recursive ? '' : ':direct'}`;
}

export function parseDropboxCursor(value: unknown): DropboxCursor | null {
	if (typeof value !== 'object' || value === null) return null;
	const { cursor } = value as Record<string, unknown>;
	return typeof cursor === 'string' && cursor !== '' ? { cursor } : null;
}

export function pathRootOf(namespaceId: string | null): PathRoot {
	return namespaceId === null ? null : { namespaceId };
}

/**
 * Files new or changed since `cursor`, and deletions. A move is reported by Dropbox as a `deleted`
 * entry at the old path and the file at the new one: with the same id on both sides it leaves as
 * one upsert carrying the new path (one item per id per run), or as a deletion when it left the
 * source. When Dropbox answers `reset` the folder is listed in full again against the snapshot.
 */
export async function listDropboxChanges(connection: DropboxConnection, request: DropboxListingRequest): Promise<DropboxListingResponse> {
	const { source, sourceKey, cursor, snapshot: previous, signal } = request;
	const pathRoot = pathRootOf(source.namespaceId);
	const requestsBefore = connection.stats.requests;
	const warnings: string[] = [];
	const listed = new Map<string, ConnectorItem>();
	let state: DropboxListingState | null = null;
	let nextCursor: string | null = null;
	let fullListing = false;

	if (cursor !== null && previous !== null) {
		// Each page is applied as it arrives, to a copy of the snapshot's maps made once there is something
		// to apply (their entries are replaced, never edited): no page is held, nor a second listing of the files.
		let changed: DropboxListingState | null = null;
		nextCursor = await continueFrom(connection, cursor.cursor, pathRoot, request, async (entries) => {
			if (entries.length === 0) return;
			changed ??= { ...previous, folders: { ...previous.folders }, files: { ...previous.files } };
			await followMovedRoot(connection, changed, entries, signal);
			applyEntries(changed, entries, sourceKey, listed, request.onListed);
		});
		state = nextCursor === null ? null : (changed ?? previous);
	}
	if (state === null || nextCursor === null) {
		listed.clear();
		if (cursor !== null && previous !== null) {
			warnings.push(
				`Dropbox reset the change cursor of ${sourceKey} (it does so after a long pause or a large change to the folder); ` +
					'the folder was listed in full again: unchanged files come as upserts that Connector Dedup reports Unchanged, files gone since as deletions',
			);
		}
		fullListing = true;
		const root = await resolveRoot(connection, source, signal);
		const fresh: DropboxListingState = { rootId: root.id, rootLower: root.pathLower, namespaceId: source.namespaceId, recursive: source.recursive, folders: {}, files: {} };
		nextCursor = await listFolderPages(connection, 'files/list_folder', {
			path: root.listPath,
			recursive: source.recursive,
			include_deleted: false,
			include_non_downloadable_files: true,
			limit: PAGE_LIMIT,
		}, pathRoot, request, (entries) => applyEntries(fresh, entries, sourceKey, listed, request.onListed));
		state = fresh;
	}

	return {
		...outgoing(listed, previous, state, request.filter, sourceKey),
		nextCursor: { cursor: nextCursor },
		nextSnapshot: state,
		fullListing,
		warnings,
		requests: connection.stats.requests - requestsBefore,
		countedListed: true,
	};
}

/** Every page of a listing from its first call, each handed to `onPage` as it arrives; the cursor after the last. */
async function listFolderPages(
	connection: DropboxConnection,
	route: string,
	arg: unknown,
	pathRoot: PathRoot,
	request: DropboxListingRequest,
	onPage: (entries: readonly Metadata[]) => Promise<void> | void,
): Promise<string> {
	let page = await connection.rpc<ListFolderResult>(route, arg, { pathRoot, signal: request.signal });
	await onPage(page.entries);
	while (page.has_more) {
		page = await connection.rpc<ListFolderResult>('files/list_folder/continue', { cursor: page.cursor }, { pathRoot, signal: request.signal });
		await onPage(page.entries);
	}
	return page.cursor;
}

/** The pages since `cursor`, as listFolderPages; null when Dropbox reset the cursor (the folder is listed in full then). */
async function continueFrom(
	connection: DropboxConnection,
	cursor: string,
	pathRoot: PathRoot,
	request: DropboxListingRequest,
	onPage: (entries: readonly Metadata[]) => Promise<void> | void,
): Promise<string | null> {
	try {
		return await listFolderPages(connection, 'files/list_folder/continue', { cursor }, pathRoot, request, onPage);
	} catch (error) {
		if (error instanceof DropboxApiError && error.is('reset')) return null;
		if (error instanceof DropboxApiError && error.is('path', 'not_found')) throw folderGone(request.source, error);
		throw error;
	}
}

/**
 * The source folder itself was renamed or moved when Dropbox reports entries outside its old
 * path: the cursor follows the folder, so its new path is looked up once. Paths in the state are
 * relative to the root and stay as they are.
 */
async function followMovedRoot(connection: DropboxConnection, state: DropboxListingState, entries: readonly Metadata[], signal: AbortSignal | undefined): Promise<void> {
	const outside = entries.some((entry) => entry['.tag'] !== 'deleted' && entry.path_lower !== undefined && relativeTo(state.rootLower, entry.path_lower) === null);
	if (!outside || !state.rootId.startsWith('id:')) return;
	const root = await connection.rpc<Metadata>('files/get_metadata', { path: state.rootId }, { pathRoot: pathRootOf(state.namespaceId), signal });
	if (root['.tag'] === 'folder' && root.path_lower !== undefined) state.rootLower = root.path_lower;
}

interface ResolvedRoot {
	id: string;
	pathLower: string;
	/** What list_folder is called with: the folder's id when known, so a renamed root keeps working. */
	listPath: string;
}

async function resolveRoot(connection: DropboxConnection, source: DropboxSource, signal: AbortSignal | undefined): Promise<ResolvedRoot> {
	const pathRoot = pathRootOf(source.namespaceId);
	if (source.sharedLink !== undefined) return await sharedLinkRoot(connection, source.sharedLink, signal);
	// Dropbox has no metadata for a namespace's root: its id is the namespace's.
	if (source.path === '') return { id: source.namespaceId === null ? 'root' : `ns:${source.namespaceId}`, pathLower: '', listPath: '' };
	let metadata: Metadata;
	try {
		metadata = await connection.rpc<Metadata>('files/get_metadata', { path: source.path }, { pathRoot, signal });
	} catch (error) {
		if (error instanceof DropboxApiError && error.is('path', 'not_found')) throw folderGone(source, error);
		throw error;
	}
	if (metadata['.tag'] !== 'folder') {
		throw new InvalidInputError(`${source.path} is a Dropbox file, not a folder`, 'Pick the folder it is in, and narrow the listing with Include Types or Exclude Paths.');
	}
	return { id: metadata.id, pathLower: metadata.path_lower ?? '', listPath: metadata.id };
}

async function sharedLinkRoot(connection: DropboxConnection, url: string, signal: AbortSignal | undefined): Promise<ResolvedRoot> {
	let metadata: { '.tag': string; id?: string; path_lower?: string; name?: string };
	try {
		metadata = await connection.rpc('sharing/get_shared_link_metadata', { url }, { signal });
	} catch (error) {
		if (error instanceof DropboxApiError && (error.is('shared_link_not_found') || error.is('shared_link_access_denied'))) {
			throw new NotFoundError(`The Dropbox shared link ${url} was not found or this account may not open it`, 'Check the link; if it asks for a password or is limited to a team, open it with the connected account first.', { cause: error });
		}
		throw error;
	}
	if (metadata['.tag'] !== 'folder') {
		throw new InvalidInputError(`The shared link ${url} is to a file, not a folder`, 'Share the folder the file is in, or list that folder.');
	}
	if (metadata.id === undefined || metadata.path_lower === undefined) {
		throw new InvalidInputError(
			`The folder "${metadata.name ?? url}" of the shared link is not in the connected account's Dropbox`,
			'Open the link in Dropbox and choose "Add to Dropbox" with the connected account, then list it.',
		);
	}
	return { id: metadata.id, pathLower: metadata.path_lower, listPath: metadata.id };
}

function folderGone(source: DropboxSource, cause: unknown): NotFoundError {
	const where = source.namespaceId === null ? '' : ` in namespace ${source.namespaceId}`;
	return new NotFoundError(
		`Dropbox folder ${source.sharedLink ?? (source.path || '/')}${where} was not found or the connected account cannot open it`,
		'Check the folder path or pick it again from the list; a team folder needs the account to be a member of it.',
		{ cause },
	);
}

/**
 * Applies list_folder entries, in Dropbox's order, to the state, and adds the files they carry to
 * `listed`, by id, as items (a later entry for the same id replaces an earlier one).
 */
function applyEntries(
	state: DropboxListingState,
	entries: readonly Metadata[],
	sourceKey: string,
	listed: Map<string, ConnectorItem>,
	onListed: ((items: number) => void) | undefined,
): void {
	const before = listed.size;
	for (const entry of entries) {
		const relative = entry.path_lower === undefined ? null : relativeTo(state.rootLower, entry.path_lower);
		// The root's own entry, or an entry outside it (a listing never sends one; guarded all the same).
		if (relative === null || relative === '') continue;
		if (entry['.tag'] === 'deleted') removeBelow(state, relative);
		else if (entry['.tag'] === 'folder') addFolder(state, relative, entry);
		else {
			const item = fileItem(state, entry, relative, sourceKey);
			state.files[entry.id] = [item.path, item.mime ?? 'application/octet-stream'];
			listed.set(entry.id, item);
		}
	}
	if (listed.size > before) onListed?.(listed.size - before);
}

function addFolder(state: DropboxListingState, relative: string, folder: FolderMetadata): void {
	state.folders[relative] = folder.id;
}

/** A `deleted` path removes what was there: a file, or a folder with everything below it. */
function removeBelow(state: DropboxListingState, relative: string): void {
	for (const folder of Object.keys(state.folders)) {
		if (folder === relative || folder.startsWith(`${relative}/`)) delete state.folders[folder];
	}
	for (const [id, [path]] of Object.entries(state.files)) {
		const lower = path.toLowerCase();
		if (lower === relative || lower.startsWith(`${relative}/`)) delete state.files[id];
	}
}

function fileItem(state: DropboxListingState, file: FileMetadata, relativeLower: string, sourceKey: string): ConnectorItem {
	const display = file.path_display ?? file.path_lower ?? '';
	// path_display has the source root's prefix in whatever case; its length is the lower-cased one's.
	const path = display.length === (file.path_lower ?? '').length ? display.slice(state.rootLower.length) : relativeLower;
	return {
		provider: 'dropbox',
		external_id: file.id,
		source_key: sourceKey,
		name: file.name,
		path,
		parents: [state.folders[parentOf(relativeLower)] ?? state.rootId],
		mime: mimeOf(file),
		size: file.size,
		modified_at: file.server_modified,
		created_at: null,
		version: file.rev,
		hash: file.content_hash ?? null,
		url: state.namespaceId === null ? webUrlOf(display) : null,
		change: 'upsert',
		namespace_id: state.namespaceId,
	};
}

/**
 * What the run owes: listed files still in the source that pass the filters, and a deletion for
 * every file the previous snapshot held (and the filters let through) that left the source or the filters.
 */
function outgoing(
	listed: ReadonlyMap<string, ConnectorItem>,
	previous: DropboxListingState | null,
	state: DropboxListingState,
	filter: ItemFilter,
	sourceKey: string,
): { items: ConnectorItem[]; deletions: ConnectorItem[] } {
	const items: ConnectorItem[] = [];
	const deletions: ConnectorItem[] = [];
	const previouslyIncluded = (id: string): ConnectorItem | null => {
		const known = previous?.files[id];
		if (previous === null || known === undefined || !filter(known[0], known[1])) return null;
		return deletionOf(previous, id, known, sourceKey);
	};
	for (const [id, item] of listed) {
		if (!(id in state.files)) continue;
		if (filter(item.path, item.mime)) {
			items.push(item);
			continue;
		}
		const deletion = previouslyIncluded(id);
		if (deletion !== null) deletions.push(deletion);
	}
	for (const id of Object.keys(previous?.files ?? {})) {
		if (id in state.files) continue;
		const deletion = previouslyIncluded(id);
		if (deletion !== null) deletions.push(deletion);
	}
	return { items: items.sort(byPath), deletions: deletions.sort(byPath) };
}

function deletionOf(state: DropboxListingState, id: string, [path, mime]: KnownFile, sourceKey: string): ConnectorItem {
	return {
		provider: 'dropbox',
		external_id: id,
		source_key: sourceKey,
		name: path.slice(path.lastIndexOf('/') + 1),
		path,
		parents: [state.folders[parentOf(path.toLowerCase())] ?? state.rootId],
		mime,
		size: null,
		modified_at: null,
		created_at: null,
		version: null,
		hash: null,
		url: null,
		change: 'deleted',
		namespace_id: state.namespaceId,
	};
}
