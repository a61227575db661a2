/** Plumbing shared by the fake Google and Notion servers: listening, logging, bodies, faults, rate limits. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
	method: string;
	/** Path without the query string, e.g. `/drive/v3/files`. */
	path: string;
	query: Record<string, string | string[]>;
	/** Lower-cased header names; `authorization` keeps only its scheme (`Bearer`, `Basic`). */
	headers: Record<string, string>;
	/** Parsed JSON or form body of POST requests. */
	body?: unknown;
	/** Response status; `0` when the fake dropped the connection. */
	status?: number;
	at: number;
}

export interface ServerContext {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	url: URL;
	log: LoggedRequest;
}

export type RequestHandler = (ctx: ServerContext) => Promise<void>;

export interface RunningServer {
	/** `http://127.0.0.1:PORT`, no trailing slash. */
	origin: string;
	close(): Promise<void>;
}

export interface RequestLog {
	readonly requests: LoggedRequest[];
	resetRequestLog(): void;
}

/**
 * Listens on an ephemeral loopback port. Every request is logged before the handler runs; an
 * exception in the handler becomes a 500 and is kept in `internalErrors` so tests can fail loudly
 * on bugs in the fake itself instead of seeing a confusing client error.
 */
export async function listen(
	handler: RequestHandler,
	requests: LoggedRequest[],
	internalErrors: string[],
	renderInternalError: (message: string) => { status: number; body: unknown },
): Promise<RunningServer> {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const log: LoggedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: queryRecord(url.searchParams),
			headers: loggedHeaders(req.headers),
			at: Date.now(),
		};
		requests.push(log);
		res.on('finish', () => {
			log.status = res.statusCode;
		});
		handler({ req, res, url, log }).catch((error: unknown) => {
			const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
			internalErrors.push(message);
			if (!res.headersSent) {
				const rendered = renderInternalError(`fake server bug: ${message.split('\n')[0]}`);
				sendJson(res, rendered.status, rendered.body);
			} else {
				res.destroy();
			}
		});
	});
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				// Clients keep sockets alive; without this, close() would wait for their idle timeout.
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of params) {
		const previous = out[key];
		if (previous === undefined) out[key] = value;
		else out[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
	}
	return out;
}

function loggedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : value;
		out[name] = name === 'authorization' ? text.split(' ')[0] : text;
	}
	return out;
}

export function sendJson(
	res: http.ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const payload = Buffer.from(JSON.stringify(body));
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=UTF-8',
		'Content-Length': String(payload.length),
		...headers,
	});
	res.end(payload);
}

export async function readBody(req: http.IncomingMessage, limitBytes = 5 * 1024 * 1024): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of req) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
		total += buffer.length;
		if (total > limitBytes) throw new Error(`request body over ${limitBytes} bytes`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `Authorization: Basic base64(id:secret)`. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
	const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function bearerToken(header: string | undefined): string | undefined {
	const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
	return match ? match[1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Fault injection

export interface FaultSpec {
	/** HTTP status to answer with (ignored when `reset` is set). */
	status?: number;
	/** Provider-specific reason/code; each fake picks a realistic default from the status. */
	reason?: string;
	message?: string;
	/** Seconds, sent as a `Retry-After` header. */
	retryAfter?: number;
	/** Destroy the socket without answering (a connection reset). */
	reset?: boolean;
	/** Answer `302 Found` with this `Location` (a misbehaving proxy, or a hijacked answer). */
	redirectTo?: string;
	/** Only requests whose path starts with this string (or matches this RegExp) fail. */
	path?: string | RegExp;
}

export class FaultQueue {
	private readonly pending: Array<{ spec: FaultSpec; remaining: number }> = [];

	add(count: number, spec: FaultSpec): void {
		if (count > 0) this.pending.push({ spec, remaining: count });
	}

	clear(): void {
		this.pending.length = 0;
	}

	/** The fault to apply to a request on `path`, consuming one use of it. */
	take(path: string): FaultSpec | undefined {
		const entry = this.pending.find(({ spec }) => pathMatches(spec.path, path));
		if (!entry) return undefined;
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.pending.splice(this.pending.indexOf(entry), 1);
		return entry.spec;
	}
}

function pathMatches(filter: string | RegExp | undefined, path: string): boolean {
	if (filter === undefined) return true;
	return typeof filter === 'string' ? path.startsWith(filter) : filter.test(path);
}

/** Token bucket: `ratePerSecond` tokens per second, holding at most `burst`. Real time, not the fakes' clocks. */
export class TokenBucket {
	private tokens: number;
	private last = performance.now();

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
	) {
		this.tokens = burst;
	}

	/** Takes a token, or says how long until one is available. */
	take(): { ok: true } | { ok: false; retryAfterMs: number } {
		const now = performance.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
		this.last = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return { ok: true };
		}
		return { ok: false, retryAfterMs: ((1 - this.tokens) / this.ratePerSecond) * 1000 };
	}
}

// ---------------------------------------------------------------------------------------------
// Deterministic clock and ids

/** A settable clock: the fakes stamp every mutation with it, so timestamps are reproducible. */
export class FakeClock {
	private ms: number;

	constructor(startIso: string) {
		this.ms = parseIso(startIso);
	}

	now(): number {
		return this.ms;
	}

	iso(): string {
		return new Date(this.ms).toISOString();
	}

	set(iso: string): void {
		this.ms = parseIso(iso);
	}

	advance(ms: number): void {
		this.ms += ms;
	}
}

function parseIso(iso: string): number {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) throw new Error(`not an ISO timestamp: ${iso}`);
	return ms;
}
