/**
 * The state of the fake Dropbox: one tree of folders and files with namespaces in it (the home
 * folder, and for a team account the team space root and its team folders), and the change log
 * list_folder/continue reads. Paths given to the mutations are from the tree's root: for a personal
 * account that is the home folder; for a team account the team space, with the home folder at
 * `/<member folder>`.
 */
import { createHash, randomBytes } from 'node:crypto';

import { FakeClock } from './http';

export type NodeKind = 'folder' | 'file' | 'paper';

export interface DropboxNode {
	id: string;
	name: string;
	kind: NodeKind;
	parent: DropboxNode | null;
	children: DropboxNode[];
	content: Buffer;
	rev: string;
	clientModified: string;
	serverModified: string;
	/** Set on namespace roots below the tree's root (team folders, the member's home). */
	namespaceId?: string;
	/** False for files Dropbox only previews (e.g. a restricted binary type); Paper docs are never downloadable. */
	downloadable: boolean;
}

export type ChangeEntry =
	| { seq: number; kind: 'upsert'; id: string }
	| { seq: number; kind: 'deleted'; path: string; name: string };

export interface DropboxModelOptions {
	email?: string;
	accountId?: string;
	/** A team account: the tree's root is the team space and the home folder is `/<memberFolder>`. */
	team?: { name: string; memberFolder: string };
	now?: string;
}

/** Dropbox's content_hash: sha256 over the concatenated sha256 of every 4 MiB block. */
export function dropboxContentHash(content: Buffer): string {
	const BLOCK = 4 * 1024 * 1024;
	const blocks: Buffer[] = [];
	for (let offset = 0; offset < content.length; offset += BLOCK) {
		blocks.push(createHash('sha256').update(content.subarray(offset, offset + BLOCK)).digest());
	}
	return createHash('sha256').update(Buffer.concat(blocks)).digest('hex');
}

export class DropboxModel {
	readonly email: string;
	readonly accountId: string;
	readonly clock: FakeClock;
	readonly root: DropboxNode;
	readonly home: DropboxNode;
	readonly rootNamespaceId: string;
	readonly homeNamespaceId: string;
	readonly team?: { id: string; name: string };
	readonly changes: ChangeEntry[] = [];
	/** Cursors of an earlier epoch answer `reset`. */
	cursorEpoch = 0;
	private seq = 0;
	private nextNamespace = 1_000_000;
	private readonly namespaces = new Map<string, DropboxNode>();

	constructor(options: DropboxModelOptions = {}) {
		this.email = options.email ?? 'alice@example.com';
		this.accountId = options.accountId ?? `dbid:AA${randomBytes(16).toString('base64url').slice(0, 20)}`;
		this.clock = new FakeClock(options.now ?? '2025-03-01T09:00:00Z');
		this.root = this.newNode('', 'folder', null);
		this.rootNamespaceId = this.newNamespace(this.root);
		if (options.team) {
			this.team = { id: `dbtid:${randomBytes(12).toString('base64url')}`, name: options.team.name };
			this.home = this.addFolder(`/${options.team.memberFolder}`);
			this.homeNamespaceId = this.newNamespace(this.home);
		} else {
			this.home = this.root;
			this.homeNamespaceId = this.rootNamespaceId;
		}
	}

	// --- mutations (each records what list_folder/continue reports) --------------------------

	addFolder(path: string): DropboxNode {
		const parent = this.parentFor(path);
		const node = this.newNode(baseName(path), 'folder', parent);
		this.record({ kind: 'upsert', id: node.id });
		return node;
	}

	/** A team folder at the top of the team space: a folder that is the root of its own namespace. */
	addTeamFolder(name: string): DropboxNode {
		if (!this.team) throw new Error('fake dropbox: team folders need a team account');
		const node = this.addFolder(`/${name}`);
		this.newNamespace(node);
		return node;
	}

	addFile(path: string, content: string | Buffer, options: { downloadable?: boolean; clientModified?: string } = {}): DropboxNode {
		const parent = this.parentFor(path);
		const node = this.newNode(baseName(path), 'file', parent, Buffer.from(content));
		node.downloadable = options.downloadable ?? true;
		if (options.clientModified) node.clientModified = options.clientModified;
		this.record({ kind: 'upsert', id: node.id });
		return node;
	}

	/** A Paper doc (`Name.paper`): no bytes to download, exported as Markdown, HTML or plain text. */
	addPaperDoc(path: string, markdown: string): DropboxNode {
		const parent = this.parentFor(path);
		const node = this.newNode(baseName(path), 'paper', parent, Buffer.from(markdown));
		node.downloadable = false;
		this.record({ kind: 'upsert', id: node.id });
		return node;
	}

	editFile(path: string, content: string | Buffer): DropboxNode {
		const node = this.nodeAt(path);
		if (node.kind === 'folder') throw new Error(`fake dropbox: ${path} is a folder`);
		node.content = Buffer.from(content);
		node.rev = newRev();
		node.serverModified = this.timestamp();
		node.clientModified = node.serverModified;
		this.record({ kind: 'upsert', id: node.id });
		return node;
	}

