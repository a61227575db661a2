/**
 * A strict fake of Microsoft Graph v1.0 (the OneDrive and SharePoint parts the connector reads)
 * and of the Microsoft identity platform's token endpoint, on one loopback HTTP server.
 *
 *   const graph = await startFakeGraph();
 *   const { access_token } = graph.issueTokens();
 *   const folder = graph.addFolder({ name: 'Reports' });
 *   graph.addFile({ name: 'q1.docx', parent: folder.id, content: 'PK…' });
 *   await fetch(`${graph.origin}/v1.0/me/drive/root/children?$select=id,name`, { headers: { Authorization: `Bearer ${access_token}` } });
 *   await graph.close();
 */
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';

import { GraphModel, quickXorHash, type FakeDrive, type FakeItem, type GraphModelOptions } from './graphModel';
import {
	FaultQueue,
	TokenBucket,
	basicCredentials,
	bearerToken,
	listen,
	readBody,
	sendJson,
	sleep,
	type FaultSpec,
	type LoggedRequest,
	type RequestLog,
	type RunningServer,
	type ServerContext,
} from './http';

export interface FakeGraphOptions extends GraphModelOptions {
	/** Added to every request (benchmarks use 50). */
	latencyMs?: number;
	/** More than `requestsPerSecond` Graph requests (burst `burst`) answer 429 with Retry-After. */
	rateLimit?: { requestsPerSecond: number; burst?: number };
	clientId?: string;
	clientSecret?: string;
	/** The directory tenant's id; `common` and `organizations` are accepted too. */
	tenantId?: string;
}

export interface GraphFaultSpec extends FaultSpec {
	/** Graph's error code; a realistic one per status by default. */
	code?: string;
}

export interface IssuedTokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	token_type: 'Bearer';
	scope: string;
}

const ACCESS_TOKEN_LIFETIME_S = 3599;
const GRANTED_SCOPE = 'https://graph.microsoft.com/Files.Read.All https://graph.microsoft.com/Sites.Read.All https://graph.microsoft.com/User.Read';
const DEFAULT_PAGE = 200;
const MAX_PAGE = 999;
/** What Graph's `?format=pdf` converts (its documented source formats). */
const PDF_SOURCES = new Set(['doc', 'docx', 'dot', 'dotx', 'dotm', 'dsn', 'dwg', 'eml', 'epub', 'htm', 'html', 'markdown', 'msg', 'odp', 'ods', 'odt', 'pps', 'ppsx', 'ppt', 'pptx', 'rtf', 'tif', 'tiff', 'xls', 'xlsm', 'xlsx']);

