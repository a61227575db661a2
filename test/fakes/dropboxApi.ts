/**
 * A strict fake of the Dropbox API v2 on two loopback servers, as Dropbox has two hosts: RPC routes
 * (JSON body in, JSON out) on the API server, content routes (`Dropbox-API-Arg` header in, bytes
 * and `Dropbox-API-Result` out) on the content server, and the OAuth2 token endpoint.
 *
 *   const dropbox = await startFakeDropbox();
 *   const { access_token } = dropbox.issueTokens();
 *   dropbox.addFolder('/Handbook'); dropbox.addFile('/Handbook/leave.md', '# Leave');
 *   // CONNECTORS_DROPBOX_API_URL=dropbox.apiUrl CONNECTORS_DROPBOX_CONTENT_URL=dropbox.contentUrl
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

import { DropboxModel, dropboxContentHash, type DropboxModelOptions, type DropboxNode } from './dropboxModel';
import {
	basicCredentials,
	bearerToken,
	FaultQueue,
	isRecord,
	listen,
	readBody,
	sendJson,
	sleep,
	TokenBucket,
	type FaultSpec,
	type LoggedRequest,
	type RequestLog,
	type RunningServer,
	type ServerContext,
} from './http';

export interface FakeDropboxOptions extends DropboxModelOptions {
	latencyMs?: number;
	/** Entries per list_folder page unless the request's `limit` is smaller (Dropbox sends pages of up to ~2000). */
	pageSize?: number;
	clientId?: string;
	clientSecret?: string;
}

export interface IssuedDropboxTokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	token_type: 'bearer';
	scope: string;
	account_id: string;
	uid: string;
}

/** Read-only scopes the connector asks for. */
export const DROPBOX_READ_SCOPES = 'account_info.read files.content.read files.metadata.read';
const ACCESS_TOKEN_LIFETIME_S = 14_400;

/** An answer other than success: a 400 in Dropbox's plain text, or a JSON error with `error_summary`. */
class DropboxFault extends Error {
	constructor(
		readonly status: number,
		readonly body: string | { error_summary: string; error: unknown },
		readonly headers: Record<string, string> = {},
	) {
		super(typeof body === 'string' ? body : body.error_summary);
	}
}

/** A route error (409): `tags` like ['path', 'not_found'] become `path/not_found/..` and the nested `.tag` union. */
function routeError(...tags: string[]): DropboxFault {
	let error: Record<string, unknown> = { '.tag': tags[tags.length - 1] };
	for (let index = tags.length - 2; index >= 0; index--) error = { '.tag': tags[index], [tags[index]]: error };
	return new DropboxFault(409, { error_summary: `${tags.join('/')}/..`, error });
}

function badRequest(route: string, detail: string): DropboxFault {
	return new DropboxFault(400, `Error in call to API function "${route}": ${detail}`);
}

// --- argument schemas ---------------------------------------------------------------------------

type FieldType = 'string' | 'boolean' | 'uint' | 'object';
interface Field {
	type: FieldType;
	required?: boolean;
	pattern?: RegExp;
	/** Dropbox's spelling of the pattern in its error text. */
	patternText?: string;
	min?: number;
	max?: number;
}

const LIST_PATH = { type: 'string', required: true, pattern: /^((\/(.|[\r\n])*)?|id:.*|(ns:[0-9]+(\/.*)?))$/, patternText: '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)' } as const;
const LOOKUP_PATH = { type: 'string', required: true, pattern: /^((\/(.|[\r\n])*|id:.*)|(rev:[0-9a-z]+)|(ns:[0-9]+(\/.*)?))$/, patternText: '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-z]+)|(ns:[0-9]+(/.*)?)' } as const;

const SCHEMAS: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
	'files/list_folder': {
		path: LIST_PATH,
		recursive: { type: 'boolean' },
		include_media_info: { type: 'boolean' },
		include_deleted: { type: 'boolean' },
		include_has_explicit_shared_members: { type: 'boolean' },
		include_mounted_folders: { type: 'boolean' },
		limit: { type: 'uint', min: 1, max: 2000 },
		shared_link: { type: 'object' },
		include_property_groups: { type: 'object' },
		include_non_downloadable_files: { type: 'boolean' },
	},
	'files/list_folder/continue': { cursor: { type: 'string', required: true, min: 1 } },
	'files/get_metadata': {
		path: LOOKUP_PATH,
		include_media_info: { type: 'boolean' },
		include_deleted: { type: 'boolean' },
		include_has_explicit_shared_members: { type: 'boolean' },
		include_property_groups: { type: 'object' },
	},
	'sharing/get_shared_link_metadata': { url: { type: 'string', required: true }, path: { type: 'string' }, link_password: { type: 'string' } },
	'files/download': { path: LOOKUP_PATH, rev: { type: 'string' } },
	'files/export': { path: LOOKUP_PATH, export_format: { type: 'string' } },
};