	/** A move or rename: a `deleted` entry at the old path, then the node (and a folder's whole subtree) at the new one. */
	move(from: string, to: string): DropboxNode {
		const node = this.nodeAt(from);
		const oldPath = this.pathOf(node);
		const parent = this.parentFor(to);
		if (node.kind === 'folder' && (parent === node || this.isBelow(parent, node))) throw new Error('fake dropbox: cannot move a folder into itself');
		node.parent?.children.splice(node.parent.children.indexOf(node), 1);
		node.name = baseName(to);
		node.parent = parent;
		parent.children.push(node);
		this.record({ kind: 'deleted', path: oldPath, name: baseName(oldPath) });
		for (const moved of this.subtree(node)) this.record({ kind: 'upsert', id: moved.id });
		return node;
	}

	/** Deletes a file or a folder with everything in it: one `deleted` entry, for the path removed. */
	remove(path: string): void {
		const node = this.nodeAt(path);
		const oldPath = this.pathOf(node);
		node.parent?.children.splice(node.parent.children.indexOf(node), 1);
		for (const gone of this.subtree(node)) if (gone.namespaceId) this.namespaces.delete(gone.namespaceId);
		this.record({ kind: 'deleted', path: oldPath, name: node.name });
	}

	/** Every cursor handed out so far answers `reset`, as Dropbox does after large changes or a long pause. */
	resetCursors(): void {
		this.cursorEpoch += 1;
	}

	// --- lookups -------------------------------------------------------------------------------

	get currentSeq(): number {
		return this.seq;
	}

	namespace(id: string): DropboxNode | undefined {
		return this.namespaces.get(id);
	}

	findById(id: string): DropboxNode | undefined {
		return this.subtree(this.root).find((node) => node.id === id);
	}

	nodeAt(path: string): DropboxNode {
		const node = this.lookup(this.root, path);
		if (!node) throw new Error(`fake dropbox: nothing at ${path}`);
		return node;
	}

	/** The node at a path relative to `base` (`''` is `base`), matched case-insensitively as Dropbox does. */
	lookup(base: DropboxNode, path: string): DropboxNode | undefined {
		if (path === '') return base;
		let node: DropboxNode | undefined = base;
		for (const part of path.split('/').slice(1)) {
			node = node?.children.find((child) => child.name.toLowerCase() === part.toLowerCase());
			if (!node) return undefined;
		}
		return node;
	}

	/** Path from the tree's root (`''` for the root). */
	pathOf(node: DropboxNode): string {
		const names: string[] = [];
		for (let current: DropboxNode | null = node; current && current !== this.root; current = current.parent) names.unshift(current.name);
		return names.length === 0 ? '' : `/${names.join('/')}`;
	}

	/** Path relative to a namespace root, or undefined when the node is not in it. */
	pathIn(base: DropboxNode, node: DropboxNode): string | undefined {
		if (node === base) return '';
		if (!this.isBelow(node, base)) return undefined;
		return this.pathOf(node).slice(this.pathOf(base).length);
	}

	isBelow(node: DropboxNode, ancestor: DropboxNode): boolean {
		for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
		return false;
	}

	/** The node and everything below it, parents before children. */
	subtree(node: DropboxNode): DropboxNode[] {
		return [node, ...node.children.flatMap((child) => this.subtree(child))];
	}

	/** The namespace a node belongs to: the nearest namespace root at or above it. */
	namespaceOf(node: DropboxNode): string {
		for (let current: DropboxNode | null = node; current; current = current.parent) if (current.namespaceId) return current.namespaceId;
		return this.rootNamespaceId;
	}

	// --- internals -----------------------------------------------------------------------------

	private parentFor(path: string): DropboxNode {
		if (!path.startsWith('/') || path.endsWith('/')) throw new Error(`fake dropbox: write paths as /Folder/name, got ${path}`);
		const parentPath = path.slice(0, path.lastIndexOf('/'));
		const parent = this.lookup(this.root, parentPath);
		if (!parent || parent.kind !== 'folder') throw new Error(`fake dropbox: no folder at ${parentPath || '/'}`);
		if (parent.children.some((child) => child.name.toLowerCase() === baseName(path).toLowerCase())) {
			throw new Error(`fake dropbox: ${path} exists already`);
		}
		return parent;
	}

	private newNode(name: string, kind: NodeKind, parent: DropboxNode | null, content = Buffer.alloc(0)): DropboxNode {
		const modified = this.timestamp();
		const node: DropboxNode = {
			id: `id:${randomBytes(16).toString('base64url').slice(0, 22)}`,
			name,
			kind,
			parent,
			children: [],
			content,
			rev: newRev(),
			clientModified: modified,
			serverModified: modified,
			downloadable: kind === 'file',
		};
		parent?.children.push(node);
		return node;
	}

	private newNamespace(node: DropboxNode): string {
		const id = String(this.nextNamespace++);
		node.namespaceId = id;
		this.namespaces.set(id, node);
		return id;
	}

	private record(entry: { kind: 'upsert'; id: string } | { kind: 'deleted'; path: string; name: string }): void {
		this.seq += 1;
		this.changes.push({ ...entry, seq: this.seq });
		this.clock.advance(1000);
	}

	/** Dropbox's timestamps have whole seconds. */
	private timestamp(): string {
		return this.clock.iso().replace(/\.\d{3}Z$/, 'Z');
	}
}

function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

/** Dropbox revisions: at least nine lower-case hex digits. */
function newRev(): string {
	return randomBytes(7).toString('hex');
}
