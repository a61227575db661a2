import type { drive_v3 } from '@googleapis/drive';

import { NotFoundError } from '../../errors';
import { FILE_FIELDS, FOLDER_MIME, SHARED_DRIVE_FIELDS, SHORTCUT_MIME, type DriveClient } from './client';
import type { DriveConnection } from './connection';
import { googleErrorOf } from './errors';
import { folderUrl, MY_DRIVE_ROOT } from './ids';
import { childrenOf, quoted } from './query';

export type DriveEntryType = 'folder' | 'file' | 'shortcut' | 'shared_drive';

/** One row of what a person browses: a shared drive, a folder or a file. */
export interface DriveEntry {
	provider: 'google_drive';
	id: string;
	external_id: string;
	type: DriveEntryType;
	name: string;
	/** Location as Drive's UI shows it: `/My Drive/…` or `/Shared drives/<drive>/…`; null for a search hit, whose place is not looked up. */
	path: string | null;
	parents: string[];
	mime: string | null;
	size: number | null;
	modified_at: string | null;
	created_at: string | null;
	url: string | null;
	drive_id: string | null;
}

export interface DriveBrowsePage {
	entries: DriveEntry[];
	nextPageToken?: string;
}

interface Paging {
	/** From the previous page's `nextPageToken`. */
	pageToken?: string;
	pageSize?: number;
}

/** What a person browses or searches for, a page at a time. */
export type DriveBrowseQuery =
	| ({ kind: 'myDrive' } & Paging)
	| ({ kind: 'sharedDrives' } & Paging)
	| ({ kind: 'sharedDrive'; driveId: string } & Paging)
	/** A folder's children: `root` is My Drive's root, a shared drive's id its top. */
	| ({ kind: 'folder'; folderId: string } & Paging)
	/** Folders whose name contains `text`, in every drive the account can see. */
	| ({ kind: 'searchFolders'; text?: string } & Paging)
	/** Shared drives whose name contains `text` (case-insensitive). */
	| ({ kind: 'searchSharedDrives'; text?: string } & Paging);

/** Fields of a search hit: enough to name, link and pick it. */
const SEARCH_FIELDS = 'id,name,mimeType,parents,modifiedTime,createdTime,webViewLink,driveId';

/** One browser per connection, so the folder paths one page resolved serve the next pages too. */
const browsers = new WeakMap<DriveConnection, DriveBrowser>();

export async function browseDrive(connection: DriveConnection, query: DriveBrowseQuery): Promise<DriveBrowsePage> {
	let browser = browsers.get(connection);
	if (browser === undefined) {
		browser = new DriveBrowser(connection.drive);
		browsers.set(connection, browser);
	}
	const { pageToken, pageSize } = query;
	switch (query.kind) {
		case 'myDrive':
			return await browser.listFolder(MY_DRIVE_ROOT, pageToken, pageSize);
		case 'sharedDrives':
			return await browser.listSharedDrives(pageToken, pageSize);
		case 'sharedDrive':
			return await browser.listFolder(query.driveId, pageToken, pageSize);
		case 'folder':
			return await browser.listFolder(query.folderId, pageToken, pageSize);
		case 'searchFolders':
			return await browser.searchFolders(query.text, pageToken, pageSize);
		case 'searchSharedDrives':
			return await browser.searchSharedDrives(query.text, pageToken, pageSize);
	}
}

export const MY_DRIVE_PATH = '/My Drive';
export const SHARED_DRIVES_PATH = '/Shared drives';
export const SHARED_WITH_ME_PATH = '/Shared with me';
const MAX_FOLDER_DEPTH = 100;

interface FolderLocation {
	id: string;
	path: string;
	driveId: string | null;
}

/** Browsing Drive the way its web UI does: My Drive, shared drives, a folder's children. */
export class DriveBrowser {
	private readonly locations = new Map<string, Promise<FolderLocation>>();

	private rootId?: Promise<string>;

	constructor(private readonly drive: DriveClient) {}

	async listSharedDrives(pageToken?: string, pageSize = 100): Promise<DriveBrowsePage> {
		const { data } = await this.drive.drives.list({
			pageSize: Math.min(pageSize, 100),
			pageToken,
			fields: `nextPageToken,drives(${SHARED_DRIVE_FIELDS})`,
		});
		return {
			entries: (data.drives ?? []).map((d) => ({
				provider: 'google_drive',
				id: d.id ?? '',
				external_id: d.id ?? '',
				type: 'shared_drive',
				name: d.name ?? '',
				path: `${SHARED_DRIVES_PATH}/${d.name ?? ''}`,
				parents: [],
				mime: null,
				size: null,
				modified_at: null,
				created_at: d.createdTime ?? null,
				url: d.id ? folderUrl(d.id) : null,
				drive_id: d.id ?? null,
			})),
			nextPageToken: data.nextPageToken ?? undefined,
		};
	}

	/** Folders whose name contains `text` (every folder without it), by name, across every drive. */
	async searchFolders(text?: string, pageToken?: string, pageSize = 100): Promise<DriveBrowsePage> {
		const clauses = [`mimeType = ${quoted(FOLDER_MIME)}`, 'trashed = false'];
		if (text) clauses.push(`name contains ${quoted(text)}`);
		const { data } = await this.drive.files.list({
			q: clauses.join(' and '),
			orderBy: 'name',
			pageSize: Math.min(pageSize, 1000),
			pageToken,
			fields: `nextPageToken,files(${SEARCH_FIELDS})`,
			corpora: 'allDrives',
			supportsAllDrives: true,
			includeItemsFromAllDrives: true,
		});
		return {
			entries: (data.files ?? []).map((file) => toEntry(file, null)),
			nextPageToken: data.nextPageToken ?? undefined,
		};
	}

