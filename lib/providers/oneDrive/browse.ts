/** What a person picks a source from: their OneDrive, SharePoint sites and their libraries, a folder's children, a shared link. */
import { NotFoundError } from '../../errors';
import type { OneDriveConnection } from './connection';
import { GraphError } from './errors';
import { DRIVE_SELECT, ITEM_SELECT, SITE_SELECT, segment, type GraphClient, type GraphCollection, type GraphDrive, type GraphItem, type GraphSite } from './graph';
import { isShareUrl, MY_DRIVE, shareIdOf } from './ids';
import { drivePath, isFolder, mimeOf } from './listing/graphListing';

export type OneDriveEntryType = 'drive' | 'site' | 'folder' | 'file' | 'notebook';

export interface OneDriveEntry {
	provider: 'onedrive';
	id: string;
	external_id: string;
	type: OneDriveEntryType;
	name: string;
	/** From the drive's root (`/Reports/2025`); a drive or site is `/`+its name; null where Graph does not say. */
	path: string | null;
	parents: string[];
	mime: string | null;
	size: number | null;
	modified_at: string | null;
	created_at: string | null;
	url: string | null;
	drive_id: string | null;
	site_id: string | null;
}

export interface OneDriveBrowsePage {
	entries: OneDriveEntry[];
	/** Graph's `@odata.nextLink`, handed back as `pageToken` for the next page. */
	nextPageToken?: string;
}

interface Paging {
	pageToken?: string;
	pageSize?: number;
}

export type OneDriveBrowseQuery =
	/** The top of the user's OneDrive. */
	| ({ kind: 'myDrive' } & Paging)
	/** SharePoint sites whose name matches `text` (every site the account can see without it). */
	| ({ kind: 'sites'; text?: string } & Paging)
	/** A site's document libraries. */
	| ({ kind: 'siteDrives'; siteId: string } & Paging)
	/** The user's OneDrive and the libraries of the sites matching `text`: the drive picker. */
	| ({ kind: 'drives'; text?: string } & Paging)
	/** A folder's children; `root` is the drive's top. */
	| ({ kind: 'folder'; driveId: string; folderId: string } & Paging)
	/** Folders of a drive whose name matches `text`: the folder picker. */
	| ({ kind: 'searchFolders'; driveId: string; text?: string } & Paging)
	/** The item a OneDrive or SharePoint share link points at. */
	| { kind: 'share'; url: string };

export async function browseOneDrive({ graph }: OneDriveConnection, query: OneDriveBrowseQuery): Promise<OneDriveBrowsePage> {
	if ((query.kind === 'folder' || query.kind === 'searchFolders') && isShareUrl(query.driveId)) {
		return await browseOneDrive({ graph }, { ...query, driveId: (await sharedItem(graph, query.driveId)).drive_id ?? MY_DRIVE });
	}
	switch (query.kind) {
		case 'myDrive':
			return await itemsPage(graph, query.pageToken, `${drivePath(MY_DRIVE)}/root/children`, { $top: pageSize(query) }, 'your OneDrive');
		case 'folder': {
			const folder = query.folderId === 'root' ? 'root' : `items/${segment(query.folderId)}`;
			return await itemsPage(graph, query.pageToken, `${drivePath(query.driveId)}/${folder}/children`, { $top: pageSize(query) }, `folder ${query.folderId}`);
		}
		case 'searchFolders': {
			const text = (query.text ?? '').trim();
			if (text === '') {
				const page = await browseOneDrive({ graph }, { kind: 'folder', driveId: query.driveId, folderId: 'root', pageToken: query.pageToken });
				return { ...page, entries: page.entries.filter((entry) => entry.type === 'folder') };
			}
			const page = await itemsPage(graph, query.pageToken, `${drivePath(query.driveId)}/root/search(q='${encodeURIComponent(text.replace(/'/g, "''"))}')`, { $top: pageSize(query) }, 'the folder search');
			return { ...page, entries: page.entries.filter((entry) => entry.type === 'folder') };
		}
		case 'sites':
			return await sitesPage(graph, query.text, query.pageToken);
		case 'siteDrives':
			return await drivesPage(graph, query.pageToken, `/sites/${segment(query.siteId)}/drives`, query.siteId);
		case 'drives':
			return await drivePicker(graph, query.text, query.pageToken);
		case 'share':
			return { entries: [await sharedItem(graph, query.url)] };
	}
}

function pageSize(paging: Paging): number {
	return Math.min(Math.max(paging.pageSize ?? 100, 1), 999);
}

async function itemsPage(graph: GraphClient, pageToken: string | undefined, path: string, query: Record<string, number>, what: string): Promise<OneDriveBrowsePage> {
	const page =
		pageToken === undefined
			? await graph.get<GraphCollection<GraphItem>>(path, { $select: ITEM_SELECT, ...query }, what).catch(notFound(what))
			: await graph.follow<GraphItem>(pageToken, ITEM_SELECT, what);
	return { entries: page.value.filter((item) => item.deleted === undefined).map(itemEntry), nextPageToken: page['@odata.nextLink'] };
}

async function sitesPage(graph: GraphClient, text: string | undefined, pageToken?: string): Promise<OneDriveBrowsePage> {
	const what = 'the SharePoint site search';
	const page =
		pageToken === undefined
			? await graph.get<GraphCollection<GraphSite>>('/sites', { search: (text ?? '').trim() || '*', $select: SITE_SELECT }, what)
			: await graph.follow<GraphSite>(pageToken, SITE_SELECT, what);
	return { entries: page.value.map(siteEntry), nextPageToken: page['@odata.nextLink'] };
}

