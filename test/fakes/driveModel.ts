/** In-memory state of the fake Google Drive: one user's My Drive, shared drives, files and a change log. */
import { createHash } from 'node:crypto';
import { EXPORT_FORMATS, FOLDER_MIME, GOOGLE_APPS_PREFIX, SHORTCUT_MIME } from './driveSchemas';
import type { QueryableFile } from './driveQuery';
import { FakeClock } from './http';

// ---------------------------------------------------------------------------------------------
// Content

/** File bytes, possibly generated on the fly so a multi-gigabyte file costs no memory. */
export interface ContentSource {
	readonly size: number;
	/** Yields the bytes in `[start, end)`. */
	chunks(start: number, end: number): Generator<Buffer>;
	/** Text for `fullText contains` and exports; empty for generated content. */
	readonly text: string;
}

export class BufferContent implements ContentSource {
	constructor(private readonly bytes: Buffer) {}

	get size(): number {
		return this.bytes.length;
	}

	get text(): string {
		return this.bytes.toString('utf8');
	}

	*chunks(start: number, end: number): Generator<Buffer> {
		yield this.bytes.subarray(start, end);
	}
}

const PATTERN_BLOCK = 64 * 1024;

/** `size` deterministic pseudo-random bytes derived from `seed`. */
export class GeneratedContent implements ContentSource {
	readonly text = '';
	private block?: Buffer;

	constructor(
		readonly size: number,
		private readonly seed: string,
	) {}

	*chunks(start: number, end: number): Generator<Buffer> {
		const block = this.pattern();
		let offset = start;
		while (offset < end) {
			const within = offset % PATTERN_BLOCK;
			const length = Math.min(PATTERN_BLOCK - within, end - offset);
			yield block.subarray(within, within + length);
			offset += length;
		}
	}

	private pattern(): Buffer {
		if (!this.block) {
			const parts: Buffer[] = [];
			let digest = createHash('sha256').update(this.seed).digest();
			for (let filled = 0; filled < PATTERN_BLOCK; filled += digest.length) {
				parts.push(digest);
				digest = createHash('sha256').update(digest).digest();
			}
			this.block = Buffer.concat(parts).subarray(0, PATTERN_BLOCK);
		}
		return this.block;
	}
}

interface Hashes {
	md5: string;
	sha1: string;
	sha256: string;
}

const hashCache = new WeakMap<ContentSource, Hashes>();

