/**
 * An in-memory provider for the engine's tests: documents keyed by id with a path, a MIME type and
 * a version; every change takes the next number of a change counter, and the cursor is the number
 * the last listing saw. Listing and export calls are recorded, and failures, skips and held
 * exports are set per test.
 */
import { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import type {
	DescribedItem,
	ConnectorProvider,
	ExportChoices,
	ExportNote,
	ExportOutcome,
	ExportRequest,
	ListChangesRequest,
	ListChangesResponse,
	ProviderAccount,
	SkippedAttachment,
} from '../../../lib/providers/types';

export const FAKE_PROVIDER = 'fake';

export interface FakeConnection {
	credentialKey: string;
}

export interface FakeSource {
	root: string;
}

export interface FakeCursor {
	position: number;
}

export interface FakeSnapshot {
	/** What the source held at the cursor, so a later listing can report what left it. */
	known: Array<{ id: string; path: string; mime: string | null }>;
	/** Each document's path by id, kept when `keepsPaths` is set: a map whose entries the store keeps as rows. */
	paths?: Record<string, string>;
}

/** A type with several export formats, picked at export (like a Google Doc). */
export const DOCUMENT_TYPE: ExportChoices = { kind: 'document', label: 'Fake Docs', default: 'txt', formats: ['txt', 'md', 'pdf', 'docx'] };
/** A type with one export format (like a Notion page). */
export const PAGE_TYPE: ExportChoices = { kind: 'page', label: 'Fake pages', default: 'md', formats: ['md'] };
export const DOCUMENT_MIME = 'application/x-fake-document';
export const PAGE_MIME = 'application/x-fake-page';

export interface FakeAttachment {
	name: string;
	mime: string | null;
	content: string;
	/** Called when the engine opens it (e.g. to cancel the execution right then). */
	onOpen?: () => void;
}

export interface FakeDocument {
	path: string;
	mime?: string | null;
	size?: number | null;
	/** The exported bytes; default: the path. */
	content?: string | Buffer;
	/** Export the content as a stream of chunks of this many bytes instead of a Buffer. */
	streamChunkBytes?: number;
	/** The provider's own content hash; absent: the engine hashes the bytes. */
	contentHash?: string;
	attachments?: FakeAttachment[];
	skippedAttachments?: SkippedAttachment[];
	/** How the provider read it, and its notes on the export (a fallback taken). */
	contentSource?: string;
	notes?: ExportNote[];
}

interface StoredDocument extends FakeDocument {
	id: string;
	version: number;
	changedAt: number;
}

/** A Readable handing out `content` in chunks on demand, counting what it produced. */
export class ChunkedBody extends Readable {
	produced = 0;
	private offset = 0;

	constructor(
		private readonly content: Buffer,
		private readonly chunkBytes: number,
	) {
		super();
	}

	override _read(): void {
		if (this.offset >= this.content.length) {
			this.push(null);
			return;
		}
		const chunk = this.content.subarray(this.offset, this.offset + this.chunkBytes);
		this.offset += chunk.length;
		this.produced += chunk.length;
		this.push(chunk);
	}
}

/** An export held until the test lets it finish. */
export interface HeldExport {
	id: string;
	release(): void;
}

export class FakeProvider implements ConnectorProvider<FakeConnection, FakeSource, FakeCursor, FakeSnapshot> {
	readonly id = FAKE_PROVIDER;
	readonly displayName = 'Fake Drive';
	readonly itemNoun = 'file';
	readonly workspaceRule = false;
	readonly exportTypes = [DOCUMENT_TYPE, PAGE_TYPE];
	readonly resilience = { isRetryable: async () => false, breakerKey: (credentialKey: string) => credentialKey };

	readonly listCalls: Array<Pick<ListChangesRequest<FakeSource, FakeCursor, FakeSnapshot>, 'cursor' | 'snapshot' | 'account'>> = [];
	readonly exportCalls: ExportRequest[] = [];
	readonly accountCalls: string[] = [];
	/** Bodies handed out by export, by item id. */
	readonly bodies = new Map<string, ChunkedBody>();
	/** The MIME type a download reports, by attachment name, when it differs from the listed one. */
	private readonly servedMimes = new Map<string, string>();
	/** Warnings every listing returns. */
	warnings: string[] = [];
	/** Whether listings report what they found on `onListed` themselves. */
	countsListed = false;
	/** When set and the engine offers `onItems`, listings hand their upserts over this many at a time and return none. */
	handsOverBy: number | null = null;
	/** Hands every batch over at once, without awaiting one before the next (as parallel page requests would). */
	handsOverAtOnce = false;
	/** Handed over after the rest: a later word on a document, at another path (a file found twice in one listing). */
	laterWords: Array<{ id: string; path: string }> = [];
	/** Listings keep `paths` in their snapshot, handed over on `onEntries` (this many at a time) when the engine offers it. */
	keepsPaths: number | null = null;
	/** Accounts by credential key. */
	accounts: Record<string, ProviderAccount> = {};
	exportsInFlight = 0;
	maxExportsInFlight = 0;

	private changeCounter = 0;
	private readonly documents = new Map<string, StoredDocument>();
	private listingFailure: Error | undefined;
	private readonly exportFailures = new Map<string, Error>();
	private readonly exportSkips = new Map<string, { skipReason: string; skipDetail: string }>();
	private readonly accountFailures: Error[] = [];
	private holding = false;
	private readonly held: HeldExport[] = [];
	private heldWaiters: Array<() => void> = [];

	/** Adds a document or changes it (its version goes up). */
	/** Makes the download of an attachment report another MIME type than it was listed with. */
	servedMime(name: string, mime: string): void {
		this.servedMimes.set(name, mime);
	}

	put(id: string, document: FakeDocument): this {
		const previous = this.documents.get(id);
		this.documents.set(id, { ...document, id, version: (previous?.version ?? 0) + 1, changedAt: ++this.changeCounter });
		return this;
	}

	remove(id: string): this {
		this.documents.delete(id);
		this.changeCounter++;
		return this;
	}

	failListing(error: Error): void {
		this.listingFailure = error;
	}

	failExport(id: string, error: Error): void {
		this.exportFailures.set(id, error);
	}

	skipExport(id: string, skipReason: string, skipDetail: string): void {
		this.exportSkips.set(id, { skipReason, skipDetail });
	}

	/** The next account lookup fails with `error`. */
	failAccountOnce(error: Error): void {
		this.accountFailures.push(error);
	}

	/** Exports wait in `heldExports()` until released. */
	holdExports(): void {
		this.holding = true;
	}

	heldExports(): readonly HeldExport[] {
		return this.held;
	}

	/** Resolves once `count` exports are waiting to be released. */
	async exportsHeld(count: number): Promise<void> {
		while (this.held.length < count) await new Promise<void>((resolve) => this.heldWaiters.push(resolve));
	}

	/** A listed item of the document as it is now, the way the provider lists it. */
	item(id: string, sourceKey = fakeSourceKey()): ConnectorItem {
		const document = this.documents.get(id);
		if (document === undefined) throw new Error(`No fake document ${id}`);
		return upsertOf(document, sourceKey);
	}

	/** Ids `describeItem` was asked about. */
	readonly describeCalls: string[] = [];

	async describeItem(_connection: FakeConnection, item: ConnectorItem): Promise<DescribedItem | null> {
		this.describeCalls.push(item.external_id);
		const document = this.documents.get(item.external_id);
		if (document === undefined) return null;
		return upsertOf(document, 'described-without-a-source');
	}

	connect(transport: { credentialKey: string }): FakeConnection {
		return { credentialKey: transport.credentialKey };
	}

	async account(connection: FakeConnection): Promise<ProviderAccount> {
		this.accountCalls.push(connection.credentialKey);
		const failure = this.accountFailures.shift();
		if (failure !== undefined) throw failure;
		const account = this.accounts[connection.credentialKey];
		if (account === undefined) throw new Error(`No fake account for ${connection.credentialKey}`);
		return account;
	}

	sourceKey(accountId: string, source: FakeSource): string {
		return fakeSourceKey(accountId, source.root);
	}

	async browse(): Promise<never[]> {
		return [];
	}

	parseCursor(value: unknown): FakeCursor | null {
		const position = (value as { position?: unknown } | null)?.position;
		return typeof position === 'number' ? { position } : null;
	}

	exportChoices(item: ConnectorItem): ExportChoices | undefined {
		if (item.mime === DOCUMENT_MIME) return DOCUMENT_TYPE;
		if (item.mime === PAGE_MIME) return PAGE_TYPE;
		return undefined;
	}

	async listChanges(
		_connection: FakeConnection,
		request: ListChangesRequest<FakeSource, FakeCursor, FakeSnapshot>,
	): Promise<ListChangesResponse<FakeCursor, FakeSnapshot>> {
		this.listCalls.push(structuredClone({ cursor: request.cursor, snapshot: request.snapshot, account: request.account }));
		if (this.listingFailure !== undefined) throw this.listingFailure;
		const fullListing = request.cursor === null || request.snapshot === null;
		const since = fullListing ? 0 : (request.cursor?.position ?? 0);
		const present = [...this.documents.values()].filter((document) => request.filter(document.path, document.mime ?? null));
		let items = present.filter((document) => document.changedAt > since).map((document) => upsertOf(document, request.sourceKey));
		if (this.handsOverBy !== null && request.onItems !== undefined) {
			const { onItems } = request;
			const by = this.handsOverBy;
			const batches = Array.from({ length: Math.ceil(items.length / by) }, (_, index) => items.slice(index * by, (index + 1) * by));
			if (this.handsOverAtOnce) await Promise.all(batches.map(async (batch) => await onItems(batch)));
			else for (const batch of batches) await onItems(batch);
			for (const { id, path } of this.laterWords) {
				const document = this.documents.get(id);
				if (document !== undefined) await request.onItems([{ ...upsertOf(document, request.sourceKey), path }]);
			}
			items = [];
		}
		const paths: Record<string, string> = {};
		for (const document of present) paths[document.id] = document.path;
		if (this.keepsPaths !== null && request.onEntries !== undefined) {
			const ids = Object.keys(paths);
			for (let start = 0; start < ids.length; start += this.keepsPaths) {
				await request.onEntries('paths', Object.fromEntries(ids.slice(start, start + this.keepsPaths).map((id) => [id, paths[id]])));
			}
			for (const id of ids) delete paths[id];
		}
		const deletions = (request.snapshot?.known ?? [])
			.filter((known) => !this.documents.has(known.id))
			.map((known) => deletionOf(known, request.sourceKey));
		if (this.countsListed) request.onListed?.(items.length);
		return {
			items,
			deletions,
			nextCursor: { position: this.changeCounter },
			nextSnapshot: {
				known: present
					.map((document) => ({ id: document.id, path: document.path, mime: document.mime ?? null }))
					.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)),
				...(this.keepsPaths === null ? {} : { paths }),
			},
			fullListing,
			warnings: [...this.warnings],
			requests: 1,
			countedListed: this.countsListed,
		};
	}

	async exportItem(_connection: FakeConnection, request: ExportRequest): Promise<ExportOutcome> {
		this.exportCalls.push(request);
		this.exportsInFlight++;
		this.maxExportsInFlight = Math.max(this.maxExportsInFlight, this.exportsInFlight);
		try {
			if (this.holding) await this.hold(request.item.external_id);
			return this.exportNow(request);
		} finally {
			this.exportsInFlight--;
		}
	}

	private async hold(id: string): Promise<void> {
		await new Promise<void>((resolve) => {
			const entry: HeldExport = {
				id,
				release: () => {
					this.held.splice(this.held.indexOf(entry), 1);
					resolve();
				},
			};
			this.held.push(entry);
			const waiters = this.heldWaiters;
			this.heldWaiters = [];
			for (const wake of waiters) wake();
		});
	}

	private exportNow(request: ExportRequest): ExportOutcome {
		const id = request.item.external_id;
		const failure = this.exportFailures.get(id);
		if (failure !== undefined) throw failure;
		const skip = this.exportSkips.get(id);
		if (skip !== undefined) return { kind: 'skipped', ...skip };
		const document = this.documents.get(id);
		if (document === undefined) throw new Error(`No fake document ${id}`);
		const content = Buffer.isBuffer(document.content) ? document.content : Buffer.from(document.content ?? document.path, 'utf8');
		let body: Readable | Buffer = content;
		if (document.streamChunkBytes !== undefined) {
			const stream = new ChunkedBody(content, document.streamChunkBytes);
			this.bodies.set(id, stream);
			body = stream;
		}
		const format = request.format ?? 'original';
		return {
			kind: 'content',
			body,
			fileName: `${request.item.name}.${format}`,
			mimeType: `application/x-fake-${format}`,
			exportFormat: format,
			exportMime: `application/x-fake-${format}`,
			contentHash: document.contentHash,
			attachments: (document.attachments ?? []).map((attachment) => ({
				name: attachment.name,
				mime: attachment.mime,
				open: async () => {
					attachment.onOpen?.();
					const mime = this.servedMimes.get(attachment.name) ?? attachment.mime;
					return { stream: Readable.from([Buffer.from(attachment.content, 'utf8')]), mime };
				},
			})),
			...(document.skippedAttachments ? { skippedAttachments: document.skippedAttachments } : {}),
			...(document.contentSource ? { contentSource: document.contentSource } : {}),
			...(document.notes ? { notes: document.notes } : {}),
		};
	}
}

export function fakeSourceKey(accountId = 'alice@example.com', root = 'root'): string {
	return `${FAKE_PROVIDER}:${accountId}:${root}`;
}

function nameOf(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

function upsertOf(document: StoredDocument, sourceKey: string): ConnectorItem {
	return {
		provider: FAKE_PROVIDER,
		external_id: document.id,
		source_key: sourceKey,
		name: nameOf(document.path),
		path: document.path,
		parents: [],
		mime: document.mime ?? null,
		size: document.size ?? null,
		modified_at: null,
		created_at: null,
		version: String(document.version),
		hash: null,
		url: null,
		change: 'upsert',
	};
}

function deletionOf(known: FakeSnapshot['known'][number], sourceKey: string): ConnectorItem {
	return {
		provider: FAKE_PROVIDER,
		external_id: known.id,
		source_key: sourceKey,
		name: nameOf(known.path),
		path: known.path,
		parents: [],
		mime: known.mime,
		size: null,
		modified_at: null,
		created_at: null,
		version: null,
		hash: null,
		url: null,
		change: 'deleted',
	};
}
