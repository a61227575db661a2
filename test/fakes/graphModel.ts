/**
 * The state behind the fake Microsoft Graph: one user, drives (their OneDrive and SharePoint
 * document libraries), sites, drive items and the change sequence the delta feed reads. Every
 * mutation records a change on the items it touches, as OneDrive does: moving or renaming a
 * folder records the folder only; deleting one records it and everything below it.
 */
import { createHash, randomBytes } from 'node:crypto';

import { FakeClock } from './http';

export type FakeItemKind = 'root' | 'folder' | 'file' | 'notebook';

export interface FakeItem {
	id: string;
	driveId: string;
	kind: FakeItemKind;
	name: string;
	/** Null for a drive's root. */
	parentId: string | null;
	content: Buffer;
	mimeType: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	/** Bumped on every change (name, place, content): Graph's eTag. */
	version: number;
	deleted: boolean;
	/** The change sequence number of its latest change, for the delta feed. */
	changedAt: number;
}

export interface FakeDrive {
	id: string;
	name: string;
	driveType: 'business' | 'personal' | 'documentLibrary';
	rootId: string;
	siteId: string | null;
	webUrl: string;
	createdDateTime: string;
}

export interface FakeSite {
	id: string;
	displayName: string;
	name: string;
	webUrl: string;
	createdDateTime: string;
	driveIds: string[];
}

export interface FakeUser {
	id: string;
	displayName: string;
	mail: string | null;
	userPrincipalName: string;
}

export interface GraphModelOptions {
	user?: Partial<FakeUser>;
	/** `business` (OneDrive for Business, the default) or `personal`. */
	driveType?: 'business' | 'personal';
	now?: string;
}

const TENANT_HOST = 'https://contoso.sharepoint.com';

export class GraphModel {
	readonly clock: FakeClock;
	readonly user: FakeUser;
	readonly drives = new Map<string, FakeDrive>();
	readonly sites = new Map<string, FakeSite>();
	readonly items = new Map<string, FakeItem>();
	/** Share URL → item id, for /shares/{encoded}. */
	readonly shares = new Map<string, string>();
	/** The user's own OneDrive. */
	readonly myDrive: FakeDrive;
	protected sequence = 0;
	private counter = 0;

	constructor(options: GraphModelOptions = {}) {
		this.clock = new FakeClock(options.now ?? '2025-03-01T09:00:00Z');
		this.user = {
			id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
			displayName: 'Alice Example',
			mail: 'alice@contoso.com',
			userPrincipalName: 'alice@contoso.com',
			...options.user,
		};
		this.myDrive = this.createDrive('OneDrive', options.driveType ?? 'business', null);
	}

	// --- authoring -----------------------------------------------------------------------------

	addSite(site: { displayName: string; name?: string; libraries?: string[] }): { site: FakeSite; drives: FakeDrive[] } {
		const name = site.name ?? site.displayName.replace(/\s+/g, '');
		const id = `contoso.sharepoint.com,${this.guid()},${this.guid()}`;
		const record: FakeSite = { id, displayName: site.displayName, name, webUrl: `${TENANT_HOST}/sites/${name}`, createdDateTime: this.clock.iso(), driveIds: [] };
		this.sites.set(id, record);
		const drives = (site.libraries ?? ['Documents']).map((library) => {
			const drive = this.createDrive(library, 'documentLibrary', id);
			record.driveIds.push(drive.id);
			return drive;
		});
		return { site: record, drives };
	}

	/** `id` fixes the item id (for fixtures that refer to it); a new one is made up otherwise. */
	addFolder(folder: { name: string; parent?: string; drive?: string; id?: string }): FakeItem {
		return this.addItem('folder', folder.name, folder.parent, folder.drive, Buffer.alloc(0), '', folder.id);
	}