const RPC_ROUTES = new Set(['files/list_folder', 'files/list_folder/continue', 'files/get_metadata', 'sharing/get_shared_link_metadata', 'users/get_current_account']);
const CONTENT_ROUTES = new Set(['files/download', 'files/export']);
const RPC_CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack'];
const CONTENT_CONTENT_TYPES = ['text/plain', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/octet-stream; charset=utf-8'];

function validateArg(route: string, where: string, arg: unknown): Record<string, unknown> {
	const schema = SCHEMAS[route];
	if (!isRecord(arg)) throw badRequest(route, `${where}: expected object, got ${arg === null ? 'null' : typeof arg}`);
	for (const key of Object.keys(arg)) if (!(key in schema)) throw badRequest(route, `${where}: unknown field '${key}'`);
	for (const [key, field] of Object.entries(schema)) {
		const value = arg[key];
		if (value === undefined || value === null) {
			if (field.required) throw badRequest(route, `${where}: missing required field '${key}'`);
			continue;
		}
		const actual = typeof value === 'number' ? (Number.isInteger(value) && value >= 0 ? 'uint' : 'number') : isRecord(value) ? 'object' : typeof value;
		if (actual !== field.type) throw badRequest(route, `${where}: ${key}: expected ${field.type === 'uint' ? 'integer' : field.type}, got ${actual}`);
		if (typeof value === 'string' && field.pattern && !field.pattern.test(value)) {
			throw badRequest(route, `${where}: ${key}: '${value}' did not match pattern '${field.patternText}'`);
		}
		if (typeof value === 'string' && field.min !== undefined && value.length < field.min) throw badRequest(route, `${where}: ${key}: '' should be at least ${field.min} character`);
		if (typeof value === 'number' && ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max))) {
			throw badRequest(route, `${where}: ${key}: ${value} is not within range [${field.min}, ${field.max}]`);
		}
	}
	return arg;
}

interface CursorState {
	v: 1;
	/** The namespace the cursor was issued in (the path root), and the listed folder's id. */
	ns: string;
	folder: string;
	recursive: boolean;
	epoch: number;
	/** Changes after this sequence number are what the cursor has not yet reported. */
	seq: number;
	/** While the first listing pages: how many of its entries were sent. */
	offset?: number;
}

export class FakeDropbox extends DropboxModel implements RequestLog {
	apiUrl = '';
	contentUrl = '';
	/** Where n8n's OAuth2 credential exchanges codes and refresh tokens. */
	tokenUrl = '';
	/** A consent screen that approves at once, redirecting to `redirect_uri` with `code` and `state`. */
	authUrl = '';
	readonly clientId: string;
	readonly clientSecret: string;
	readonly requests: LoggedRequest[] = [];
	readonly internalErrors: string[] = [];
	tokenRefreshCount = 0;
	/** 429s the fake answered (faults and rate limit). */
	rateLimitedCount = 0;
	latencyMs: number;
	pageSize: number;

	private readonly faults = new FaultQueue();
	private bucket?: TokenBucket;
	private readonly accessTokens = new Map<string, { expiresAt: number; grant: string }>();
	private readonly refreshTokens = new Map<string, { grant: string; revoked: boolean }>();
	private readonly authCodes = new Map<string, { redirectUri?: string; used: boolean }>();
	private readonly sharedLinks = new Map<string, string>();
	private apiServer?: RunningServer;
	private contentServer?: RunningServer;

	constructor(options: FakeDropboxOptions = {}) {
		super(options);
		this.latencyMs = options.latencyMs ?? 0;
		this.pageSize = options.pageSize ?? 500;
		this.clientId = options.clientId ?? 'fake-dropbox-app-key';
		this.clientSecret = options.clientSecret ?? 'fake-dropbox-app-secret';
	}