/** Properties `$select` accepts per type; any other name is Graph's 400. */
const SELECTABLE: Readonly<Record<string, ReadonlySet<string>>> = {
	driveItem: new Set(['id', 'name', 'size', 'createdDateTime', 'lastModifiedDateTime', 'eTag', 'cTag', 'webUrl', 'webDavUrl', 'description', 'parentReference', 'file', 'folder', 'package', 'root', 'deleted', 'createdBy', 'lastModifiedBy', 'fileSystemInfo', 'shared', 'specialFolder', 'remoteItem', 'image', 'photo', 'video', 'audio', 'sharepointIds', 'searchResult', 'malware', 'bundle', 'content']),
	drive: new Set(['id', 'name', 'driveType', 'webUrl', 'createdDateTime', 'lastModifiedDateTime', 'description', 'owner', 'quota', 'sharePointIds', 'system']),
	site: new Set(['id', 'displayName', 'name', 'webUrl', 'createdDateTime', 'lastModifiedDateTime', 'description', 'siteCollection', 'root', 'sharepointIds']),
	user: new Set(['id', 'displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'jobTitle', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'businessPhones']),
};

class GraphApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

const DEFAULT_CODES: Record<number, [string, string]> = {
	400: ['invalidRequest', 'Invalid request'],
	401: ['InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'],
	403: ['accessDenied', 'Access denied'],
	404: ['itemNotFound', 'The resource could not be found.'],
	429: ['activityLimitReached', 'The request has been throttled'],
	500: ['generalException', 'An unspecified error has occurred.'],
	502: ['BadGateway', 'Bad Gateway'],
	503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please try again later.'],
	504: ['GatewayTimeout', 'Gateway Timeout'],
};

function faultError(spec: GraphFaultSpec): GraphApiError {
	const status = spec.status ?? 503;
	const [code, message] = DEFAULT_CODES[status] ?? ['generalException', 'An unspecified error has occurred.'];
	const headers: Record<string, string> = spec.retryAfter !== undefined ? { 'Retry-After': String(spec.retryAfter) } : {};
	return new GraphApiError(status, spec.code ?? spec.reason ?? code, spec.message ?? message, headers);
}

const notFound = (): GraphApiError => new GraphApiError(404, 'itemNotFound', 'The resource could not be found.');
const badRequest = (message: string, code = 'BadRequest'): GraphApiError => new GraphApiError(400, code, message);

interface DeltaToken {
	drive: string;
	/** Changes after this sequence number. */
	since: number;
	/** …and up to this one (set when a feed starts, so its pages agree). */
	until?: number;
	offset?: number;
	/** A full enumeration (delta without a token) in progress. */
	full?: boolean;
}

/** The query of one request, read strictly: every parameter must be one the route knows. */
class Query {
	constructor(
		private readonly search: URLSearchParams,
		allowed: readonly string[],
	) {
		for (const name of new Set(search.keys())) {
			if (!allowed.includes(name)) {
				throw name.startsWith('$')
					? badRequest(`Query option '${name}' is not allowed. To get the list of allowed query options, see the documentation of the API.`)
					: badRequest(`Unrecognized query argument specified: '${name}'.`, 'invalidRequest');
			}
			if (search.getAll(name).length > 1) throw badRequest(`Query option '${name}' was specified more than once, it must be specified at most once.`);
		}
	}

	get(name: string): string | undefined {
		return this.search.get(name) ?? undefined;
	}

	/** The `$select` list checked against the type's properties; null without `$select` (every default property). */
	select(type: keyof typeof SELECTABLE): string[] | null {
		const raw = this.search.get('$select');
		if (raw === null) return null;
		const names = raw.split(',').map((name) => name.trim());
		for (const name of names) {
			if (!SELECTABLE[type].has(name)) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`);
		}
		return names;
	}

	top(): number {
		const raw = this.search.get('$top');
		if (raw === null) return DEFAULT_PAGE;
		const value = Number(raw);
		if (!/^\d+$/.test(raw) || value < 1 || value > MAX_PAGE) throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE} inclusive.`, 'invalidRequest');
		return value;
	}
}

function project(resource: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
	if (select === null) return resource;
	const out: Record<string, unknown> = {};
	for (const name of select) if (resource[name] !== undefined) out[name] = resource[name];
	return out;
}

export class FakeGraph extends GraphModel implements RequestLog {
	readonly requests: LoggedRequest[] = [];
	readonly internalErrors: string[] = [];
	origin = '';
	/** `POST` here for tokens, as the credential's Access Token URL (tenant `common`). */
	tokenUrl = '';
	authUrl = '';
	tokenRefreshCount = 0;
	/** 429s answered by the rate limit. */
	throttledCount = 0;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly tenantId: string;

	private latencyMs: number;
	private readonly faults = new FaultQueue();
	private rateLimit?: TokenBucket;
	private oldestValidDelta = 0;
	private readonly deltaDenied = new Set<string>();
	private server?: RunningServer;
	private readonly accessTokens = new Map<string, { expiresAt: number; revoked: boolean }>();
	private readonly refreshTokens = new Map<string, { revoked: boolean }>();
	private readonly codes = new Map<string, string>();

	constructor(options: FakeGraphOptions = {}) {
		super(options);
		this.latencyMs = options.latencyMs ?? 0;
		this.clientId = options.clientId ?? 'fake-entra-client-id';
		this.clientSecret = options.clientSecret ?? 'fake-entra-client-secret';
		this.tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
		if (options.rateLimit) this.setRateLimit(options.rateLimit);
	}

	async start(): Promise<void> {
		this.server = await listen((ctx) => this.handle(ctx), this.requests, this.internalErrors, (message) => ({
			status: 500,
			body: errorBody(new GraphApiError(500, 'generalException', message)),
		}));
		this.origin = this.server.origin;
		this.tokenUrl = `${this.origin}/common/oauth2/v2.0/token`;
		this.authUrl = `${this.origin}/common/oauth2/v2.0/authorize`;
	}

	async close(): Promise<void> {
		await this.server?.close();
	}

	// --- tokens --------------------------------------------------------------------------------

	issueTokens(): IssuedTokens {
		const refresh = `M.C5${randomBytes(24).toString('base64url')}`;
		this.refreshTokens.set(refresh, { revoked: false });
		return { access_token: this.newAccessToken(), refresh_token: refresh, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'Bearer', scope: GRANTED_SCOPE };
	}

	/** Registers tokens chosen by the test (e.g. already written into an n8n credential). */
	seedTokens(tokens: { accessToken?: string; refreshToken?: string; expiresInSeconds?: number }): void {
		if (tokens.refreshToken) this.refreshTokens.set(tokens.refreshToken, { revoked: false });
		if (tokens.accessToken) this.accessTokens.set(tokens.accessToken, { expiresAt: Date.now() + (tokens.expiresInSeconds ?? ACCESS_TOKEN_LIFETIME_S) * 1000, revoked: false });
	}

	/** Every access token issued so far answers 401; refresh tokens keep working. */
	expireAccessTokens(): void {
		for (const record of this.accessTokens.values()) record.expiresAt = 0;
	}

	/** An authorization code for the consent flow, as the authorize endpoint hands out. */
	createAuthorizationCode(): string {
		const code = `M.R3_${randomBytes(16).toString('base64url')}`;
		this.codes.set(code, code);
		return code;
	}

	// --- faults --------------------------------------------------------------------------------

	/** The next `count` Graph requests (matching `spec.path`) fail as `spec` says. */
	failNext(count: number, spec: GraphFaultSpec = {}): void {
		this.faults.add(count, spec);
	}

	setRateLimit(limit: { requestsPerSecond: number; burst?: number } | null): void {
		this.rateLimit = limit === null ? undefined : new TokenBucket(limit.requestsPerSecond, limit.burst ?? limit.requestsPerSecond);
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	/** The drive's change feed answers 403 `accessDenied`, as another person's OneDrive does to an account a folder of it is shared with. */
	denyDelta(driveId: string): void {
		this.deltaDenied.add(driveId);
	}

	/** Every delta link handed out so far answers 410 `resyncRequired`, as after a long pause or a service-side reset. */
	expireDeltaTokens(): void {
		this.oldestValidDelta = this.sequence;
	}

	resetRequestLog(): void {
		this.requests.length = 0;
	}

	/** Logged Graph API requests (`/v1.0/…`), downloads and token requests left out. */
	graphRequests(): LoggedRequest[] {
		return this.requests.filter((request) => request.path.startsWith('/v1.0/'));
	}

	// --- HTTP ----------------------------------------------------------------------------------

	private async handle(ctx: ServerContext): Promise<void> {
		const { req, res, url } = ctx;
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		try {
			if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) return await this.tokenEndpoint(ctx);
			if (/^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(url.pathname)) return this.authorizeEndpoint(ctx);
			if (url.pathname.startsWith('/download/')) return this.download(ctx);
			if (!url.pathname.startsWith('/v1.0/')) throw new GraphApiError(404, 'UnknownError', 'Resource not found for the segment.');
			const fault = this.faults.take(url.pathname);
			if (fault?.reset) {
				ctx.log.status = 0;
				req.socket.destroy();
				return;
			}
			if (fault) throw faultError(fault);
			this.applyRateLimit();
			this.authenticate(req);
			if (req.method !== 'GET') throw new GraphApiError(403, 'accessDenied', 'Either scp or roles claim need to be present in the token with write permissions.');
			this.route(ctx, url.pathname.slice('/v1.0'.length));
		} catch (error) {
			if (!(error instanceof GraphApiError)) throw error;
			sendJson(res, error.status, errorBody(error), error.headers);
		}
	}

	private applyRateLimit(): void {
		if (!this.rateLimit) return;
		const taken = this.rateLimit.take();
		if (taken.ok) return;
		this.throttledCount++;
		throw faultError({ status: 429, retryAfter: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) });
	}

	private authenticate(req: http.IncomingMessage): void {
		const token = bearerToken(req.headers.authorization);
		if (token === undefined) {
			throw new GraphApiError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'WWW-Authenticate': 'Bearer realm=""' });
		}
		const record = this.accessTokens.get(token);
		if (!record || record.revoked || record.expiresAt <= Date.now()) {
			throw new GraphApiError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', {
				'WWW-Authenticate': 'Bearer realm="", error="invalid_token", error_description="The access token has expired"',
			});
		}
	}

	private route(ctx: ServerContext, path: string): void {
		const search = ctx.url.searchParams;
		const segments = path.split('/').slice(1).map(decodeURIComponent);
		if (path === '/me') return this.respond(ctx, project(this.userResource(), new Query(search, ['$select']).select('user')));
		if (path === '/sites') return this.sitesSearch(ctx);

		let drive: FakeDrive;
		let rest: string[];
		if (segments[0] === 'me' && segments[1] === 'drive') {
			drive = this.myDrive;
			rest = segments.slice(2);
		} else if (segments[0] === 'drives' && segments[1]) {
			drive = this.driveOrThrow(segments[1]);
			rest = segments.slice(2);
		} else if (segments[0] === 'sites' && segments[1]) {
			const site = this.sites.get(segments[1]);
			if (!site) throw new GraphApiError(404, 'itemNotFound', 'Requested site could not be found');
			if (segments.length === 2) return this.respond(ctx, project(this.siteResource(site.id), new Query(search, ['$select']).select('site')));
			if (segments[2] === 'drives' && segments.length === 3) {
				const query = new Query(search, ['$select', '$top', '$skiptoken']);
				return this.page(ctx, query, `drives:${site.id}`, site.driveIds.map((id) => project(this.driveResource(this.drives.get(id) as FakeDrive), query.select('drive'))));
			}
			if (segments[2] === 'drive') {
				drive = this.drives.get(site.driveIds[0]) as FakeDrive;
				rest = segments.slice(3);
			} else throw notFound();
		} else if (segments[0] === 'shares' && segments[1] && segments[2] === 'driveItem' && segments.length === 3) {
			const item = this.resolveShare(segments[1]);
			return this.respond(ctx, project(this.itemResource(item, true), new Query(search, ['$select']).select('driveItem')));
		} else {
			throw new GraphApiError(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`);
		}

		if (rest.length === 0) return this.respond(ctx, project(this.driveResource(drive), new Query(search, ['$select']).select('drive')));
		let item: FakeItem;
		let tail: string[];
		if (rest[0] === 'root') {
			item = this.items.get(drive.rootId) as FakeItem;
			tail = rest.slice(1);
		} else if (rest[0] === 'items' && rest[1]) {
			item = this.itemIn(drive, rest[1]);
			tail = rest.slice(2);
		} else throw badRequest(`Resource not found for the segment '${rest[0]}'.`);

		if (tail.length === 0) return this.respond(ctx, project(this.itemResource(item, true), new Query(search, ['$select']).select('driveItem')));
		if (tail.length > 1) throw badRequest(`Resource not found for the segment '${tail[1]}'.`);
		const [action] = tail;
		if (action === 'children') return this.childrenPage(ctx, item);
		if (action === 'content') return this.content(ctx, item);
		if (action === 'delta') return this.delta(ctx, drive, item);
		const searchCall = /^search\(q='((?:[^']|'')*)'\)$/.exec(action);
		if (searchCall) return this.searchItems(ctx, drive, item, searchCall[1].replace(/''/g, "'"));
		throw badRequest(`Resource not found for the segment '${action}'.`);
	}

	private childrenPage(ctx: ServerContext, folder: FakeItem): void {
		if (folder.kind !== 'folder' && folder.kind !== 'root') throw badRequest('The request is not valid: the item is not a folder.', 'invalidRequest');
		const query = new Query(ctx.url.searchParams, ['$select', '$top', '$skiptoken']);
		const select = query.select('driveItem');
		const children = this.children(folder.id).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
		this.page(ctx, query, `children:${folder.id}`, children.map((child) => project(this.itemResource(child, true), select)));
	}

	private searchItems(ctx: ServerContext, drive: FakeDrive, scope: FakeItem, text: string): void {
		if (scope.kind !== 'root') throw badRequest('Search is only supported on the root of a drive in this fake.', 'invalidRequest');
		const query = new Query(ctx.url.searchParams, ['$select', '$top', '$skiptoken']);
		const select = query.select('driveItem');
		const needle = text.toLowerCase();
		const hits = [...this.items.values()].filter((item) => item.driveId === drive.id && !item.deleted && item.kind !== 'root' && item.name.toLowerCase().includes(needle));
		this.page(ctx, query, `search:${drive.id}:${text}`, hits.map((item) => project(this.itemResource(item, true), select)));
	}

	private sitesSearch(ctx: ServerContext): void {
		const query = new Query(ctx.url.searchParams, ['search', '$select', '$top', '$skiptoken']);
		const text = query.get('search');
		if (text === undefined) throw badRequest("Listing sites needs a search: use /sites?search={query}, or search=* for every site.", 'invalidRequest');
		const needle = text === '*' ? '' : text.toLowerCase();
		const sites = [...this.sites.values()].filter((site) => `${site.displayName} ${site.name}`.toLowerCase().includes(needle));
		const select = query.select('site');
		this.page(ctx, query, `sites:${text}`, sites.map((site) => project(this.siteResource(site.id), select)));
	}

	/**
	 * A drive's changes. Without a token: every item (parents first), then a delta link. With
	 * `token=latest`: no items, the current delta link. With a token: every item changed since,
	 * once each in its latest state, deleted ones with the `deleted` facet, and the folders above
	 * each changed item (Graph sends those too); expired tokens answer 410 `resyncRequired`.
	 */
	private delta(ctx: ServerContext, drive: FakeDrive, scope: FakeItem): void {
		if (scope.kind !== 'root' && drive.driveType !== 'personal') {
			throw badRequest('Delta is only supported on the root folder of OneDrive for Business and SharePoint drives.', 'invalidRequest');
		}
		if (this.deltaDenied.has(drive.id)) throw new GraphApiError(403, 'accessDenied', 'Access denied');
		const query = new Query(ctx.url.searchParams, ['$select', '$top', 'token']);
		const select = query.select('driveItem');
		const top = query.top();
		const raw = query.get('token');
		if (raw === 'latest') return this.respond(ctx, { value: [], '@odata.deltaLink': this.deltaLink(drive, { drive: drive.id, since: this.sequence }) });
		const token: DeltaToken = raw === undefined ? { drive: drive.id, since: 0, full: true } : this.decodeDelta(raw, drive);
		if (token.since < this.oldestValidDelta && !token.full) {
			throw new GraphApiError(410, 'resyncRequired', "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd.", {
				Location: this.deltaLink(drive, { drive: drive.id, since: 0, full: true }),
			});
		}
		const until = token.until ?? this.sequence;
		const changed = token.full ? this.enumeration(drive) : this.changesBetween(drive, token.since, until);
		const offset = token.offset ?? 0;
		const slice = changed.slice(offset, offset + top);
		const value = slice.map((item) => project(item.deleted ? this.tombstone(item) : this.itemResource(item, false), select));
		const next = offset + top < changed.length;
		this.respond(ctx, {
			value,
			...(next
				? { '@odata.nextLink': this.deltaLink(drive, { ...token, until, offset: offset + top }) }
				: { '@odata.deltaLink': this.deltaLink(drive, { drive: drive.id, since: until }) }),
		});
	}

	private enumeration(drive: FakeDrive): FakeItem[] {
		const root = this.items.get(drive.rootId) as FakeItem;
		return [root, ...this.descendants(root.id)];
	}

	private changesBetween(drive: FakeDrive, since: number, until: number): FakeItem[] {
		const changed = [...this.items.values()]
			.filter((item) => item.driveId === drive.id && item.changedAt > since && item.changedAt <= until)
			.sort((left, right) => left.changedAt - right.changedAt);
		const out = new Map<string, FakeItem>();
		for (const item of changed) {
			if (!item.deleted) {
				const ancestors: FakeItem[] = [];
				for (let at = item.parentId === null ? undefined : this.items.get(item.parentId); at; at = at.parentId === null ? undefined : this.items.get(at.parentId)) ancestors.unshift(at);
				for (const ancestor of ancestors) if (!out.has(ancestor.id)) out.set(ancestor.id, ancestor);
			}
			out.delete(item.id);
			out.set(item.id, item);
		}
		return [...out.values()];
	}

	private deltaLink(drive: FakeDrive, token: DeltaToken): string {
		const path = drive.id === this.myDrive.id ? '/v1.0/me/drive/root/delta' : `/v1.0/drives/${drive.id}/root/delta`;
		return `${this.origin}${path}?token=${Buffer.from(JSON.stringify(token)).toString('base64url')}`;
	}

	private decodeDelta(raw: string, drive: FakeDrive): DeltaToken {
		try {
			const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaToken;
			if (token.drive === drive.id && typeof token.since === 'number') return token;
		} catch {
			// falls through to Graph's answer to a token it cannot read
		}
		throw badRequest('Invalid delta token.', 'invalidRequest');
	}

	/** `/content`: a 302 to a pre-authenticated download URL, as Graph answers; `?format=pdf` converts Office files. */
	private content(ctx: ServerContext, item: FakeItem): void {
		const query = new Query(ctx.url.searchParams, ['format']);
		const format = query.get('format');
		if (item.kind === 'folder' || item.kind === 'root') throw badRequest('The request is not valid: folders have no content.', 'invalidRequest');
		if (item.kind === 'notebook') throw new GraphApiError(404, 'itemNotFound', 'The item is a OneNote package, which has no content stream.');
		if (format !== undefined) {
			if (format !== 'pdf' && format !== 'html' && format !== 'jpg' && format !== 'glb') throw badRequest(`Format '${format}' is not supported.`, 'invalidRequest');
			const extension = /\.([^.]+)$/.exec(item.name)?.[1]?.toLowerCase() ?? '';
			if (format !== 'pdf' || !PDF_SOURCES.has(extension)) throw new GraphApiError(406, 'notSupported', `Conversion of ${extension || 'this file'} to ${format} is not supported.`);
		}
		const location = `${this.origin}/download/${item.id}?tempauth=${randomBytes(16).toString('base64url')}${format ? `&format=${format}` : ''}`;
		ctx.res.writeHead(302, { Location: location, 'Content-Length': '0' });
		ctx.res.end();
	}

	/** The pre-authenticated download: no Authorization needed (Graph's links carry their own). */
	private download(ctx: ServerContext): void {
		const id = ctx.url.pathname.slice('/download/'.length);
		const item = this.items.get(id);
		if (!item || item.deleted || !ctx.url.searchParams.get('tempauth')) throw new GraphApiError(404, 'itemNotFound', 'The resource could not be found.');
		const converted = ctx.url.searchParams.get('format') === 'pdf';
		const body = converted ? Buffer.concat([Buffer.from(`%PDF-1.7\n% converted from ${item.name}\n`), item.content]) : item.content;
		ctx.res.writeHead(200, {
			'Content-Type': converted ? 'application/pdf' : item.mimeType || 'application/octet-stream',
			'Content-Length': String(body.length),
		});
		ctx.res.end(body);
	}

	// --- resources -----------------------------------------------------------------------------

	private page(ctx: ServerContext, query: Query, signature: string, resources: Record<string, unknown>[]): void {
		const top = query.top();
		const offset = this.decodeSkip(query.get('$skiptoken'), signature);
		const slice = resources.slice(offset, offset + top);
		const next = offset + top < resources.length;
		const link = new URL(`${this.origin}${ctx.url.pathname}`);
		for (const [name, value] of ctx.url.searchParams) if (name !== '$select' && name !== '$skiptoken') link.searchParams.set(name, value);
		link.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ signature, offset: offset + top })).toString('base64url'));
		this.respond(ctx, { value: slice, ...(next ? { '@odata.nextLink': link.href } : {}) });
	}

	private decodeSkip(raw: string | undefined, signature: string): number {
		if (raw === undefined) return 0;
		try {
			const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { signature?: string; offset?: number };
			if (parsed.signature === signature && typeof parsed.offset === 'number') return parsed.offset;
		} catch {
			// falls through
		}
		throw badRequest('The $skiptoken is not valid for this request.', 'invalidRequest');
	}

	private respond(ctx: ServerContext, body: unknown): void {
		sendJson(ctx.res, 200, body, { 'request-id': randomBytes(8).toString('hex') });
	}

	private driveOrThrow(id: string): FakeDrive {
		const drive = this.drives.get(id);
		if (!drive) throw new GraphApiError(404, 'itemNotFound', 'The drive could not be found.');
		return drive;
	}

	private itemIn(drive: FakeDrive, id: string): FakeItem {
		const item = this.items.get(id);
		if (!item || item.deleted || item.driveId !== drive.id) throw notFound();
		return item;
	}

	private resolveShare(encoded: string): FakeItem {
		if (!encoded.startsWith('u!')) throw badRequest('The sharing token is not valid.', 'invalidRequest');
		const url = Buffer.from(encoded.slice(2), 'base64url').toString('utf8');
		if (/[=+/]/.test(encoded.slice(2))) throw badRequest('The sharing URL must be encoded as unpadded base64url.', 'invalidRequest');
		// Share links, and (as for SharePoint) the address of a library or an item itself.
		const library = [...this.drives.values()].find((drive) => drive.webUrl === url);
		const named = [...this.items.values()].find((candidate) => !candidate.deleted && candidate.kind !== 'root' && this.webUrlOf(candidate) === url);
		const id = this.shares.get(url) ?? library?.rootId ?? named?.id;
		const item = id === undefined ? undefined : this.items.get(id);
		if (!item || item.deleted) throw notFound();
		return item;
	}

	private userResource(): Record<string, unknown> {
		return { ...this.user, givenName: this.user.displayName.split(' ')[0], surname: this.user.displayName.split(' ').slice(1).join(' '), businessPhones: [] };
	}

	private driveResource(drive: FakeDrive): Record<string, unknown> {
		return {
			id: drive.id,
			name: drive.name,
			driveType: drive.driveType,
			webUrl: drive.webUrl,
			createdDateTime: drive.createdDateTime,
			owner: drive.siteId === null ? { user: { displayName: this.user.displayName, email: this.user.mail } } : { group: { displayName: drive.name } },
		};
	}

	private siteResource(id: string): Record<string, unknown> {
		const site = this.sites.get(id);
		if (!site) throw notFound();
		return { id: site.id, displayName: site.displayName, name: site.name, webUrl: site.webUrl, createdDateTime: site.createdDateTime };
	}

	/** A driveItem as Graph renders it; `withPath` adds parentReference.path, which delta leaves out. */
	private itemResource(item: FakeItem, withPath: boolean): Record<string, unknown> {
		const drive = this.drives.get(item.driveId) as FakeDrive;
		const parentReference: Record<string, unknown> = { driveId: drive.id, driveType: drive.driveType };
		if (item.parentId !== null) {
			parentReference.id = item.parentId;
			if (withPath) parentReference.path = this.pathOf(item);
		}
		if (drive.siteId !== null) parentReference.siteId = drive.siteId;
		const resource: Record<string, unknown> = {
			id: item.id,
			name: item.name,
			createdDateTime: item.createdDateTime,
			lastModifiedDateTime: item.lastModifiedDateTime,
			eTag: this.eTagOf(item),
			cTag: `"c:{${item.id}},${createHash('sha1').update(item.content).digest('hex').slice(0, 8)}"`,
			webUrl: item.kind === 'root' ? drive.webUrl : this.webUrlOf(item),
			parentReference,
			createdBy: { user: { displayName: this.user.displayName, email: this.user.mail } },
			lastModifiedBy: { user: { displayName: this.user.displayName, email: this.user.mail } },
			fileSystemInfo: { createdDateTime: item.createdDateTime, lastModifiedDateTime: item.lastModifiedDateTime },
		};
		if (item.kind === 'root') {
			resource.name = 'root';
			resource.root = {};
		}
		if (item.kind === 'root' || item.kind === 'folder') {
			resource.folder = { childCount: this.children(item.id).length };
			resource.size = this.descendants(item.id).reduce((sum, child) => sum + child.content.length, 0);
		}
		if (item.kind === 'notebook') {
			resource.package = { type: 'oneNote' };
			resource.size = 0;
		}
		if (item.kind === 'file') {
			const hashes: Record<string, string> = { quickXorHash: quickXorHash(item.content) };
			if (drive.driveType === 'personal') {
				hashes.sha1Hash = createHash('sha1').update(item.content).digest('hex').toUpperCase();
				hashes.sha256Hash = createHash('sha256').update(item.content).digest('hex').toUpperCase();
			}
			resource.file = { mimeType: item.mimeType, hashes };
			resource.size = item.content.length;
		}
		return resource;
	}

	/** A deleted item in a delta page: its id, its last parent and the `deleted` facet, little else (as in Business drives). */
	private tombstone(item: FakeItem): Record<string, unknown> {
		const drive = this.drives.get(item.driveId) as FakeDrive;
		return { id: item.id, deleted: { state: 'deleted' }, parentReference: { driveId: drive.id, driveType: drive.driveType, ...(item.parentId ? { id: item.parentId } : {}) } };
	}

	// --- identity platform ---------------------------------------------------------------------

	private newAccessToken(): string {
		const token = `eyJ0eXAiOiJKV1QiLCJub25jZSI6.${randomBytes(24).toString('base64url')}`;
		this.accessTokens.set(token, { expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000, revoked: false });
		return token;
	}

	private tenantOk(pathname: string): boolean {
		const tenant = pathname.split('/')[1];
		return tenant === 'common' || tenant === 'organizations' || tenant === this.tenantId;
	}

	private authorizeEndpoint(ctx: ServerContext): void {
		const { url, res } = ctx;
		const redirect = url.searchParams.get('redirect_uri');
		if (!this.tenantOk(url.pathname)) return sendJson(res, 400, identityError('invalid_tenant', 90002, `Tenant '${url.pathname.split('/')[1]}' not found.`));
		if (url.searchParams.get('client_id') !== this.clientId || !redirect) {
			return sendJson(res, 400, identityError('unauthorized_client', 700016, `Application with identifier '${url.searchParams.get('client_id') ?? ''}' was not found in the directory.`));
		}
		const target = new URL(redirect);
		target.searchParams.set('code', this.createAuthorizationCode());
		const state = url.searchParams.get('state');
		if (state !== null) target.searchParams.set('state', state);
		res.writeHead(302, { Location: target.href });
		res.end();
	}

	private async tokenEndpoint(ctx: ServerContext): Promise<void> {
		const { req, res, url } = ctx;
		if (req.method !== 'POST') return sendJson(res, 405, identityError('invalid_request', 900561, 'The endpoint only accepts POST requests.'));
		const form = Object.fromEntries(new URLSearchParams((await readBody(req)).toString('utf8')));
		ctx.log.body = { ...form, ...(form.client_secret ? { client_secret: '[redacted]' } : {}), ...(form.refresh_token ? { refresh_token: '[redacted]' } : {}), ...(form.code ? { code: '[redacted]' } : {}) };
		if (!this.tenantOk(url.pathname)) return sendJson(res, 400, identityError('invalid_tenant', 90002, `Tenant '${url.pathname.split('/')[1]}' not found.`));
		const basic = basicCredentials(req.headers.authorization);
		const clientId = basic?.id ?? form.client_id;
		const secret = basic?.secret ?? form.client_secret;
		if (clientId !== this.clientId) return sendJson(res, 400, identityError('unauthorized_client', 700016, `Application with identifier '${clientId ?? ''}' was not found in the directory.`));
		if (secret !== this.clientSecret) return sendJson(res, 401, identityError('invalid_client', 7000215, 'Invalid client secret provided.'));
		const issue = () => {
			const refresh = `M.C5${randomBytes(24).toString('base64url')}`;
			this.refreshTokens.set(refresh, { revoked: false });
			sendJson(res, 200, { token_type: 'Bearer', scope: GRANTED_SCOPE, expires_in: ACCESS_TOKEN_LIFETIME_S, ext_expires_in: ACCESS_TOKEN_LIFETIME_S, access_token: this.newAccessToken(), refresh_token: refresh }, { 'Cache-Control': 'no-store' });
		};
		if (form.grant_type === 'refresh_token') {
			const record = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
			if (!record || record.revoked) return sendJson(res, 400, identityError('invalid_grant', 70000, 'The provided grant is invalid or malformed.'));
			this.tokenRefreshCount++;
			return issue();
		}
		if (form.grant_type === 'authorization_code') {
			if (!form.code || !this.codes.delete(form.code)) return sendJson(res, 400, identityError('invalid_grant', 70000, 'The provided authorization code is invalid or has expired.'));
			return issue();
		}
		return sendJson(res, 400, identityError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type ?? ''}'.`));
	}
}

function errorBody(error: GraphApiError): unknown {
	return {
		error: {
			code: error.code,
			message: error.message,
			innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomBytes(16).toString('hex'), 'client-request-id': randomBytes(16).toString('hex') },
		},
	};
}

/** The identity platform's OAuth error: `AADSTS…` description, codes, trace ids. */
function identityError(error: string, code: number, description: string): unknown {
	return {
		error,
		error_description: `AADSTS${code}: ${description}`,
		error_codes: [code],
		timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
		trace_id: randomBytes(16).toString('hex'),
		correlation_id: randomBytes(16).toString('hex'),
	};
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
	const graph = new FakeGraph(options);
	await graph.start();
	return graph;
}
