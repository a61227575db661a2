import type { drive_v3 } from '@googleapis/drive';

import { InvalidInputError, NotFoundError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import { FILE_FIELDS, FOLDER_MIME, type DriveClient } from '../client';
import { googleErrorOf } from '../errors';
import { childrenOf } from '../query';

const PAGE_SIZE = 1000;
const CHANGE_FIELDS = `nextPageToken,newStartPageToken,changes(changeType,fileId,removed,time,file(${FILE_FIELDS}))`;

export interface ChangeFeed {
	changes: drive_v3.Schema$Change[];
	newStartPageToken: string;
}

/** The Drive calls a listing makes, each counted, each asking for explicit fields. */
export class DriveListingApi {
	requests = 0;
	/** Files reported through `reportListed` so far. */
	filesReported = 0;

	constructor(
		private readonly drive: DriveClient,
		/** Told how many files each folder page brought, so a long listing can show progress. */
		private readonly onListed: (files: number) => void = () => undefined,
		private readonly signal?: AbortSignal,
	) {}

	/** Request options of every call: the caller's abort signal. */
	private get options(): { signal?: AbortSignal } {
		return this.signal === undefined ? {} : { signal: this.signal };
	}

	reportListed(files: number): void {
		if (files <= 0) return;
		this.filesReported += files;
		this.onListed(files);
	}

	async startPageToken(driveId: string | null): Promise<string> {
		this.requests++;
		const { data } = await this.drive.changes.getStartPageToken({
			fields: 'startPageToken',
			supportsAllDrives: true,
			...(driveId === null ? {} : { driveId }),
		}, this.options);
		if (!data.startPageToken) throw new Error('Drive returned no start page token');
		return data.startPageToken;
	}

	/**
	 * Every change since `pageToken`, all pages, and the token to start from next time; null when
	 * Drive no longer accepts `pageToken` (expired, or from another change feed).
	 */
	async changesSince(pageToken: string, driveId: string | null): Promise<ChangeFeed | null> {
		const changes: drive_v3.Schema$Change[] = [];
		let token: string | undefined = pageToken;
		for (;;) {
			this.requests++;
			let data: drive_v3.Schema$ChangeList;
			try {
				({ data } = await this.drive.changes.list({
					pageToken: token,
					fields: CHANGE_FIELDS,
					pageSize: PAGE_SIZE,
					includeRemoved: true,
					supportsAllDrives: true,
					includeItemsFromAllDrives: true,
					...(driveId === null ? {} : { driveId }),
				}, this.options));
			} catch (error) {
				if (token === pageToken && isRefusedPageToken(error)) return null;
				throw error;
			}
			changes.push(...(data.changes ?? []));
			if (data.newStartPageToken) return { changes, newStartPageToken: data.newStartPageToken };
			if (!data.nextPageToken) throw new Error('Drive returned a change page with neither a next nor a new start page token');
			token = data.nextPageToken;
		}
	}

	/** The untrashed children of a folder, every page. */
	async children(folderId: string, driveId: string | null): Promise<drive_v3.Schema$File[]> {
		const files: drive_v3.Schema$File[] = [];
		let pageToken: string | undefined;
		do {
			this.requests++;
			const { data }: { data: drive_v3.Schema$FileList } = await this.drive.files.list({
				q: childrenOf(folderId),
				fields: `nextPageToken,files(${FILE_FIELDS})`,
				pageSize: PAGE_SIZE,
				pageToken,
				supportsAllDrives: true,
				includeItemsFromAllDrives: true,
				...(driveId === null ? { corpora: 'user' } : { corpora: 'drive', driveId }),
			}, this.options);
			files.push(...(data.files ?? []));
			pageToken = data.nextPageToken ?? undefined;
		} while (pageToken);
		return files;
	}

	/** A file's metadata, or null when it is gone or not visible to the account. */
	async file(fileId: string): Promise<drive_v3.Schema$File | null> {
		this.requests++;
		try {
			const { data } = await this.drive.files.get({ fileId, fields: FILE_FIELDS, supportsAllDrives: true }, this.options);
			return data;
		} catch (error) {
			if (googleErrorOf(error).status === 404) return null;
			throw error;
		}
	}

	/** The folder a source starts at, with the id Drive uses for it in `parents`. */
	async rootFolder(folderId: string): Promise<{ id: string; driveId: string | null }> {
		const folder = await this.file(folderId);
		if (folder === null) {
			throw new NotFoundError(
				`Folder ${folderId} was not found or is not shared with the connected Google account`,
				'Check the folder id or URL, or share the folder with the account of this credential.',
			);
		}
		if (folder.mimeType !== FOLDER_MIME) {
			throw new InvalidInputError(
				`"${folder.name ?? folderId}" (${folderId}) is a file, not a folder`,
				'Pick a folder, a shared drive or My Drive as the source.',
			);
		}
		if (folder.trashed) {
			throw new NotFoundError(`Folder "${folder.name ?? folderId}" (${folderId}) is in the trash`, 'Restore it or pick another folder.');
		}
		return { id: folder.id ?? folderId, driveId: folder.driveId ?? null };
	}
}

/** Drive's answer to a page token it does not know: 400 (or 404) naming the `pageToken` parameter. */
function isRefusedPageToken(error: unknown): boolean {
	const { status, location, message } = googleErrorOf(error);
	if (status !== 400 && status !== 404) return false;
	return location === 'pageToken' || /page ?token/i.test(message);
}

/** The ingestion-ready item (docs/architecture.md, "Items") for a Drive file at `path` in the source. */
export function itemOf(file: drive_v3.Schema$File, path: string, sourceKey: string, parent: string): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: file.id ?? '',
		source_key: sourceKey,
		name: file.name ?? '',
		path,
		parents: [parent],
		mime: file.mimeType ?? null,
		size: file.size === undefined || file.size === null ? null : Number(file.size),
		modified_at: file.modifiedTime ?? null,
		created_at: file.createdTime ?? null,
		version: file.version ?? null,
		hash: file.md5Checksum ?? null,
		url: file.webViewLink ?? null,
		change: 'upsert',
	};
}
