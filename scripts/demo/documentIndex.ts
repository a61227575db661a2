import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One document as the example workflows send it: metadata plus the exported file. */
export interface IndexedDocument {
	id: string;
	provider: string;
	source: string;
	name: string;
	path: string;
	url: string | null;
	mime: string;
	bytes: number;
	content_hash: string | null;
	/** Who may read it, as the connector listed it (null when the listing carried none). */
	permissions: unknown[] | null;
	/** The first characters of text content, for people looking at the index. */
	preview: string;
	indexed_at: string;
}

export interface IndexStats {
	documents: number;
	upserts: number;
	/** PATCHes that changed a document's name, path or permissions without sending its content again. */
	metadataUpdates: number;
	deletes: number;
	/** Requests answered 500 on purpose (see `failRequests`). */
	failed: number;
	/** Requests the index refused as malformed (400). */
	rejected: number;
}

/**
 * A small document API standing in for a search index or a RAG store, in memory:
 *
 *   POST   /documents       multipart: `metadata` (JSON with at least `id`) and `file`
 *   PATCH  /documents/:id   JSON: `name`, `path`, `url`, `permissions` — the metadata alone, content kept
 *   DELETE /documents/:id
 *   GET    /documents       what the index holds
 *   GET    /stats           counts
 *
 * Upserts, metadata updates and deletes are idempotent, as an index fed at-least-once must be.
 */
export class DocumentIndex {
	readonly documents = new Map<string, IndexedDocument>();
	readonly stats: IndexStats = { documents: 0, upserts: 0, metadataUpdates: 0, deletes: 0, failed: 0, rejected: 0 };
	/** Answers this many of the next POST/PATCH/DELETE requests with 500 once `failAfter` more have succeeded. */
	private failure = { after: 0, count: 0 };
	/** Milliseconds each POST waits before it is stored and answered (see `delayWrites`). */
	private writeDelayMs = 0;
	/** POSTs received and not yet answered. */
	pendingWrites = 0;
	private server?: http.Server;
	url = '';

	constructor(private readonly port = 0) {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				send(res, 500, { error: error instanceof Error ? error.message : String(error) });
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.port, '127.0.0.1', resolve);
		});
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/documents`;
		return this;
	}

	/** Lets `after` more writes succeed, then answers the `count` following ones with 500. */
	failRequests(count: number, after = 0): void {
		this.failure = { after, count };
	}

	/** Holds each POST for `ms` before storing and answering it: an index under load, for tests that stop a sender mid-way. */
	delayWrites(ms: number): void {
		this.writeDelayMs = ms;
	}

	list(): IndexedDocument[] {
		return [...this.documents.values()].sort((a, b) => a.path.localeCompare(b.path));
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private takeFailure(): boolean {
		if (this.failure.after > 0) {
			this.failure.after--;
			return false;
		}
		if (this.failure.count > 0) {
			this.failure.count--;
			this.stats.failed++;
			return true;
		}
		return false;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://index');
		const body = await readBody(req);
		if (req.method === 'GET' && url.pathname === '/stats') return send(res, 200, this.stats);
		if (req.method === 'GET' && url.pathname === '/documents') return send(res, 200, this.list());
		if (req.method === 'POST' && url.pathname === '/documents') {
			if (this.writeDelayMs > 0) {
				this.pendingWrites++;
				await new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
				this.pendingWrites--;
			}
			if (this.takeFailure()) return send(res, 500, { error: 'index unavailable' });
			const document = await parseDocument(req.headers['content-type'], body);
			if ('error' in document) {
				this.stats.rejected++;
				return send(res, 400, document);
			}
			this.documents.set(document.id, document);
			this.stats.upserts++;
			this.stats.documents = this.documents.size;
			return send(res, 200, { indexed: document.id, bytes: document.bytes });
		}
		const match = /^\/documents\/(.+)$/.exec(url.pathname);
		if (req.method === 'PATCH' && match) {
			if (this.takeFailure()) return send(res, 500, { error: 'index unavailable' });
			const id = decodeURIComponent(match[1]);
			const existing = this.documents.get(id);
			if (existing === undefined) return send(res, 404, { error: `no document ${id}: send it with POST first` });
			const update = parseMetadataUpdate(req.headers['content-type'], body);
			if ('error' in update) {
				this.stats.rejected++;
				return send(res, 400, update);
			}
			this.documents.set(id, { ...existing, ...update, indexed_at: new Date().toISOString() });
			this.stats.metadataUpdates++;
			return send(res, 200, { updated: id });
		}
		if (req.method === 'DELETE' && match) {
			if (this.takeFailure()) return send(res, 500, { error: 'index unavailable' });
			const id = decodeURIComponent(match[1]);
			const existed = this.documents.delete(id);
			this.stats.deletes++;
			this.stats.documents = this.documents.size;
			return send(res, 200, { deleted: id, existed });
		}
		send(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
	}
}

async function parseDocument(contentType: string | undefined, body: Buffer): Promise<IndexedDocument | { error: string }> {
	if (!contentType?.startsWith('multipart/form-data')) return { error: 'expected multipart/form-data' };
	const form = await new Request('http://index/documents', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
	const metadataField = form.get('metadata');
	const file = form.get('file');
	if (typeof metadataField !== 'string') return { error: 'the form field "metadata" (JSON) is missing' };
	if (file === null || typeof file === 'string') return { error: 'the form field "file" is missing or not a file' };
	let metadata: Record<string, unknown>;
	try {
		metadata = JSON.parse(metadataField) as Record<string, unknown>;
	} catch {
		return { error: '"metadata" is not JSON' };
	}
	if (typeof metadata.id !== 'string' || metadata.id === '') return { error: '"metadata.id" is missing' };
	const bytes = Buffer.from(await file.arrayBuffer());
	const mime = file.type || 'application/octet-stream';
	const text = /^text\/|json|csv|markdown/.test(mime) ? bytes.toString('utf8').replace(/^\uFEFF/, '') : '';
	return {
		id: metadata.id,
		provider: String(metadata.provider ?? ''),
		source: String(metadata.source ?? ''),
		name: String(metadata.name ?? file.name),
		path: String(metadata.path ?? ''),
		url: typeof metadata.url === 'string' ? metadata.url : null,
		mime,
		bytes: bytes.length,
		content_hash: typeof metadata.content_hash === 'string' ? metadata.content_hash : null,
		permissions: Array.isArray(metadata.permissions) ? (metadata.permissions as unknown[]) : null,
		preview: text.replace(/\s+/g, ' ').trim().slice(0, 120),
		indexed_at: new Date().toISOString(),
	};
}

/** A PATCH body: the metadata fields it names, nothing else (the content stays as it was indexed). */
function parseMetadataUpdate(contentType: string | undefined, body: Buffer): Partial<IndexedDocument> | { error: string } {
	if (!contentType?.startsWith('application/json')) return { error: 'expected application/json' };
	let fields: Record<string, unknown>;
	try {
		fields = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
	} catch {
		return { error: 'the body is not JSON' };
	}
	const update: Partial<IndexedDocument> = {};
	if (typeof fields.name === 'string') update.name = fields.name;
	if (typeof fields.path === 'string') update.path = fields.path;
	if (typeof fields.url === 'string') update.url = fields.url;
	if (Array.isArray(fields.permissions)) update.permissions = fields.permissions as unknown[];
	if (Object.keys(update).length === 0) return { error: 'nothing to update: send name, path, url or permissions' };
	return update;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
	if (res.headersSent) return;
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