async function drivesPage(graph: GraphClient, pageToken: string | undefined, path: string, siteId: string | null): Promise<OneDriveBrowsePage> {
	const what = siteId === null ? 'your drives' : `the libraries of site ${siteId}`;
	const page =
		pageToken === undefined
			? await graph.get<GraphCollection<GraphDrive>>(path, { $select: DRIVE_SELECT }, what).catch(notFound(what))
			: await graph.follow<GraphDrive>(pageToken, DRIVE_SELECT, what);
	return { entries: page.value.map((drive) => driveEntry(drive, siteId)), nextPageToken: page['@odata.nextLink'] };
}

/** My OneDrive first, then the libraries of one page of matching sites (a site's libraries are a request each). */
async function drivePicker(graph: GraphClient, text: string | undefined, pageToken?: string): Promise<OneDriveBrowsePage> {
	const entries: OneDriveEntry[] = [];
	const needle = (text ?? '').trim().toLowerCase();
	if (pageToken === undefined) {
		const mine = await graph.get<GraphDrive>('/me/drive', { $select: DRIVE_SELECT }, 'your OneDrive');
		const entry = driveEntry({ ...mine, name: 'My OneDrive' }, null);
		if (needle === '' || 'my onedrive'.includes(needle)) entries.push(entry);
	}
	const sites = await sitesPage(graph, text, pageToken);
	for (const site of sites.entries) {
		const drives = await graph.all<GraphDrive>(`/sites/${segment(site.id)}/drives`, { $select: DRIVE_SELECT }, `the libraries of ${site.name}`);
		for (const drive of drives) entries.push({ ...driveEntry(drive, site.id), name: `${site.name} › ${drive.name ?? ''}`, path: `/${site.name}/${drive.name ?? ''}` });
	}
	return { entries, nextPageToken: sites.nextPageToken };
}

async function sharedItem(graph: GraphClient, url: string): Promise<OneDriveEntry> {
	try {
		return itemEntry(await graph.get<GraphItem>(`/shares/${shareIdOf(url)}/driveItem`, { $select: ITEM_SELECT }, 'the shared link'));
	} catch (error) {
		if (error instanceof GraphError && (error.status === 404 || error.status === 403 || error.status === 400)) {
			throw new NotFoundError(
				`The link ${url} does not lead to an item the connected Microsoft account can open`,
				'Copy the link again (Share → Copy link), or share the item with the account of this credential.',
				{ cause: error },
			);
		}
		throw error;
	}
}

function notFound(what: string): (error: unknown) => never {
	return (error: unknown) => {
		if (error instanceof GraphError && error.status === 404) {
			throw new NotFoundError(`${what.charAt(0).toUpperCase()}${what.slice(1)} was not found or is not shared with the connected Microsoft account`, 'Check the id, or pick it from the list.', { cause: error });
		}
		throw error;
	};
}

/** `/drive/root:/Reports/2025` (Graph's parentReference.path) → `/Reports/2025`. */
function parentPathOf(item: GraphItem): string | null {
	const path = item.parentReference?.path;
	if (path === undefined) return null;
	const at = path.indexOf('root:');
	return at < 0 ? null : decodeURIComponent(path.slice(at + 'root:'.length));
}

function itemEntry(item: GraphItem): OneDriveEntry {
	const parentPath = parentPathOf(item);
	const type: OneDriveEntryType = item.package?.type === 'oneNote' ? 'notebook' : isFolder(item) ? 'folder' : 'file';
	return {
		provider: 'onedrive',
		id: item.id,
		external_id: item.id,
		type,
		name: item.name ?? '',
		path: item.root !== undefined ? '/' : parentPath === null ? null : `${parentPath}/${item.name ?? ''}`,
		parents: item.parentReference?.id ? [item.parentReference.id] : [],
		mime: type === 'folder' ? null : mimeOf(item),
		size: typeof item.size === 'number' ? item.size : null,
		modified_at: item.lastModifiedDateTime ?? null,
		created_at: item.createdDateTime ?? null,
		url: item.webUrl ?? null,
		drive_id: item.parentReference?.driveId ?? null,
		site_id: item.parentReference?.siteId ?? null,
	};
}

function driveEntry(drive: GraphDrive, siteId: string | null): OneDriveEntry {
	return {
		provider: 'onedrive',
		id: drive.id,
		external_id: drive.id,
		type: 'drive',
		name: drive.name ?? '',
		path: `/${drive.name ?? ''}`,
		parents: siteId === null ? [] : [siteId],
		mime: null,
		size: null,
		modified_at: null,
		created_at: drive.createdDateTime ?? null,
		url: drive.webUrl ?? null,
		drive_id: drive.id,
		site_id: siteId,
	};
}

function siteEntry(site: GraphSite): OneDriveEntry {
	return {
		provider: 'onedrive',
		id: site.id,
		external_id: site.id,
		type: 'site',
		name: site.displayName ?? site.name ?? '',
		path: `/${site.displayName ?? site.name ?? ''}`,
		parents: [],
		mime: null,
		size: null,
		modified_at: null,
		created_at: site.createdDateTime ?? null,
		url: site.webUrl ?? null,
		drive_id: null,
		site_id: site.id,
	};
}