	/** A page of shared drives, less those whose name does not contain `text`. */
	async searchSharedDrives(text?: string, pageToken?: string, pageSize = 100): Promise<DriveBrowsePage> {
		const page = await this.listSharedDrives(pageToken, pageSize);
		const needle = text?.toLowerCase();
		return needle ? { ...page, entries: page.entries.filter((entry) => entry.name.toLowerCase().includes(needle)) } : page;
	}

	/** Children of a folder (My Drive's root is `root`, a shared drive's root is its id), folders first. */
	async listFolder(folderId: string, pageToken?: string, pageSize = 100): Promise<DriveBrowsePage> {
		const folder = await this.locate(folderId);
		const { data } = await this.drive.files.list({
			q: childrenOf(folder.id),
			orderBy: 'folder,name',
			pageSize: Math.min(pageSize, 1000),
			pageToken,
			fields: `nextPageToken,files(${FILE_FIELDS})`,
			supportsAllDrives: true,
			includeItemsFromAllDrives: true,
			...(folder.driveId ? { corpora: 'drive', driveId: folder.driveId } : { corpora: 'user' }),
		});
		return {
			entries: (data.files ?? []).map((file) => toEntry(file, folder.path)),
			nextPageToken: data.nextPageToken ?? undefined,
		};
	}

	/** The folder's id and its path, resolved by walking up its parents once per folder. */
	locate(folderId: string): Promise<FolderLocation> {
		return this.locateWithin(folderId, new Set());
	}

	private async resolve(folderId: string, seen: Set<string>): Promise<FolderLocation> {
		const file = await this.getFolderOrDrive(folderId);
		if ('sharedDrive' in file) return file.sharedDrive;
		if (file.mimeType !== FOLDER_MIME) {
			throw new NotFoundError(
				`"${file.name}" (${folderId}) is a file, not a folder`,
				'Pick a folder or a shared drive to browse.',
			);
		}
		const id = file.id ?? folderId;
		const driveId = file.driveId ?? null;
		const parent = file.parents?.[0];
		if (!parent) {
			if (driveId === id) {
				const drive = await this.drive.drives.get({ driveId: id, fields: SHARED_DRIVE_FIELDS });
				return { id, path: `${SHARED_DRIVES_PATH}/${drive.data.name ?? ''}`, driveId };
			}
			if (folderId === MY_DRIVE_ROOT || id === (await this.myDriveRootId())) {
				return { id, path: MY_DRIVE_PATH, driveId: null };
			}
			// Shared with the account, its parents not visible to it.
			return { id, path: `${SHARED_WITH_ME_PATH}/${file.name ?? ''}`, driveId };
		}
		if (seen.has(id) || seen.size >= MAX_FOLDER_DEPTH) {
			return { id, path: `/…/${file.name ?? ''}`, driveId };
		}
		seen.add(id);
		const above = await this.locateWithin(parent, seen);
		return { id, path: `${above.path}/${file.name ?? ''}`, driveId: driveId ?? above.driveId };
	}

	private myDriveRootId(): Promise<string> {
		this.rootId ??= this.drive.files
			.get({ fileId: MY_DRIVE_ROOT, fields: 'id' })
			.then(({ data }) => data.id ?? MY_DRIVE_ROOT);
		return this.rootId;
	}

	private locateWithin(folderId: string, seen: Set<string>): Promise<FolderLocation> {
		const known = this.locations.get(folderId);
		if (known) return known;
		const location = this.resolve(folderId, seen);
		this.locations.set(folderId, location);
		location.catch(() => this.locations.delete(folderId));
		return location;
	}

	private async getFolderOrDrive(
		folderId: string,
	): Promise<drive_v3.Schema$File | { sharedDrive: FolderLocation }> {
		try {
			const { data } = await this.drive.files.get({
				fileId: folderId,
				fields: 'id,name,mimeType,parents,driveId',
				supportsAllDrives: true,
			});
			return data;
		} catch (error) {
			if (googleErrorOf(error).status !== 404) throw error;
		}
		try {
			const { data } = await this.drive.drives.get({ driveId: folderId, fields: SHARED_DRIVE_FIELDS });
			return {
				sharedDrive: { id: folderId, path: `${SHARED_DRIVES_PATH}/${data.name ?? ''}`, driveId: folderId },
			};
		} catch (error) {
			if (googleErrorOf(error).status !== 404) throw error;
			throw new NotFoundError(
				`Folder ${folderId} was not found or is not shared with the connected Google account`,
				'Check the folder id or URL, or share the folder with the account of this credential.',
				{ cause: error },
			);
		}
	}
}

export function toEntry(file: drive_v3.Schema$File, parentPath: string | null): DriveEntry {
	const mime = file.mimeType ?? null;
	const type: DriveEntryType = mime === FOLDER_MIME ? 'folder' : mime === SHORTCUT_MIME ? 'shortcut' : 'file';
	return {
		provider: 'google_drive',
		id: file.id ?? '',
		external_id: file.id ?? '',
		type,
		name: file.name ?? '',
		path: parentPath === null ? null : `${parentPath}/${file.name ?? ''}`,
		parents: file.parents ?? [],
		mime,
		size: file.size === undefined || file.size === null ? null : Number(file.size),
		modified_at: file.modifiedTime ?? null,
		created_at: file.createdTime ?? null,
		url: file.webViewLink ?? null,
		drive_id: file.driveId ?? null,
	};
}