export function hashesOf(content: ContentSource): Hashes {
	let hashes = hashCache.get(content);
	if (!hashes) {
		const md5 = createHash('md5');
		const sha1 = createHash('sha1');
		const sha256 = createHash('sha256');
		for (const chunk of content.chunks(0, content.size)) {
			md5.update(chunk);
			sha1.update(chunk);
			sha256.update(chunk);
		}
		hashes = { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
		hashCache.set(content, hashes);
	}
	return hashes;
}

export type ContentInit = string | Buffer | { size: number; seed?: string };

function toContent(init: ContentInit | undefined, fallbackSeed: string): ContentSource {
	if (init === undefined) return new BufferContent(Buffer.alloc(0));
	if (typeof init === 'string') return new BufferContent(Buffer.from(init, 'utf8'));
	if (Buffer.isBuffer(init)) return new BufferContent(init);
	return new GeneratedContent(init.size, init.seed ?? fallbackSeed);
}

// ---------------------------------------------------------------------------------------------
// Records

export interface DriveUser {
	emailAddress: string;
	displayName: string;
	permissionId: string;
}

export interface SharedDrive {
	id: string;
	name: string;
	createdTime: string;
	hidden: boolean;
}

export interface DriveFile {
	id: string;
	name: string;
	mimeType: string;
	/** Exactly one parent: a folder id, the My Drive root id or a shared drive id. */
	parents: string[];
	/** Set when the file lives in a shared drive. */
	driveId?: string;
	content: ContentSource;
	version: number;
	createdTime: string;
	modifiedTime: string;
	trashed: boolean;
	explicitlyTrashed: boolean;
	trashedTime?: string;
	description?: string;
	starred: boolean;
	shortcutDetails?: { targetId: string; targetMimeType: string };
	canDownload: boolean;
	/** Flagged as malware/spam: downloads need `acknowledgeAbuse=true`. */
	abusive: boolean;
	/** Whether the account may share it: Drive shows `permissions` only then. */
	canShare: boolean;
	/** Who may read it besides the owner (My Drive files); shared-drive items get theirs from the drive. */
	permissions: DrivePermission[];
}

/** A Drive `permissions` entry as the API answers it. */
export interface DrivePermission {
	id: string;
	type: 'user' | 'group' | 'domain' | 'anyone';
	role: 'owner' | 'organizer' | 'fileOrganizer' | 'writer' | 'commenter' | 'reader';
	emailAddress?: string;
	domain?: string;
	/** `domain` and `anyone`: whether the file can be found by search (else only by its link). */
	allowFileDiscovery?: boolean;
	/** The account behind a user or group permission was deleted. */
	deleted?: boolean;
}

export type ChangeEntry =
	| { seq: number; time: string; changeType: 'file'; fileId: string; driveId?: string; removed: boolean }
	| { seq: number; time: string; changeType: 'drive'; driveId: string; removed: boolean };

export interface FileInit {
	name: string;
	/** Folder id, shared drive id or My Drive root id (the default). */
	parent?: string;
	mimeType?: string;
	/** Bytes, text, or `{ size }` for generated content (huge files without the memory). */
	content?: ContentInit;
	id?: string;
	description?: string;
	starred?: boolean;
	createdTime?: string;
	modifiedTime?: string;
	canDownload?: boolean;
	abusive?: boolean;
	/** Default true; false: the account may read but not share it, and Drive answers no `permissions`. */
	canShare?: boolean;
}

export interface DriveModelOptions {
	user?: { emailAddress?: string; displayName?: string };
	/** Start of the fake clock (ISO). */
	now?: string;
}

/** Whether bytes of this type can be downloaded with `alt=media` (i.e. not a Google-native type). */
export function isBinaryMime(mimeType: string): boolean {
	return !mimeType.startsWith(GOOGLE_APPS_PREFIX);
}

export class DriveModel {
	readonly user: DriveUser;
	readonly rootFolderId: string;
	readonly clock: FakeClock;
	/** Base URL of the server, for links (`exportLinks`); set once it listens. */
	baseUrl = 'http://127.0.0.1/';

	protected readonly files = new Map<string, DriveFile>();
	protected readonly sharedDrives = new Map<string, SharedDrive>();
	protected readonly changeLog: ChangeEntry[] = [];
	private changeSeq = 4100;

	/** Moves on with every change the model logs: a list's later pages can reuse its first page's results while it holds. */
	protected get revision(): number {
		return this.changeSeq;
	}
	private idCounter = 0;

	constructor(options: DriveModelOptions = {}) {
		this.clock = new FakeClock(options.now ?? '2025-01-01T09:00:00.000Z');
		const emailAddress = options.user?.emailAddress ?? 'alice@example.com';
		this.user = {
			emailAddress,
			displayName: options.user?.displayName ?? 'Alice Example',
			permissionId: this.makeId('perm', 20, ''),
		};
		this.rootFolderId = this.makeId('0A', 11, 'Uk9PVA');
	}

	// --- clock ---------------------------------------------------------------------------------

	setNow(iso: string): void {
		this.clock.set(iso);
	}

	advanceTime(ms: number): void {
		this.clock.advance(ms);
	}

	// --- building state ----------------------------------------------------------------------

	addSharedDrive(init: { name: string; id?: string; hidden?: boolean }): SharedDrive {
		const drive: SharedDrive = {
			id: init.id ?? this.makeId('0A', 11, 'Uk9PVA'),
			name: init.name,
			createdTime: this.clock.iso(),
			hidden: init.hidden ?? false,
		};
		this.assertFreeId(drive.id);
		this.sharedDrives.set(drive.id, drive);
		this.logDrive(drive.id, false);
		return drive;
	}

	renameSharedDrive(driveId: string, name: string): SharedDrive {
		const drive = this.sharedDrive(driveId);
		drive.name = name;
		this.logDrive(driveId, false);
		return drive;
	}

	/** Deletes a shared drive and everything in it. */
	removeSharedDrive(driveId: string): void {
		this.sharedDrive(driveId);
		for (const file of [...this.files.values()]) {
			if (file.driveId === driveId) this.deleteRecord(file);
		}
		this.sharedDrives.delete(driveId);
		this.logDrive(driveId, true);
	}

	addFolder(init: { name: string; parent?: string; id?: string; createdTime?: string }): DriveFile {
		return this.addFile({ ...init, mimeType: FOLDER_MIME });
	}

	addFile(init: FileInit): DriveFile {
		const parent = init.parent ?? this.rootFolderId;
		const id = init.id ?? this.makeId('1', 32, '');
		this.assertFreeId(id);
		const mimeType = init.mimeType ?? 'application/octet-stream';
		const now = this.clock.iso();
		const file: DriveFile = {
			id,
			name: init.name,
			mimeType,
			parents: [parent],
			driveId: this.driveOfParent(parent),
			content: toContent(init.content, id),
			version: 1,
			createdTime: init.createdTime ?? now,
			modifiedTime: init.modifiedTime ?? init.createdTime ?? now,
			trashed: false,
			explicitlyTrashed: false,
			description: init.description,
			starred: init.starred ?? false,
			canDownload: init.canDownload ?? true,
			abusive: init.abusive ?? false,
			canShare: init.canShare ?? true,
			permissions: [],
		};
		this.files.set(id, file);
		this.logFile(file, false);
		return file;
	}

	addShortcut(init: { name: string; targetId: string; parent?: string; id?: string }): DriveFile {
		const target = this.file(init.targetId);
		const file = this.addFile({ name: init.name, parent: init.parent, id: init.id, mimeType: SHORTCUT_MIME });
		file.shortcutDetails = { targetId: target.id, targetMimeType: target.mimeType };
		return file;
	}

	/** The record behind an id (throws for unknown ids). Mutating it directly bypasses the change log. */
	file(id: string): DriveFile {
		const file = this.files.get(id);
		if (!file) throw new Error(`fake drive: no file ${id}`);
		return file;
	}

	hasFile(id: string): boolean {
		return this.files.has(id);
	}

	sharedDrive(id: string): SharedDrive {
		const drive = this.sharedDrives.get(id);
		if (!drive) throw new Error(`fake drive: no shared drive ${id}`);
		return drive;
	}

	/** Every file and folder, excluding the My Drive root and shared drive roots. */
	allFiles(): DriveFile[] {
		return [...this.files.values()];
	}

	allSharedDrives(): SharedDrive[] {
		return [...this.sharedDrives.values()];
	}

	// --- mutations (each bumps `version` and records a change) ---------------------------------

	rename(id: string, name: string): DriveFile {
		const file = this.file(id);
		file.name = name;
		return this.touch(file, true);
	}

	/** Moves to a single new parent (folder, shared drive or My Drive root). */
	move(id: string, newParent: string): DriveFile {
		const file = this.file(id);
		if (newParent === id || this.descendants(file).some((child) => child.id === newParent)) {
			throw new Error('fake drive: move would create a cycle');
		}
		file.parents = [newParent];
		const driveId = this.driveOfParent(newParent);
		if (driveId !== file.driveId) {
			for (const moved of [file, ...this.descendants(file)]) moved.driveId = driveId;
		}
		return this.touch(file, false);
	}

	/** Shares the file (a new permission): the version moves and the change feed reports it, its times do not. */
	share(id: string, permission: Omit<DrivePermission, 'id'>): DrivePermission {
		const file = this.file(id);
		const added = { ...permission, id: this.makeId('perm', 20, '') };
		file.permissions.push(added);
		this.touch(file, false);
		return added;
	}

	/** Takes a permission away. */
	unshare(id: string, permissionId: string): DriveFile {
		const file = this.file(id);
		file.permissions = file.permissions.filter((permission) => permission.id !== permissionId);
		return this.touch(file, false);
	}

	editContent(id: string, content: ContentInit): DriveFile {
		const file = this.file(id);
		if (file.mimeType === FOLDER_MIME || file.mimeType === SHORTCUT_MIME) {
			throw new Error('fake drive: folders and shortcuts have no content');
		}
		file.content = toContent(content, `${id}@${file.version + 1}`);
		return this.touch(file, true);
	}

	/** Trashing a folder trashes its subtree too (those items are not `explicitlyTrashed`). */
	trash(id: string): DriveFile {
		const file = this.file(id);
		const now = this.clock.iso();
		for (const item of [file, ...this.descendants(file)]) {
			if (item.trashed) continue;
			item.trashed = true;
			item.explicitlyTrashed = item === file;
			item.trashedTime = now;
			this.touch(item, false);
		}
		return file;
	}

	untrash(id: string): DriveFile {
		const file = this.file(id);
		for (const item of [file, ...this.descendants(file)]) {
			if (!item.trashed || (item !== file && item.explicitlyTrashed)) continue;
			item.trashed = false;
			item.explicitlyTrashed = false;
			item.trashedTime = undefined;
			this.touch(item, false);
		}
		return file;
	}

	/** Permanent deletion, subtree included: later changes report `removed: true`. */
	remove(id: string): void {
		const file = this.file(id);
		for (const item of [...this.descendants(file), file]) this.deleteRecord(item);
	}

	setCanDownload(id: string, canDownload: boolean): DriveFile {
		const file = this.file(id);
		file.canDownload = canDownload;
		return this.touch(file, false);
	}

	// --- change log ----------------------------------------------------------------------------

	/** The token `changes.getStartPageToken` would return now. */
	currentStartPageToken(): string {
		return String(this.changeSeq + 1);
	}

	changesSince(seq: number): ChangeEntry[] {
		return this.changeLog.filter((entry) => entry.seq >= seq);
	}

	// --- derived views -----------------------------------------------------------------------

	children(folderId: string): DriveFile[] {
		return this.allFiles().filter((file) => file.parents.includes(folderId));
	}

	descendants(folder: DriveFile): DriveFile[] {
		if (folder.mimeType !== FOLDER_MIME) return [];
		const out: DriveFile[] = [];
		const queue = [folder.id];
		while (queue.length > 0) {
			const parent = queue.shift() as string;
			for (const child of this.children(parent)) {
				out.push(child);
				queue.push(child.id);
			}
		}
		return out;
	}

	queryable(file: DriveFile): QueryableFile {
		return {
			name: file.name,
			mimeType: file.mimeType,
			parents: file.parents,
			ownerEmails: file.driveId ? [] : [this.user.emailAddress],
			trashed: file.trashed,
			starred: file.starred,
			modifiedTime: file.modifiedTime,
			createdTime: file.createdTime,
			fullText: `${file.name}\n${file.description ?? ''}\n${file.content.text}`,
		};
	}

	/** The full Drive v3 `File` resource; checksums are getters so only selected ones are computed. */
	fileResource(file: DriveFile): Record<string, unknown> {
		const binary = isBinaryMime(file.mimeType);
		const isFolder = file.mimeType === FOLDER_MIME;
		const owner = { kind: 'drive#user', ...this.userResource() };
		const extension = binary && file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.') + 1) : undefined;
		const resource: Record<string, unknown> = {
			kind: 'drive#file',
			id: file.id,
			name: file.name,
			mimeType: file.mimeType,
			description: file.description,
			starred: file.starred,
			trashed: file.trashed,
			explicitlyTrashed: file.explicitlyTrashed,
			trashedTime: file.trashedTime,
			parents: [...file.parents],
			spaces: ['drive'],
			version: String(file.version),
			webViewLink: webViewLink(file),
			webContentLink: binary ? `https://drive.google.com/uc?id=${file.id}&export=download` : undefined,
			iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
			hasThumbnail: false,
			thumbnailVersion: '0',
			viewedByMe: true,
			createdTime: file.createdTime,
			modifiedTime: file.modifiedTime,
			modifiedByMe: true,
			modifiedByMeTime: file.modifiedTime,
			owners: file.driveId ? undefined : [owner],
			lastModifyingUser: owner,
			shared: file.permissions.length > 0,
			ownedByMe: !file.driveId,
			driveId: file.driveId,
			teamDriveId: file.driveId,
			capabilities: {
				canDownload: file.canDownload,
				canCopy: !isFolder,
				canEdit: true,
				canComment: true,
				canListChildren: isFolder,
				canAddChildren: isFolder,
				canReadRevisions: !isFolder,
				canRename: true,
				canShare: file.canShare,
				canTrash: true,
				canDelete: true,
				canModifyContent: true,
				canReadDrive: Boolean(file.driveId),
			},
			viewersCanCopyContent: true,
			copyRequiresWriterPermission: false,
			writersCanShare: true,
			permissionIds: [...(file.driveId ? [] : [this.user.permissionId]), ...file.permissions.map((permission) => permission.id)],
			// Only to an account that may share the file, and never for shared-drive items (Drive's own rule).
			permissions: file.canShare && !file.driveId ? this.permissionResources(file) : undefined,
			originalFilename: binary ? file.name : undefined,
			fullFileExtension: extension,
			fileExtension: extension,
			headRevisionId: binary && !isFolder ? `rev-${file.id.slice(0, 6)}-${file.version}` : undefined,
			size: isFolder || file.mimeType === SHORTCUT_MIME ? undefined : String(file.content.size),
			quotaBytesUsed: binary ? String(file.content.size) : '0',
			shortcutDetails: file.shortcutDetails ? { ...file.shortcutDetails } : undefined,
			exportLinks: this.exportLinks(file),
		};
		if (binary) {
			const content = file.content;
			Object.defineProperty(resource, 'md5Checksum', { enumerable: true, get: () => hashesOf(content).md5 });
			Object.defineProperty(resource, 'sha1Checksum', { enumerable: true, get: () => hashesOf(content).sha1 });
			Object.defineProperty(resource, 'sha256Checksum', { enumerable: true, get: () => hashesOf(content).sha256 });
		}
		return resource;
	}

	/** The owner (this account, for My Drive files) and every grant, as `permissions` lists them. */
	private permissionResources(file: DriveFile): Record<string, unknown>[] {
		const owner = { kind: 'drive#permission', id: this.user.permissionId, type: 'user', role: 'owner', emailAddress: this.user.emailAddress, displayName: this.user.displayName, deleted: false };
		return [owner, ...file.permissions.map((permission) => ({ kind: 'drive#permission', deleted: false, ...permission }))];
	}

	/** `files.get` on the My Drive root (or `root`). */
	rootResource(): Record<string, unknown> {
		return {
			kind: 'drive#file',
			id: this.rootFolderId,
			name: 'My Drive',
			mimeType: FOLDER_MIME,
			trashed: false,
			explicitlyTrashed: false,
			spaces: ['drive'],
			version: '1',
			webViewLink: 'https://drive.google.com/drive/my-drive',
			createdTime: '2020-01-01T00:00:00.000Z',
			modifiedTime: '2020-01-01T00:00:00.000Z',
			owners: [{ kind: 'drive#user', ...this.userResource() }],
			ownedByMe: true,
			capabilities: { canListChildren: true, canAddChildren: true, canDownload: true },
		};
	}

	/** `files.get` on a shared drive id: the drive's root folder. */
	sharedDriveRootResource(drive: SharedDrive): Record<string, unknown> {
		return {
			kind: 'drive#file',
			id: drive.id,
			name: drive.name,
			mimeType: FOLDER_MIME,
			driveId: drive.id,
			teamDriveId: drive.id,
			trashed: false,
			explicitlyTrashed: false,
			spaces: ['drive'],
			version: '1',
			webViewLink: `https://drive.google.com/drive/folders/${drive.id}`,
			createdTime: drive.createdTime,
			modifiedTime: drive.createdTime,
			ownedByMe: false,
			capabilities: { canListChildren: true, canAddChildren: true, canDownload: true },
		};
	}

	driveResource(drive: SharedDrive): Record<string, unknown> {
		return {
			kind: 'drive#drive',
			id: drive.id,
			name: drive.name,
			createdTime: drive.createdTime,
			hidden: drive.hidden,
			colorRgb: '#4986e7',
			themeId: 'abacus',
			capabilities: { canListChildren: true, canDownload: true, canReadRevisions: true, canComment: true },
			restrictions: {
				adminManagedRestrictions: false,
				copyRequiresWriterPermission: false,
				domainUsersOnly: false,
				driveMembersOnly: false,
			},
		};
	}

	userResource(): Record<string, unknown> {
		return {
			displayName: this.user.displayName,
			emailAddress: this.user.emailAddress,
			me: true,
			permissionId: this.user.permissionId,
			photoLink: 'https://lh3.googleusercontent.com/a/default-user=s64',
		};
	}

	/** The bytes `files.export` produces for a Google-native file in format `mimeType`. */
	exportContent(file: DriveFile, mimeType: string): ContentSource {
		if (file.content instanceof GeneratedContent) {
			return new GeneratedContent(file.content.size, `${file.id}@${file.version}:${mimeType}`);
		}
		const text = file.content.text;
		const ext = EXPORT_FORMATS[file.mimeType]?.[mimeType] ?? 'bin';
		switch (mimeType) {
			case 'text/plain':
				// Docs' TXT export starts with a UTF-8 byte order mark, like the real one.
				return new BufferContent(Buffer.from(`\ufeff${text}`, 'utf8'));
			case 'text/markdown':
			case 'text/csv':
				return new BufferContent(Buffer.from(text, 'utf8'));
			case 'text/tab-separated-values':
				return new BufferContent(Buffer.from(text.replace(/,/g, '\t'), 'utf8'));
			case 'text/html':
				return new BufferContent(Buffer.from(`<html><body><pre>${escapeHtml(text)}</pre></body></html>`, 'utf8'));
			case 'application/pdf':
				return new BufferContent(Buffer.from(`%PDF-1.4\n% fake export of ${file.id}\n${text}\n%%EOF\n`, 'utf8'));
			default:
				return new BufferContent(Buffer.from(`FAKE-${ext.toUpperCase()}\n${text}`, 'utf8'));
		}
	}

	private exportLinks(file: DriveFile): Record<string, string> | undefined {
		const formats = EXPORT_FORMATS[file.mimeType];
		if (!formats) return undefined;
		const links: Record<string, string> = {};
		for (const [mime, ext] of Object.entries(formats)) {
			links[mime] = `${this.baseUrl}feeds/download/export?id=${file.id}&exportFormat=${ext}`;
		}
		return links;
	}

	// --- internals -----------------------------------------------------------------------------

	private touch(file: DriveFile, modified: boolean): DriveFile {
		file.version += 1;
		if (modified) file.modifiedTime = this.clock.iso();
		this.logFile(file, false);
		return file;
	}

	private deleteRecord(file: DriveFile): void {
		this.files.delete(file.id);
		this.logFile(file, true);
	}

	private logFile(file: DriveFile, removed: boolean): void {
		this.changeSeq += 1;
		this.changeLog.push({
			seq: this.changeSeq,
			time: this.clock.iso(),
			changeType: 'file',
			fileId: file.id,
			driveId: file.driveId,
			removed,
		});
	}

	private logDrive(driveId: string, removed: boolean): void {
		this.changeSeq += 1;
		this.changeLog.push({ seq: this.changeSeq, time: this.clock.iso(), changeType: 'drive', driveId, removed });
	}

	private driveOfParent(parentId: string): string | undefined {
		if (parentId === this.rootFolderId) return undefined;
		if (this.sharedDrives.has(parentId)) return parentId;
		const parent = this.files.get(parentId);
		if (!parent) throw new Error(`fake drive: no parent folder ${parentId}`);
		if (parent.mimeType !== FOLDER_MIME) throw new Error(`fake drive: parent ${parentId} is not a folder`);
		return parent.driveId;
	}

	private assertFreeId(id: string): void {
		if (this.files.has(id) || this.sharedDrives.has(id) || id === this.rootFolderId) {
			throw new Error(`fake drive: id ${id} already used`);
		}
	}

	/** Deterministic ids shaped like Drive's (`1…` for files, `0A…Uk9PVA` for drives and roots). */
	private makeId(prefix: string, length: number, suffix: string): string {
		this.idCounter += 1;
		const digest = createHash('sha256').update(`fake-drive-${this.idCounter}`).digest('base64url');
		return `${prefix}${digest.replace(/[-_]/g, 'x').slice(0, length)}${suffix}`;
	}
}

function webViewLink(file: DriveFile): string {
	switch (file.mimeType) {
		case FOLDER_MIME:
			return `https://drive.google.com/drive/folders/${file.id}`;
		case 'application/vnd.google-apps.document':
			return `https://docs.google.com/document/d/${file.id}/edit?usp=drivesdk`;
		case 'application/vnd.google-apps.spreadsheet':
			return `https://docs.google.com/spreadsheets/d/${file.id}/edit?usp=drivesdk`;
		case 'application/vnd.google-apps.presentation':
			return `https://docs.google.com/presentation/d/${file.id}/edit?usp=drivesdk`;
		default:
			return `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`;
	}
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
