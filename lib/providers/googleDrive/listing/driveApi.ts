import type { drive_v3 } from '@googleapis/drive';

import { InvalidInputError, NotFoundError } from '../../../errors';
import type { ConnectorItem, ItemPermission } from '../../../items';
import { FILE_FIELDS, FOLDER_MIME, type DriveClient } from '../client';
import { googleErrorOf } from '../errors';
import { childrenOfAny, UNTRASHED } from '../query';

const PAGE_SIZE = 1000;
/** How a walk asks for children: folders named in one query, and queries in flight at once. */
export interface WalkShape {
	foldersPerQuery: number;
	parallelism: number;
}

/** 50 folders a query (rclone's `--fast-list` groups about as many), 8 queries at once. */
export const DEFAULT_WALK: WalkShape = { foldersPerQuery: 50, parallelism: 8 };
/**
 * Who may read a file, asked in the same listing requests. Drive fills `permissions` only for
 * files the account can share, and never for items of shared drives (their members come from the
 * drive: one `permissions.list` per file, which a listing does not make).
 */
export const PERMISSION_FIELDS = 'permissions(type,emailAddress,domain,role,allowFileDiscovery,deleted)';
/** Drive answers at most this many files a page when `permissions` is asked for, whatever `pageSize` says. */
export const PAGE_SIZE_WITH_PERMISSIONS = 100;

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
		private readonly walk: WalkShape = DEFAULT_WALK,
	) {}

	/** The file fields every call asks for. */
	private fileFields = FILE_FIELDS;
	/** The page size every list call asks for: what Drive answers with the fields asked. */
	private pageSize = PAGE_SIZE;

	/**
	 * Whether files come with `permissions` from here on (the Permissions listing option). Not in a
	 * shared drive: Drive never fills them there, and asking would cost ten times the pages.
	 */
	askPermissions(enabled: boolean, driveId: string | null): void {
		const ask = enabled && driveId === null;
		this.fileFields = ask ? `${FILE_FIELDS},${PERMISSION_FIELDS}` : FILE_FIELDS;
		this.pageSize = ask ? PAGE_SIZE_WITH_PERMISSIONS : PAGE_SIZE;
	}

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
	 * Every change since `pageToken` that `keep` keeps (asked as each page arrives, so the rest is
	 * never held), all pages, and the token to start from next time; null when Drive no longer
	 * accepts `pageToken` (expired, or from another change feed).
	 */
	async changesSince(pageToken: string, driveId: string | null, keep: (change: drive_v3.Schema$Change) => boolean = () => true): Promise<ChangeFeed | null> {
		const changes: drive_v3.Schema$Change[] = [];
		let token: string | undefined = pageToken;
		for (;;) {
			this.requests++;
			let data: drive_v3.Schema$ChangeList;
			try {
				({ data } = await this.drive.changes.list({
					pageToken: token,
					fields: `nextPageToken,newStartPageToken,changes(changeType,fileId,removed,time,file(${this.fileFields}))`,
					pageSize: this.pageSize,
					includeRemoved: true,
					supportsAllDrives: true,
					includeItemsFromAllDrives: true,
					...(driveId === null ? {} : { driveId }),
				}, this.options));
			} catch (error) {
				if (token === pageToken && isRefusedPageToken(error)) return null;
				throw error;
			}
			for (const change of data.changes ?? []) if (keep(change)) changes.push(change);
			if (data.newStartPageToken) return { changes, newStartPageToken: data.newStartPageToken };
			if (!data.nextPageToken) throw new Error('Drive returned a change page with neither a next nor a new start page token');
			token = data.nextPageToken;
		}
	}

	/** Every untrashed item of a shared drive, listed up front: the walk then reads children from it. */
	private corpus: CorpusIndex | null = null;

	/**
	 * Lists a whole shared drive in pages of 1,000 (one paged query, whatever its folder count), so
	 * that a walk of it needs no request per folder. Folders it does not hold (none in a drive's
	 * own tree) are still asked of Drive.
	 */
	async loadCorpus(driveId: string): Promise<void> {
		const index = new CorpusIndex(driveId);
		let pageToken: string | undefined;
		do {
			this.requests++;
			const { data }: { data: drive_v3.Schema$FileList } = await this.drive.files.list({
				q: UNTRASHED,
				fields: `nextPageToken,files(${this.fileFields})`,
				pageSize: this.pageSize,
				pageToken,
				corpora: 'drive',
				driveId,
				supportsAllDrives: true,
				includeItemsFromAllDrives: true,
			}, this.options);
			for (const file of data.files ?? []) index.add(file);
			pageToken = data.nextPageToken ?? undefined;
		} while (pageToken);
		this.corpus = index;
	}

	/**
	 * The untrashed children of each of `folderIds`, in Drive's order: from the corpus when it was
	 * loaded, otherwise batched (DEFAULT_WALK: up to 50 folders per query, 8 queries at once). Each
	 * child is handed to `childOf` (once per parent it sits in among `folderIds`) as its page arrives,
	 * and only what that keeps is held: a level of a large folder tree is never held as Drive's
	 * file objects.
	 */
	async childrenOf<Child = drive_v3.Schema$File>(
		folderIds: readonly string[],
		driveId: string | null,
		childOf: (file: drive_v3.Schema$File, parent: string) => Child | null = (file) => file as Child,
		/** Awaited after each page's children were handed to `childOf`, before the next page is asked for. */
		afterPage: () => Promise<void> = async () => undefined,
	): Promise<Map<string, Child[]>> {
		const found = new Map<string, Child[]>();
		const keep = (file: drive_v3.Schema$File, parent: string) => {
			const children = found.get(parent);
			if (children === undefined) return;
			const child = childOf(file, parent);
			if (child !== null) children.push(child);
		};
		const asked: string[] = [];
		for (const id of folderIds) {
			found.set(id, []);
			const known = this.corpus?.driveId === driveId ? this.corpus.childrenOf(id) : undefined;
			if (known !== undefined) for (const file of known) keep(file, id);
			else asked.push(id);
		}
		if (asked.length < folderIds.length) await afterPage();
		const batches: string[][] = [];
		const { foldersPerQuery, parallelism } = this.walk;
		for (let start = 0; start < asked.length; start += foldersPerQuery) batches.push(asked.slice(start, start + foldersPerQuery));
		await inParallel(batches, parallelism, async (batch) => {
			await this.childrenQuery(batch, driveId, async (files) => {
				for (const file of files) for (const parent of file.parents ?? []) keep(file, parent);
				await afterPage();
			});
		});
		return found;
	}

	/** The untrashed children of a batch of folders, every page, each page handed to `onPage` as it arrives. */
	private async childrenQuery(folderIds: readonly string[], driveId: string | null, onPage: (files: drive_v3.Schema$File[]) => Promise<void>): Promise<void> {
		let pageToken: string | undefined;
		do {
			this.requests++;
			const { data }: { data: drive_v3.Schema$FileList } = await this.drive.files.list({
				q: childrenOfAny(folderIds),
				fields: `nextPageToken,files(${this.fileFields})`,
				pageSize: this.pageSize,
				pageToken,
				supportsAllDrives: true,
				includeItemsFromAllDrives: true,
				...(driveId === null ? { corpora: 'user' } : { corpora: 'drive', driveId }),
			}, this.options);
			await onPage(data.files ?? []);
			pageToken = data.nextPageToken ?? undefined;
		} while (pageToken);
	}

	/** A file's metadata, or null when it is gone or not visible to the account. */
	async file(fileId: string): Promise<drive_v3.Schema$File | null> {
		this.requests++;
		try {
			const { data } = await this.drive.files.get({ fileId, fields: this.fileFields, supportsAllDrives: true }, this.options);
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

/** Drive's permissions as item permissions; deleted accounts left out. */
export function permissionsOf(permissions: readonly drive_v3.Schema$Permission[]): ItemPermission[] {
	return permissions
		.filter((permission) => permission.deleted !== true && permission.type && permission.role)
		.map((permission) => {
			const entry: ItemPermission = { type: permission.type as string, role: permission.role as string };
			if (permission.emailAddress) entry.email = permission.emailAddress;
			if (permission.domain) entry.domain = permission.domain;
			if (permission.type === 'anyone' || permission.type === 'domain') entry.with_link = permission.allowFileDiscovery !== true;
			return entry;
		});
}

/**
 * The ingestion-ready item (docs/architecture.md, "Items") for a Drive file at `path` in the
 * source; with `permissions` when Drive answered them (asked for, and the account can share it).
 */
export function itemOf(file: drive_v3.Schema$File, path: string, sourceKey: string, parent: string): ConnectorItem {
	const item: ConnectorItem = {
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
	if (Array.isArray(file.permissions)) item.permissions = permissionsOf(file.permissions);
	return item;
}

/** A shared drive's items by parent, as one corpus listing found them. */
class CorpusIndex {
	private readonly byParent = new Map<string, drive_v3.Schema$File[]>();
	/** Folders the listing saw, whose children it therefore holds; the drive's root among them. */
	private readonly folders: Set<string>;

	constructor(readonly driveId: string) {
		this.folders = new Set([driveId]);
	}

	add(file: drive_v3.Schema$File): void {
		if (file.id && file.mimeType === FOLDER_MIME) this.folders.add(file.id);
		for (const parent of file.parents ?? []) {
			const siblings = this.byParent.get(parent);
			if (siblings) siblings.push(file);
			else this.byParent.set(parent, [file]);
		}
	}

	/** Undefined for a folder the listing did not cover (outside the drive). */
	childrenOf(folderId: string): drive_v3.Schema$File[] | undefined {
		if (!this.folders.has(folderId)) return undefined;
		return this.byParent.get(folderId) ?? [];
	}
}

/** Runs `task` over `values`, at most `limit` at a time; the first failure rejects once the others settle. */
async function inParallel<T>(values: readonly T[], limit: number, task: (value: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < values.length) await task(values[next++]);
	};
	const results = await Promise.allSettled(Array.from({ length: Math.min(limit, values.length) }, worker));
	const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
	if (failed) throw failed.reason;
}