	async start(): Promise<this> {
		const internal = (message: string) => ({ status: 500, body: { error_summary: 'internal_error/..', error: { '.tag': 'internal_error', message } } });
		this.apiServer = await listen((ctx) => this.handle(ctx, 'api'), this.requests, this.internalErrors, internal);
		this.contentServer = await listen((ctx) => this.handle(ctx, 'content'), this.requests, this.internalErrors, internal);
		this.apiUrl = this.apiServer.origin;
		this.contentUrl = this.contentServer.origin;
		this.tokenUrl = `${this.apiUrl}/oauth2/token`;
		this.authUrl = `${this.apiUrl}/oauth2/authorize`;
		return this;
	}

	async close(): Promise<void> {
		await Promise.all([this.apiServer?.close(), this.contentServer?.close()]);
	}

	/** Settings that point the connector at this fake. */
	get env(): { CONNECTORS_DROPBOX_API_URL: string; CONNECTORS_DROPBOX_CONTENT_URL: string } {
		return { CONNECTORS_DROPBOX_API_URL: this.apiUrl, CONNECTORS_DROPBOX_CONTENT_URL: this.contentUrl };
	}

	// --- tokens, links, faults, log ------------------------------------------------------------

	issueTokens(): IssuedDropboxTokens {
		const grant = randomBytes(6).toString('hex');
		const refreshToken = `fake-refresh-${randomBytes(18).toString('base64url')}`;
		this.refreshTokens.set(refreshToken, { grant, revoked: false });
		return {
			access_token: this.newAccessToken(grant),
			refresh_token: refreshToken,
			expires_in: ACCESS_TOKEN_LIFETIME_S,
			token_type: 'bearer',
			scope: DROPBOX_READ_SCOPES,
			account_id: this.accountId,
			uid: '12345',
		};
	}

