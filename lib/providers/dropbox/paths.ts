/** Folder references a person gives: a path, an `id:`, a namespace path `ns:…`, a dropbox.com URL or a shared link. */
import { InvalidInputError } from '../../errors';

/** Where a folder is: a path (`''` for the root), `id:…`, in the user's home or in a namespace (team space, team folder). */
export interface DropboxFolderRef {
	/** `''` (the root), `/Path/To/Folder` or `id:…`, relative to the namespace. */
	path: string;
	/** The namespace the path is relative to (sent as `Dropbox-API-Path-Root`); null for the user's home. */
	namespaceId: string | null;
	/** A shared link to resolve to the folder (sharing/get_shared_link_metadata) before listing. */
	sharedLink?: string;
}

const ID = /^id:[A-Za-z0-9_-]{4,}$/;
const NAMESPACE_PATH = /^ns:([0-9]+)(\/.*)?$/;
const SHARED_LINK = /^https:\/\/(?:www\.)?dropbox\.com\/(?:scl\/fo|scl\/fi|sh|s)\/[^\s]+$/;
const HOME_URL = /^https:\/\/(?:www\.)?dropbox\.com\/home(\/[^?#]*)?(?:[?#].*)?$/;

/**
 * Parses what a folder picker or parameter holds. Dropbox's own root is `''` (never `/`); a
 * trailing slash is dropped. Anything else fails before any request, saying what would work.
 */
export function parseDropboxFolder(value: string): DropboxFolderRef {
	const text = value.trim();
	if (text === '' || text === '/') return { path: '', namespaceId: null };
	if (ID.test(text)) return { path: text, namespaceId: null };
	const namespace = NAMESPACE_PATH.exec(text);
	if (namespace) return { path: normalisedPath(namespace[2] ?? ''), namespaceId: namespace[1] };
	if (text.startsWith('/')) return { path: normalisedPath(text), namespaceId: null };
	const home = HOME_URL.exec(text);
	if (home) return { path: normalisedPath(decodePath(home[1] ?? '')), namespaceId: null };
	if (SHARED_LINK.test(text)) return { path: '', namespaceId: null, sharedLink: sharedLinkOf(text) };
	throw new InvalidInputError(
		`"${value}" is not a Dropbox folder`,
		'Pick the folder from the list, or give its path (/Team/Handbook), its id (id:…), a dropbox.com/home URL or a shared link.',
	);
}

/** The value a picker stores for a folder: its path, prefixed with its namespace in a team space. */
export function folderValue(path: string, namespaceId: string | null): string {
	return namespaceId === null ? path || '/' : `ns:${namespaceId}${path}`;
}

function normalisedPath(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	if (/\/\//.test(trimmed)) throw new InvalidInputError(`"${path}" is not a Dropbox path: it has an empty folder name`, 'Write paths as /Folder/Subfolder.');
	return trimmed;
}

function decodePath(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		throw new InvalidInputError(`"${path}" is not a valid dropbox.com URL path`, 'Copy the URL from the address bar of the folder on dropbox.com.');
	}
}

/** A shared link without the tracking and display parameters; `rlkey` (which the link needs) stays. */
function sharedLinkOf(link: string): string {
	const url = new URL(link);
	const rlkey = url.searchParams.get('rlkey');
	url.search = rlkey === null ? '' : `?rlkey=${encodeURIComponent(rlkey)}`;
	url.hash = '';
	return url.href;
}

/** Path of `pathLower` below `rootLower` (`''` for the root itself), or null when it is not below it. */
export function relativeTo(rootLower: string, pathLower: string): string | null {
	if (rootLower === '') return pathLower;
	if (pathLower === rootLower) return '';
	return pathLower.startsWith(`${rootLower}/`) ? pathLower.slice(rootLower.length) : null;
}

export function parentOf(pathLower: string): string {
	return pathLower.slice(0, pathLower.lastIndexOf('/'));
}
