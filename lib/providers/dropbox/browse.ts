/** What a person picks a Dropbox source from: the home folder, the team space, a folder's children, with paths. */
import { InvalidInputError } from '../../errors';
import { DropboxApiError, type DropboxConnection } from './api';
import { currentAccount, hasTeamSpace } from './account';
import { pathRootOf } from './listing';
import { mimeOf, webUrlOf, type ListFolderResult, type Metadata } from './metadata';
import { folderValue, parseDropboxFolder } from './paths';

export type DropboxBrowseQuery =
	| { kind: 'home'; cursor?: string }
	| { kind: 'teamSpace'; cursor?: string }
	/** `folder` as a picker or parameter holds it: a path, `id:…`, `ns:…/path`, a dropbox.com URL or a shared link. */
	| { kind: 'folder'; folder: string; cursor?: string }
	/** The folder picker: folders of the home root and of the team space whose name contains `text`. */
	| { kind: 'searchFolders'; text?: string; cursor?: string };

export interface DropboxEntry {
	id: string;
	name: string;
	type: 'folder' | 'file' | 'paper';
	/** Path in its namespace, e.g. `/Handbook/Policies`. */
	path: string;
	/** What a folder parameter takes to name it: `/Handbook`, or `ns:<team space>/Handbook` in a team space. */
	value: string;
	/** The namespace the path is relative to; null for the home folder. */
	namespace_id: string | null;
	/** A team or shared folder's own namespace. */
	shared_folder_id: string | null;
	mime: string | null;
	size: number | null;
	modified_at: string | null;
	url: string | null;
}

export interface DropboxBrowsePage {
	entries: DropboxEntry[];
	/** Pass back as `cursor` for the next page. */
	nextCursor?: string;
}

export async function browseDropbox(connection: DropboxConnection, query: DropboxBrowseQuery): Promise<DropboxBrowsePage> {
	switch (query.kind) {
		case 'home':
			return await listPage(connection, '', null, query.cursor);
		case 'teamSpace':
			return await listPage(connection, '', await teamSpaceOf(connection), query.cursor);
		case 'folder': {
			const ref = parseDropboxFolder(query.folder);
			if (ref.sharedLink !== undefined) {
				const linked = await connection.rpc<{ path_lower?: string }>('sharing/get_shared_link_metadata', { url: ref.sharedLink });
				if (linked.path_lower === undefined) {
					throw new InvalidInputError('The shared folder is not in the connected account\'s Dropbox', 'Open the link in Dropbox and choose "Add to Dropbox", then browse it.');
				}
				return await listPage(connection, linked.path_lower, null, query.cursor);
			}
			return await listPage(connection, ref.path, ref.namespaceId, query.cursor);
		}
		case 'searchFolders':
			return await searchFolders(connection, query.text ?? '', query.cursor);
	}
}

async function teamSpaceOf(connection: DropboxConnection): Promise<string> {
	const account = await currentAccount(connection);
	if (!hasTeamSpace(account)) {
		throw new InvalidInputError(`The Dropbox account ${account.email} has no team space`, 'Browse the home folder instead; team spaces come with Dropbox team plans.');
	}
	return account.root_info.root_namespace_id;
}

/** Cursors name the namespace they were read in: the next page must be asked for with the same path root. */
function pageCursor(namespaceId: string | null, cursor: string): string {
	return `${namespaceId ?? ''}|${cursor}`;
}

async function listPage(connection: DropboxConnection, path: string, namespaceId: string | null, cursor: string | undefined): Promise<DropboxBrowsePage> {
	let page: ListFolderResult;
	try {
		if (cursor !== undefined) {
			const bar = cursor.indexOf('|');
			const namespace = cursor.slice(0, bar);
			page = await connection.rpc<ListFolderResult>('files/list_folder/continue', { cursor: cursor.slice(bar + 1) }, { pathRoot: pathRootOf(namespace || null) });
			namespaceId = namespace || null;
		} else {
			page = await connection.rpc<ListFolderResult>('files/list_folder', { path, limit: 200 }, { pathRoot: pathRootOf(namespaceId) });
		}
	} catch (error) {
		if (error instanceof DropboxApiError && error.is('path', 'not_found')) {
			throw new InvalidInputError(`Dropbox folder ${path || '/'} was not found or the connected account cannot open it`, 'Check the path, or pick the folder from the list.');
		}
		if (error instanceof DropboxApiError && error.is('path', 'not_folder')) {
			throw new InvalidInputError(`${path} is a Dropbox file, not a folder`, 'Browse the folder it is in.');
		}
		throw error;
	}
	return {
		entries: page.entries.flatMap((entry) => entryOf(entry, namespaceId)).sort((a, b) => Number(b.type === 'folder') - Number(a.type === 'folder') || a.name.localeCompare(b.name)),
		nextCursor: page.has_more ? pageCursor(namespaceId, page.cursor) : undefined,
	};
}

function entryOf(entry: Metadata, namespaceId: string | null): DropboxEntry[] {
	if (entry['.tag'] === 'deleted') return [];
	const path = entry.path_display ?? entry.path_lower ?? '';
	const common = { id: entry.id, name: entry.name, path, value: folderValue(path, namespaceId), namespace_id: namespaceId };
	if (entry['.tag'] === 'folder') {
		return [{ ...common, type: 'folder', shared_folder_id: entry.sharing_info?.shared_folder_id ?? null, mime: null, size: null, modified_at: null, url: namespaceId === null ? `https://www.dropbox.com/home${path.split('/').map(encodeURIComponent).join('/')}` : null }];
	}
	const mime = mimeOf(entry);
	return [{ ...common, type: mime === 'application/vnd.dropbox.paper' ? 'paper' : 'file', shared_folder_id: null, mime, size: entry.size, modified_at: entry.server_modified, url: namespaceId === null ? webUrlOf(path) : null }];
}

/**
 * Folders at the top of the home folder and, for team accounts, of the team space, whose names
 * contain `text`; a deeper folder is given by path. One page each: the picker shows what fits.
 */
async function searchFolders(connection: DropboxConnection, text: string, cursor: string | undefined): Promise<DropboxBrowsePage> {
	if (cursor !== undefined) {
		const page = await listPage(connection, '', null, cursor);
		return { entries: page.entries.filter((entry) => matches(entry, text)), nextCursor: page.nextCursor };
	}
	const account = await currentAccount(connection);
	const home = await listPage(connection, '', null, undefined);
	const team = hasTeamSpace(account) ? await listPage(connection, '', account.root_info.root_namespace_id, undefined) : { entries: [] };
	const homePath = account.root_info.home_path?.toLowerCase();
	const teamFolders = team.entries.filter((entry) => entry.path.toLowerCase() !== homePath);
	return {
		entries: [...home.entries, ...teamFolders].filter((entry) => matches(entry, text)),
		nextCursor: home.nextCursor,
	};
}

function matches(entry: DropboxEntry, text: string): boolean {
	return entry.type === 'folder' && entry.name.toLowerCase().includes(text.trim().toLowerCase());
}