	seedTokens(tokens: { accessToken?: string; refreshToken?: string }): void {
		const grant = randomBytes(6).toString('hex');
		if (tokens.refreshToken) this.refreshTokens.set(tokens.refreshToken, { grant, revoked: false });
		if (tokens.accessToken) this.accessTokens.set(tokens.accessToken, { grant, expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
	}

	/** Every access token so far answers 401 `expired_access_token`; refresh tokens keep working. */
	expireAccessTokens(): void {
		for (const record of this.accessTokens.values()) record.expiresAt = 0;
	}

	createAuthorizationCode(redirectUri?: string): string {
		const code = `fake-code-${randomBytes(12).toString('base64url')}`;
		this.authCodes.set(code, { redirectUri, used: false });
		return code;
	}

	/** A shared link (`https://www.dropbox.com/scl/fo/…?rlkey=…`) to a folder or file. */
	createSharedLink(path: string): string {
		const node = this.nodeAt(path);
		const link = `https://www.dropbox.com/scl/${node.kind === 'folder' ? 'fo' : 'fi'}/${randomBytes(9).toString('base64url')}/${encodeURIComponent(node.name)}?rlkey=${randomBytes(8).toString('hex')}`;
		this.sharedLinks.set(link, node.id);
		return link;
	}

	/**
	 * The next `count` requests (or those whose path starts with `spec.path`) fail: `{ status: 429,
	 * retryAfter }` (reason `too_many_requests`, or `reason: 'too_many_write_operations'`), `{ status: 503 }`,
	 * `{ reset: true }`.
	 */
	failNext(count: number, spec: FaultSpec): void {
		this.faults.add(count, spec);
	}

	/** A token bucket over every API request; beyond it 429 `too_many_requests` with Retry-After. */
	setRateLimit(limit: { requestsPerSecond: number; burst?: number } | null): void {
		this.bucket = limit ? new TokenBucket(limit.requestsPerSecond, limit.burst ?? limit.requestsPerSecond) : undefined;
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	resetRequestLog(): void {
		this.requests.length = 0;
	}

	/** Logged calls of one route, e.g. `files/list_folder/continue`. */
	calls(route: string): LoggedRequest[] {
		return this.requests.filter((request) => request.path === `/2/${route}`);
	}

	// --- HTTP ----------------------------------------------------------------------------------

	private async handle(ctx: ServerContext, host: 'api' | 'content'): Promise<void> {
		const { req, res, url } = ctx;
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		try {
			const fault = this.faults.take(url.pathname);
			if (fault?.reset) {
				ctx.log.status = 0;
				req.socket.destroy();
				return;
			}
			if (fault) throw this.faultAnswer(fault);
			if (host === 'api' && url.pathname === '/oauth2/token') return await this.tokenEndpoint(ctx);
			if (host === 'api' && url.pathname === '/oauth2/authorize') return this.authorizeEndpoint(ctx);

			const route = url.pathname.replace(/^\/2\//, '');
			const known = host === 'api' ? RPC_ROUTES.has(route) : CONTENT_ROUTES.has(route);
			if (!url.pathname.startsWith('/2/') || !known) throw new DropboxFault(400, `Unknown API function: "${route}"`);
			if (req.method !== 'POST') throw badRequest(route, `Expected POST, got ${req.method}.`);
			if (this.bucket) {
				const permit = this.bucket.take();
				if (!permit.ok) throw this.faultAnswer({ status: 429, retryAfter: Math.max(1, Math.ceil(permit.retryAfterMs / 1000)) });
			}
			this.authenticate(route, req);
			const base = this.pathRoot(route, req.headers['dropbox-api-path-root']);
			if (host === 'api') {
				const arg = await this.rpcArg(route, ctx);
				return sendJson(res, 200, this.rpc(route, arg, base));
			}
			const arg = await this.contentArg(route, ctx);
			return this.content(route, arg, base, res);
		} catch (error) {
			if (!(error instanceof DropboxFault)) throw error;
			if (typeof error.body === 'string') {
				res.writeHead(error.status, { 'Content-Type': 'text/plain; charset=utf-8', ...error.headers });
				res.end(error.body);
				return;
			}
			sendJson(res, error.status, error.body, error.headers);
		}
	}

	private faultAnswer(fault: FaultSpec): DropboxFault {
		const status = fault.status ?? 500;
		if (status === 429) {
			this.rateLimitedCount += 1;
			const retryAfter = fault.retryAfter ?? 1;
			const reason = fault.reason ?? 'too_many_requests';
			return new DropboxFault(429, { error_summary: `${reason}/..`, error: { reason: { '.tag': reason }, retry_after: retryAfter } }, { 'Retry-After': String(retryAfter) });
		}
		if (status === 409 && fault.reason) return routeError(...fault.reason.split('/'));
		if (status >= 500) return new DropboxFault(status, fault.message ?? 'Internal Server Error', fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {});
		return new DropboxFault(status, fault.message ?? `fault ${status}`);
	}

	private authenticate(route: string, req: http.IncomingMessage): void {
		const header = req.headers.authorization;
		if (!header) throw badRequest(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
		const token = bearerToken(header);
		if (!token) throw badRequest(route, 'Invalid authorization value in HTTP header "Authorization": "Bearer <token>" expected.');
		const record = this.accessTokens.get(token);
		if (!record) throw new DropboxFault(401, { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
		if (record.expiresAt <= Date.now()) throw new DropboxFault(401, { error_summary: 'expired_access_token/..', error: { '.tag': 'expired_access_token' } });
	}

	/** `Dropbox-API-Path-Root`: absent = home; `root` must name the current root namespace; `namespace_id` one the account can open. */
	private pathRoot(route: string, header: string | string[] | undefined): DropboxNode {
		if (header === undefined) return this.home;
		let parsed: unknown;
		try {
			parsed = JSON.parse(String(header));
		} catch {
			throw badRequest(route, `Invalid value in HTTP header "Dropbox-API-Path-Root": could not decode input as JSON`);
		}
		if (!isRecord(parsed)) throw badRequest(route, 'Invalid value in HTTP header "Dropbox-API-Path-Root": expected object');
		const tag = parsed['.tag'];
		if (tag === 'home' && Object.keys(parsed).length === 1) return this.home;
		const rootInfo = { '.tag': this.team ? 'team' : 'user', root_namespace_id: this.rootNamespaceId, home_namespace_id: this.homeNamespaceId };
		if (tag === 'root' && typeof parsed.root === 'string') {
			if (parsed.root !== this.rootNamespaceId) throw new DropboxFault(422, { error_summary: 'invalid_root/..', error: { '.tag': 'invalid_root', invalid_root: rootInfo } });
			return this.root;
		}
		if (tag === 'namespace_id' && typeof parsed.namespace_id === 'string') {
			const node = this.namespace(parsed.namespace_id);
			if (!node) throw new DropboxFault(422, { error_summary: 'no_permission/..', error: { '.tag': 'no_permission' } });
			return node;
		}
		throw badRequest(route, `Invalid value in HTTP header "Dropbox-API-Path-Root": unknown tag '${String(tag)}' or missing field`);
	}

	private async rpcArg(route: string, ctx: ServerContext): Promise<unknown> {
		const raw = (await readBody(ctx.req)).toString('utf8');
		const contentType = ctx.req.headers['content-type'];
		if (route === 'users/get_current_account') {
			// A route without arguments: no body, or the JSON `null`.
			if (raw === '' && contentType === undefined) return null;
			if (raw.trim() === 'null' && RPC_CONTENT_TYPES.includes(String(contentType).toLowerCase())) return null;
			throw badRequest(route, `request body: could not decode input as JSON`);
		}
		if (!RPC_CONTENT_TYPES.includes(String(contentType ?? '').toLowerCase())) {
			throw badRequest(route, `Bad HTTP "Content-Type" header: "${contentType ?? ''}".  Expecting one of ${RPC_CONTENT_TYPES.map((type) => `"${type}"`).join(', ')}.`);
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			throw badRequest(route, 'request body: could not decode input as JSON');
		}
		ctx.log.body = parsed;
		return validateArg(route, 'request body', parsed);
	}

	private async contentArg(route: string, ctx: ServerContext): Promise<Record<string, unknown>> {
		const body = await readBody(ctx.req);
		const contentType = ctx.req.headers['content-type'];
		if (contentType !== undefined && !CONTENT_CONTENT_TYPES.includes(contentType.toLowerCase())) {
			throw badRequest(route, `Bad HTTP "Content-Type" header: "${contentType}".  Expecting one of ${CONTENT_CONTENT_TYPES.map((type) => `"${type}"`).join(', ')}.`);
		}
		if (body.length > 0) throw badRequest(route, 'This function requires its argument in the HTTP header "Dropbox-API-Arg" and an empty body.');
		const header = ctx.req.headers['dropbox-api-arg'] ?? ctx.url.searchParams.get('arg') ?? undefined;
		if (header === undefined) throw badRequest(route, 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
		const text = String(header);
		// Node hands header bytes over as latin1: anything outside ASCII was not escaped as Dropbox requires.
		if (/[^\x20-\x7e]/.test(text)) throw badRequest(route, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw badRequest(route, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
		}
		ctx.log.body = parsed;
		return validateArg(route, 'HTTP header "Dropbox-API-Arg"', parsed);
	}

	// --- RPC routes ----------------------------------------------------------------------------

	private rpc(route: string, arg: unknown, base: DropboxNode): unknown {
		switch (route) {
			case 'users/get_current_account':
				return this.currentAccount();
			case 'files/get_metadata': {
				const { path } = arg as { path: string };
				if (path === '') throw badRequest(route, "request body: path: The root folder is unsupported.");
				const node = this.resolve(base, path);
				if (!node) throw routeError('path', 'not_found');
				return this.metadata(base, node);
			}
			case 'files/list_folder':
				return this.listFolder(arg as { path: string; recursive?: boolean; limit?: number }, base);
			case 'files/list_folder/continue':
				return this.listFolderContinue(route, (arg as { cursor: string }).cursor, base);
			case 'sharing/get_shared_link_metadata':
				return this.sharedLinkMetadata((arg as { url: string }).url);
		}
		throw new Error(`fake dropbox: no handler for ${route}`);
	}

	private currentAccount(): unknown {
		return {
			account_id: this.accountId,
			name: { given_name: 'Alice', surname: 'Smith', familiar_name: 'Alice', display_name: 'Alice Smith', abbreviated_name: 'AS' },
			email: this.email,
			email_verified: true,
			disabled: false,
			country: 'DE',
			locale: 'en',
			is_paired: false,
			account_type: { '.tag': this.team ? 'business' : 'basic' },
			root_info: this.team
				? { '.tag': 'team', root_namespace_id: this.rootNamespaceId, home_namespace_id: this.homeNamespaceId, home_path: this.pathOf(this.home) }
				: { '.tag': 'user', root_namespace_id: this.rootNamespaceId, home_namespace_id: this.homeNamespaceId },
			...(this.team ? { team: { id: this.team.id, name: this.team.name, sharing_policies: {}, office_addin_policy: { '.tag': 'disabled' } }, team_member_id: 'dbmid:fake' } : {}),
		};
	}

	/** A path relative to the path root, `id:…`, or `ns:<id>/path`. */
	private resolve(base: DropboxNode, path: string): DropboxNode | undefined {
		if (path.startsWith('id:')) {
			const node = this.findById(path);
			return node && (node === base || this.isBelow(node, base)) ? node : undefined;
		}
		const namespace = /^ns:([0-9]+)(\/.*)?$/.exec(path);
		if (namespace) {
			const root = this.namespace(namespace[1]);
			return root ? this.lookup(root, namespace[2] ?? '') : undefined;
		}
		return this.lookup(base, path);
	}

	private metadata(base: DropboxNode, node: DropboxNode): Record<string, unknown> {
		const path = this.pathIn(base, node) ?? '';
		const common = { name: node.name, path_lower: path.toLowerCase(), path_display: path, id: node.id };
		if (node.kind === 'folder') {
			const parentNamespace = node.parent ? this.namespaceOf(node.parent) : undefined;
			const sharing = node.namespaceId
				? { sharing_info: { read_only: false, shared_folder_id: node.namespaceId, traverse_only: false, no_access: false } }
				: parentNamespace && parentNamespace !== this.rootNamespaceId && parentNamespace !== this.homeNamespaceId
					? { sharing_info: { read_only: false, parent_shared_folder_id: parentNamespace, traverse_only: false, no_access: false } }
					: {};
			return { '.tag': 'folder', ...common, ...sharing };
		}
		return {
			'.tag': 'file',
			...common,
			client_modified: node.clientModified,
			server_modified: node.serverModified,
			rev: node.rev,
			size: node.content.length,
			is_downloadable: node.downloadable,
			...(node.kind === 'paper' ? { export_info: { export_as: 'html', export_options: ['html', 'markdown', 'plain_text'] } } : {}),
			content_hash: dropboxContentHash(node.content),
		};
	}

	private listFolder(arg: { path: string; recursive?: boolean; limit?: number; include_non_downloadable_files?: boolean }, base: DropboxNode): unknown {
		const folder = this.resolve(base, arg.path);
		if (!folder) throw routeError('path', 'not_found');
		if (folder.kind !== 'folder') throw routeError('path', 'not_folder');
		const cursor: CursorState = { v: 1, ns: this.namespaceOf(base), folder: folder.id, recursive: arg.recursive ?? false, epoch: this.cursorEpoch, seq: this.currentSeq, offset: 0 };
		return this.listingPage(cursor, base, arg.limit, arg.include_non_downloadable_files ?? true);
	}

	private listFolderContinue(route: string, raw: string, base: DropboxNode): unknown {
		let cursor: CursorState;
		try {
			cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as CursorState;
			if (cursor.v !== 1) throw new Error('version');
		} catch {
			throw badRequest(route, 'request body: cursor: invalid cursor');
		}
		if (cursor.epoch !== this.cursorEpoch) throw routeError('reset');
		// A cursor belongs to the path root it was issued under.
		if (cursor.ns !== this.namespaceOf(base)) throw routeError('path', 'not_found');
		return cursor.offset !== undefined ? this.listingPage(cursor, base, undefined, true) : this.changesPage(cursor, base);
	}

	private encodeCursor(cursor: CursorState): string {
		return Buffer.from(JSON.stringify(cursor)).toString('base64url');
	}

	/** The folder's entries now, parents before children (the folder itself first in a recursive listing of a non-root folder). */
	private listingPage(cursor: CursorState, base: DropboxNode, limit: number | undefined, includeNonDownloadable: boolean): unknown {
		const folder = this.findById(cursor.folder) ?? (cursor.folder === base.id ? base : undefined);
		if (!folder || (folder !== base && !this.isBelow(folder, base))) throw routeError('path', 'not_found');
		const nodes = cursor.recursive ? this.subtree(folder).filter((node) => node !== folder || this.pathIn(base, folder) !== '') : folder.children;
		const visible = nodes.filter((node) => includeNonDownloadable || node.kind === 'folder' || node.downloadable);
		const size = Math.min(this.pageSize, limit ?? Infinity);
		const offset = cursor.offset ?? 0;
		const page = visible.slice(offset, offset + size);
		const hasMore = offset + size < visible.length;
		const next: CursorState = hasMore ? { ...cursor, offset: offset + size } : { ...cursor, offset: undefined };
		return { entries: page.map((node) => this.metadata(base, node)), cursor: this.encodeCursor(next), has_more: hasMore };
	}

	/**
	 * Changes after the cursor under the listed folder: `deleted` entries in order, each changed node
	 * once with its latest metadata (at its last change); nodes gone since are covered by their `deleted` entry.
	 */
	private changesPage(cursor: CursorState, base: DropboxNode): unknown {
		const folder = this.findById(cursor.folder) ?? (cursor.folder === base.id ? base : undefined);
		if (!folder) throw routeError('path', 'not_found');
		const folderPath = this.pathOf(folder).toLowerCase();
		const within = (path: string): boolean => {
			const lower = path.toLowerCase();
			if (!lower.startsWith(`${folderPath}/`)) return false;
			return cursor.recursive || !lower.slice(folderPath.length + 1).includes('/');
		};
		const pending = this.changes.filter((change) => change.seq > cursor.seq);
		const lastUpsert = new Map<string, number>();
		for (const change of pending) if (change.kind === 'upsert') lastUpsert.set(change.id, change.seq);
		const entries: Array<{ seq: number; entry: Record<string, unknown> }> = [];
		for (const change of pending) {
			if (change.kind === 'deleted') {
				if (!within(change.path)) continue;
				const relative = this.pathOf(base) === '' ? change.path : change.path.slice(this.pathOf(base).length);
				entries.push({ seq: change.seq, entry: { '.tag': 'deleted', name: change.name, path_lower: relative.toLowerCase(), path_display: relative } });
				continue;
			}
			if (lastUpsert.get(change.id) !== change.seq) continue;
			const node = this.findById(change.id);
			if (!node || node === folder || !within(this.pathOf(node))) continue;
			entries.push({ seq: change.seq, entry: this.metadata(base, node) });
		}
		const page = entries.slice(0, this.pageSize);
		const hasMore = entries.length > page.length;
		const seq = hasMore ? page[page.length - 1].seq : Math.max(cursor.seq, this.currentSeq);
		return { entries: page.map(({ entry }) => entry), cursor: this.encodeCursor({ ...cursor, seq }), has_more: hasMore };
	}

	private sharedLinkMetadata(url: string): unknown {
		const id = this.sharedLinks.get(url);
		const node = id === undefined ? undefined : this.findById(id);
		if (!node) throw routeError('shared_link_not_found');
		const inHome = node === this.home || this.isBelow(node, this.home);
		const path = inHome ? (this.pathIn(this.home, node) ?? '') : undefined;
		return {
			'.tag': node.kind === 'folder' ? 'folder' : 'file',
			url,
			name: node.name,
			link_permissions: { can_revoke: false, resolved_visibility: { '.tag': 'team_only' }, revoke_failure_reason: { '.tag': 'owner_only' } },
			...(path !== undefined ? { id: node.id, path_lower: path.toLowerCase() } : {}),
			...(node.kind === 'folder' ? {} : { client_modified: node.clientModified, server_modified: node.serverModified, rev: node.rev, size: node.content.length }),
		};
	}

	// --- content routes ------------------------------------------------------------------------

	private content(route: string, arg: Record<string, unknown>, base: DropboxNode, res: http.ServerResponse): void {
		const node = this.resolve(base, String(arg.path));
		if (!node) throw routeError('path', 'not_found');
		if (node.kind === 'folder') throw routeError('path', 'not_file');
		const metadata = this.metadata(base, node);
		if (route === 'files/download') {
			if (!node.downloadable) throw routeError('unsupported_file');
			return this.sendContent(res, node.content, 'application/octet-stream', metadata);
		}
		if (node.kind !== 'paper') throw routeError('non_exportable');
		const format = typeof arg.export_format === 'string' ? arg.export_format : 'html';
		if (!['html', 'markdown', 'plain_text'].includes(format)) throw routeError('invalid_export_format');
		const markdown = node.content.toString('utf8');
		const exported =
			format === 'markdown' ? markdown : format === 'plain_text' ? markdown.replace(/^#+\s*/gm, '') : `<html><body><pre>${markdown.replace(/</g, '&lt;')}</pre></body></html>`;
		const extension = format === 'markdown' ? 'md' : format === 'plain_text' ? 'txt' : 'html';
		const bytes = Buffer.from(exported);
		const result = {
			export_metadata: { name: `${node.name.replace(/\.paper$/, '')}.${extension}`, size: bytes.length, export_hash: dropboxContentHash(bytes), paper_revision: 1 },
			file_metadata: metadata,
		};
		return this.sendContent(res, bytes, 'application/octet-stream', result);
	}

	private sendContent(res: http.ServerResponse, bytes: Buffer, contentType: string, result: unknown): void {
		// Header values must be ASCII: Dropbox escapes everything else in the JSON.
		const header = JSON.stringify(result).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
		res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), 'Dropbox-API-Result': header });
		res.end(bytes);
	}

	// --- OAuth2 --------------------------------------------------------------------------------

	private async tokenEndpoint(ctx: ServerContext): Promise<void> {
		const { req, res } = ctx;
		const raw = (await readBody(req)).toString('utf8');
		const body = Object.fromEntries(new URLSearchParams(raw));
		ctx.log.body = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, ['client_secret', 'refresh_token', 'code'].includes(key) ? '<redacted>' : value]));
		const fail = (status: number, error: string, description: string) => sendJson(res, status, { error, error_description: description });
		const basic = basicCredentials(req.headers.authorization);
		const clientId = basic?.id ?? body.client_id;
		const clientSecret = basic?.secret ?? body.client_secret;
		if (clientId !== this.clientId || clientSecret !== this.clientSecret) return fail(400, 'invalid_client', 'Invalid client_id or client_secret');
		if (body.grant_type === 'refresh_token') {
			const record = this.refreshTokens.get(body.refresh_token ?? '');
			if (!record || record.revoked) return fail(400, 'invalid_grant', 'refresh token is invalid or revoked');
			this.tokenRefreshCount += 1;
			// Dropbox's refresh answers carry no new refresh token: the offline one stays valid.
			return sendJson(res, 200, { access_token: this.newAccessToken(record.grant), token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_S });
		}
		if (body.grant_type === 'authorization_code') {
			const code = this.authCodes.get(body.code ?? '');
			if (!code || code.used) return fail(400, 'invalid_grant', 'code doesn\'t exist or has expired');
			if (code.redirectUri !== undefined && code.redirectUri !== body.redirect_uri) return fail(400, 'invalid_grant', 'redirect_uri mismatch');
			code.used = true;
			return sendJson(res, 200, this.issueTokens());
		}
		return fail(400, 'unsupported_grant_type', `grant_type "${body.grant_type ?? ''}" is not supported`);
	}

	private authorizeEndpoint(ctx: ServerContext): void {
		const params = ctx.url.searchParams;
		const redirectUri = params.get('redirect_uri');
		if (params.get('client_id') !== this.clientId || !redirectUri || params.get('response_type') !== 'code') {
			ctx.res.writeHead(400, { 'Content-Type': 'text/plain' });
			ctx.res.end('Invalid client_id, redirect_uri or response_type');
			return;
		}
		// Without offline access Dropbox issues no refresh token; the fake insists on it.
		if (params.get('token_access_type') !== 'offline') {
			ctx.res.writeHead(400, { 'Content-Type': 'text/plain' });
			ctx.res.end('token_access_type=offline expected: scheduled runs need a refresh token');
			return;
		}
		const target = new URL(redirectUri);
		target.searchParams.set('code', this.createAuthorizationCode(redirectUri));
		const state = params.get('state');
		if (state !== null) target.searchParams.set('state', state);
		ctx.res.writeHead(302, { Location: target.toString() });
		ctx.res.end();
	}

	private newAccessToken(grant: string): string {
		const token = `sl.fake-${randomBytes(24).toString('base64url')}`;
		this.accessTokens.set(token, { grant, expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
		return token;
	}
}

export async function startFakeDropbox(options: FakeDropboxOptions = {}): Promise<FakeDropbox> {
	return await new FakeDropbox(options).start();
}