	addFile(file: { name: string; parent?: string; drive?: string; content?: string | Buffer; mimeType?: string }): FakeItem {
		const content = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content ?? '');
		return this.addItem('file', file.name, file.parent, file.drive, content, file.mimeType ?? mimeFor(file.name));
	}

	/** A OneNote notebook: a package, listed like a file, with no bytes to download. */
	addNotebook(notebook: { name: string; parent?: string; drive?: string }): FakeItem {
		return this.addItem('notebook', notebook.name, notebook.parent, notebook.drive, Buffer.alloc(0), '');
	}

	/** A share link to an item, as OneDrive's Share → Copy link makes it. */
	shareLink(itemId: string): string {
		const item = this.item(itemId);
		const url = `${TENANT_HOST}/:f:/g/personal/alice/${randomBytes(12).toString('base64url')}`;
		this.shares.set(url, item.id);
		return url;
	}

	// --- mutations (each records a change) -----------------------------------------------------

	rename(id: string, name: string): void {
		const item = this.item(id);
		item.name = name;
		// OneDrive derives a file's type from its name.
		if (item.kind === 'file') item.mimeType = mimeFor(name);
		this.touch(item);
	}

	move(id: string, parentId: string): void {
		const item = this.item(id);
		const parent = this.item(parentId);
		if (parent.driveId !== item.driveId) throw new Error('fake graph: moves stay within a drive');
		for (let at: FakeItem | undefined = parent; at; at = at.parentId === null ? undefined : this.items.get(at.parentId)) {
			if (at.id === item.id) throw new Error('fake graph: a folder cannot move below itself');
		}
		item.parentId = parent.id;
		this.touch(item);
	}

	editContent(id: string, content: string | Buffer): void {
		const item = this.item(id);
		item.content = Buffer.isBuffer(content) ? content : Buffer.from(content);
		this.touch(item);
	}

	/** Deletes an item; a folder's descendants are deleted (and reported) with it. */
	remove(id: string): void {
		const item = this.item(id);
		if (item.kind === 'root') throw new Error('fake graph: a drive root cannot be deleted');
		for (const descendant of this.descendants(item.id)) {
			descendant.deleted = true;
			this.touch(descendant);
		}
		item.deleted = true;
		this.touch(item);
	}

	// --- reading -------------------------------------------------------------------------------

	item(id: string): FakeItem {
		const item = this.items.get(id);
		if (!item || item.deleted) throw new Error(`fake graph: no item ${id}`);
		return item;
	}

	children(parentId: string): FakeItem[] {
		return [...this.items.values()].filter((item) => item.parentId === parentId && !item.deleted);
	}

	descendants(folderId: string): FakeItem[] {
		const found: FakeItem[] = [];
		const queue = [folderId];
		while (queue.length > 0) {
			const id = queue.shift() as string;
			for (const child of this.children(id)) {
				found.push(child);
				queue.push(child.id);
			}
		}
		return found;
	}

	/** `/drive/root:/A/B`, the parentReference.path of an item in folder B. */
	pathOf(item: FakeItem): string {
		const names: string[] = [];
		for (let at = item.parentId === null ? undefined : this.items.get(item.parentId); at && at.kind !== 'root'; at = at.parentId === null ? undefined : this.items.get(at.parentId)) {
			names.unshift(encodeURIComponent(at.name));
		}
		return `/drive/root:${names.length > 0 ? `/${names.join('/')}` : ''}`;
	}

	webUrlOf(item: FakeItem): string {
		const drive = this.drives.get(item.driveId) as FakeDrive;
		return `${drive.webUrl}/${encodeURIComponent(item.name)}?id=${item.id}`;
	}

	eTagOf(item: FakeItem): string {
		return `"{${item.id}},${item.version}"`;
	}

	// --- internals -----------------------------------------------------------------------------

	protected touch(item: FakeItem): void {
		item.version += 1;
		item.lastModifiedDateTime = this.clock.iso();
		item.changedAt = ++this.sequence;
		this.clock.advance(1000);
	}

	private createDrive(name: string, driveType: FakeDrive['driveType'], siteId: string | null): FakeDrive {
		const id = `b!${randomBytes(24).toString('base64url')}`;
		const rootId = this.itemId();
		const webUrl = siteId === null ? `${TENANT_HOST}/personal/alice/Documents` : `${this.sites.get(siteId)?.webUrl ?? TENANT_HOST}/${encodeURIComponent(name)}`;
		const drive: FakeDrive = { id, name, driveType, rootId, siteId, webUrl, createdDateTime: this.clock.iso() };
		this.drives.set(id, drive);
		this.items.set(rootId, {
			id: rootId,
			driveId: id,
			kind: 'root',
			name: 'root',
			parentId: null,
			content: Buffer.alloc(0),
			mimeType: '',
			createdDateTime: this.clock.iso(),
			lastModifiedDateTime: this.clock.iso(),
			version: 1,
			deleted: false,
			changedAt: ++this.sequence,
		});
		return drive;
	}

	private addItem(kind: FakeItemKind, name: string, parent: string | undefined, driveId: string | undefined, content: Buffer, mimeType: string, id?: string): FakeItem {
		if (id !== undefined && this.items.has(id)) throw new Error(`fake graph: item ${id} exists`);
		const parentItem = parent === undefined ? this.item((this.drives.get(driveId ?? this.myDrive.id) as FakeDrive).rootId) : this.item(parent);
		if (parentItem.kind !== 'folder' && parentItem.kind !== 'root') throw new Error(`fake graph: ${parentItem.name} is not a folder`);
		const item: FakeItem = {
			id: id ?? this.itemId(),
			driveId: parentItem.driveId,
			kind,
			name,
			parentId: parentItem.id,
			content,
			mimeType,
			createdDateTime: this.clock.iso(),
			lastModifiedDateTime: this.clock.iso(),
			version: 0,
			deleted: false,
			changedAt: 0,
		};
		this.items.set(item.id, item);
		this.touch(item);
		return item;
	}

	/** Business-style item ids: `01` and 32 upper-case letters and digits. */
	private itemId(): string {
		return `01${createHash('sha1').update(`item-${++this.counter}`).digest('hex').slice(0, 32).toUpperCase()}`;
	}

	private guid(): string {
		const hex = randomBytes(16).toString('hex');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	}
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
	txt: 'text/plain',
	md: 'text/markdown',
	csv: 'text/csv',
	pdf: 'application/pdf',
	png: 'image/png',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	doc: 'application/msword',
	json: 'application/json',
};

export function mimeFor(name: string): string {
	const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
	return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/**
 * OneDrive's QuickXorHash: each byte XORed into a 160-bit register at a position that advances 11
 * bits per byte, the length XORed into the last 64 bits, base64 of the 20 bytes.
 */
export function quickXorHash(data: Buffer): string {
	const width = 160;
	const register = Buffer.alloc(20);
	for (let index = 0; index < data.length; index++) {
		const start = (index * 11) % width;
		for (let bit = 0; bit < 8; bit++) {
			if ((data[index] >> bit) & 1) {
				const position = (start + bit) % width;
				register[position >> 3] ^= 1 << (position & 7);
			}
		}
	}
	const length = Buffer.alloc(8);
	length.writeBigUInt64LE(BigInt(data.length));
	for (let index = 0; index < 8; index++) register[12 + index] ^= length[index];
	return register.toString('base64');
}
