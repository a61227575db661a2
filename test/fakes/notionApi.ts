/**
 * A strict fake of the Notion API, version 2025-09-03 (databases hold data sources), on a loopback port.
 *
 *   const notion = await startFakeNotion({ requestsPerSecond: Infinity });
 *   const page = notion.addPage({ title: 'Handbook', children: [b.heading(1, 'Welcome'), b.paragraph('Hi')] });
 *   const client = new Client({ auth: notion.token, baseUrl: notion.url, notionVersion: '2025-09-03' });
 *   await client.blocks.children.list({ block_id: page.id });
 *   await notion.close();
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { compileFilter, compileSorts, FilterError, type RowView } from './notionFilter';
import { NotionModel, normalizeId, plainText, type Json, type NotionModelOptions, type NotionPage } from './notionModel';
import {
	FaultQueue,
	TokenBucket,
	basicCredentials,
	bearerToken,
	isRecord,
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

import { blocksToEnhancedMarkdown, blockToEnhancedMarkdown, type MarkdownBlock } from './notionMarkdown';

export const NOTION_VERSION = '2025-09-03';

export interface FakeNotionOptions extends NotionModelOptions {
	/** Blocks one `GET /v1/pages/{id}/markdown` answer holds before it is `truncated` (default 1000). */
	markdownMaxBlocks?: number;
	/** Average requests per second per integration before 429s (default 3, like Notion); `Infinity` disables. */
	requestsPerSecond?: number;
	/** Requests allowed back to back before the average applies (default twice the rate). */
	burst?: number;
	latencyMs?: number;
	/** Public-integration OAuth client credentials. */
	clientId?: string;
	clientSecret?: string;
}

class NotionApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

const validation = (message: string): NotionApiError => new NotionApiError(400, 'validation_error', message);
const invalidUrl = (): NotionApiError => new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
const notShared = (kind: string, id: string): NotionApiError =>
	new NotionApiError(
		404,
		'object_not_found',
		`Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
	);

function faultError(spec: FaultSpec): NotionApiError {
	const status = spec.status ?? 503;
	const codes: Record<number, [string, string]> = {
		400: ['validation_error', 'Validation failed.'],
		401: ['unauthorized', 'API token is invalid.'],
		409: ['conflict_error', 'Conflict occurred while saving. Please try again.'],
		429: ['rate_limited', 'You have been rate limited. Please try again in a few minutes.'],
		500: ['internal_server_error', 'Unexpected error occurred.'],
		502: ['bad_gateway', 'Bad gateway.'],
		503: ['service_unavailable', 'Notion is unavailable, please try again later.'],
		504: ['gateway_timeout', 'Notion timed out while processing the request.'],
	};
	const [code, message] = codes[status] ?? ['internal_server_error', 'Unexpected error occurred.'];
	const headers: Record<string, string> = spec.retryAfter !== undefined ? { 'Retry-After': String(spec.retryAfter) } : {};
	return new NotionApiError(status, spec.reason ?? code, spec.message ?? message, headers);
}

const SEARCH_BODY = ['query', 'filter', 'sort', 'start_cursor', 'page_size'];
const QUERY_BODY = ['filter', 'sorts', 'start_cursor', 'page_size', 'in_trash', 'archived', 'result_type'];

export class FakeNotion extends NotionModel implements RequestLog {
	/** Base URL for `new Client({ baseUrl })`: `http://127.0.0.1:PORT`, no trailing slash. */
	url = '';
	/** Public-integration consent screen: approves at once and redirects with `code` and `state`. */
	authUrl = '';
	tokenUrl = '';
	/** An internal-integration token that is valid from the start. */
	readonly token: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly requests: LoggedRequest[] = [];
	/** Bugs in the fake itself (exceptions in handlers); tests may assert it stays empty. */
	readonly internalErrors: string[] = [];
	/** Requests answered 429 by the rate limiter (not by `failNext`). */
	rateLimitedCount = 0;
	/** Successful `grant_type=refresh_token` exchanges. */
	tokenRefreshCount = 0;
	latencyMs: number;

	/** Blocks one Markdown answer holds; the rest come back as `<unknown>` with their ids in `unknown_block_ids`. */
	markdownMaxBlocks: number;
	/** Pages whose Markdown the integration may not read (403 `restricted_resource`), for the block-walk fallback. */
	readonly markdownForbidden = new Set<string>();
	private readonly faults = new FaultQueue();
	private bucket?: TokenBucket;
	private readonly accessTokens = new Map<string, { revoked: boolean }>();
	private readonly refreshTokens = new Map<string, { revoked: boolean }>();
	private readonly authCodes = new Map<string, { redirectUri?: string; used: boolean }>();
	private server?: RunningServer;

	constructor(options: FakeNotionOptions = {}) {
		super(options);
		this.latencyMs = options.latencyMs ?? 0;
		this.markdownMaxBlocks = options.markdownMaxBlocks ?? 1000;
		this.clientId = options.clientId ?? this.newId();
		this.clientSecret = options.clientSecret ?? `secret_${randomBytes(20).toString('hex')}`;
		this.token = this.issueToken();
		this.setRateLimit(options.requestsPerSecond ?? 3, options.burst);
	}

	async start(): Promise<this> {
		this.server = await listen(
			(ctx) => this.handle(ctx),
			this.requests,
			this.internalErrors,
			(message) => ({ status: 500, body: errorBody(new NotionApiError(500, 'internal_server_error', message)) }),
		);
		this.url = this.server.origin;
		this.baseUrl = this.url;
		this.authUrl = `${this.url}/v1/oauth/authorize`;
		this.tokenUrl = `${this.url}/v1/oauth/token`;
		return this;
	}

	async close(): Promise<void> {
		await this.server?.close();
	}

	// --- tokens --------------------------------------------------------------------------------

	/** A new bearer token for this integration. */
	issueToken(): string {
		const token = `ntn_${randomBytes(23).toString('hex')}`;
		this.accessTokens.set(token, { revoked: false });
		return token;
	}

	revokeToken(token: string): void {
		const record = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
		if (record) record.revoked = true;
	}

	/** Every access token issued so far (including `token`) now answers 401. */
	expireAccessTokens(): void {
		for (const record of this.accessTokens.values()) record.revoked = true;
	}

	/** An authorization code for `POST /v1/oauth/token` (bound to `redirectUri` when given). */
	createAuthorizationCode(redirectUri?: string): string {
		const code = randomUUID();
		this.authCodes.set(code, { redirectUri, used: false });
		return code;
	}

	/** Registers a refresh token chosen by the test. */
	seedRefreshToken(refreshToken: string): void {
		this.refreshTokens.set(refreshToken, { revoked: false });
	}

	// --- faults, limits, log -----------------------------------------------------------------

	/** The next `count` requests (optionally only under `spec.path`) fail: `{ status: 503 }`, `{ reset: true }`… */
	failNext(count: number, spec: FaultSpec): void {
		this.faults.add(count, spec);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	setRateLimit(requestsPerSecond: number, burst?: number): void {
		this.bucket = Number.isFinite(requestsPerSecond)
			? new TokenBucket(requestsPerSecond, burst ?? Math.max(1, Math.ceil(requestsPerSecond * 2)))
			: undefined;
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	resetRequestLog(): void {
		this.requests.length = 0;
	}

	/** Logged requests to the API proper (`/v1/…` except OAuth). */
	apiRequests(): LoggedRequest[] {
		return this.requests.filter((request) => request.path.startsWith('/v1/') && !request.path.startsWith('/v1/oauth/'));
	}

	// --- HTTP ----------------------------------------------------------------------------------

	private async handle(ctx: ServerContext): Promise<void> {
		const { req, res, url } = ctx;
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		const requestId = randomUUID();
		try {
			const fault = this.faults.take(url.pathname);
			if (fault?.reset) {
				ctx.log.status = 0;
				req.socket.destroy();
				return;
			}
			if (fault) throw faultError(fault);
			if (url.pathname.startsWith('/s3/')) return this.serveSignedFile(ctx);
			if (url.pathname === '/v1/oauth/authorize') return this.authorizeEndpoint(ctx);
			if (url.pathname === '/v1/oauth/token') return await this.tokenEndpoint(ctx, requestId);
			if (url.pathname === '/v1/oauth/revoke') return await this.revokeEndpoint(ctx, requestId);

			const version = req.headers['notion-version'];
			if (version === undefined) {
				throw new NotionApiError(
					400,
					'missing_version',
					'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
				);
			}
			if (version !== NOTION_VERSION) {
				throw validation(`The fake Notion API only implements Notion-Version ${NOTION_VERSION}; got ${String(version)}.`);
			}
			const token = bearerToken(req.headers.authorization);
			if (!token || this.accessTokens.get(token)?.revoked !== false) {
				throw new NotionApiError(401, 'unauthorized', 'API token is invalid.');
			}
			if (this.bucket) {
				const taken = this.bucket.take();
				if (!taken.ok) {
					this.rateLimitedCount += 1;
					throw new NotionApiError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
						'Retry-After': String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))),
					});
				}
			}
			const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
			ctx.log.body = body;
			const result = this.route(req.method ?? 'GET', url, body);
			sendJson(res, 200, { ...result, request_id: requestId }, this.dateHeader());
		} catch (error) {
			if (!(error instanceof NotionApiError)) throw error;
			sendJson(res, error.status, errorBody(error, requestId), { ...this.dateHeader(), ...error.headers });
		}
	}

	/** Like every HTTP server, Notion dates its answers; here on the fake clock that stamps edits. */
	private dateHeader(): Record<string, string> {
		return { Date: new Date(this.clock.now()).toUTCString() };
	}

	private route(method: string, url: URL, body: Json | undefined): Json {
		const segments = url.pathname.split('/').slice(2).map(decodeURIComponent);
		const [collection, rawId, sub, extra] = segments;
		if (extra !== undefined) throw invalidUrl();
		const get = method === 'GET';
		const post = method === 'POST';
		switch (collection) {
			case 'users':
				if (get && rawId === 'me' && sub === undefined) return this.renderUser(this.bot);
				if (get && rawId === undefined) return this.listUsers(url.searchParams);
				if (get && rawId !== undefined && sub === undefined) return this.getUser(rawId);
				break;
			case 'search':
				if (post && rawId === undefined) return this.search(body ?? {});
				break;
			case 'pages':
				if (get && rawId !== undefined && sub === undefined) return this.getPage(rawId, url.searchParams);
				if (get && rawId !== undefined && sub === 'markdown') return this.getPageMarkdown(rawId, url.searchParams);
				break;
			case 'blocks':
				if (get && rawId !== undefined && sub === undefined) return this.getBlock(rawId);
				if (get && rawId !== undefined && sub === 'children') return this.listChildren(rawId, url.searchParams);
				break;
			case 'databases':
				if (get && rawId !== undefined && sub === undefined) return this.getDatabase(rawId);
				break;
			case 'data_sources':
				if (get && rawId !== undefined && sub === undefined) return this.getDataSource(rawId);
				if (post && rawId !== undefined && sub === 'query') return this.queryDataSource(rawId, body ?? {}, url.searchParams);
				break;
		}
		throw invalidUrl();
	}

	private pathId(raw: string, name: string): string {
		const id = normalizeId(raw);
		if (!id) throw validation(`path failed validation: path.${name} should be a valid uuid, instead was \`"${raw}"\`.`);
		return id;
	}

	private getUser(raw: string): Json {
		const id = this.pathId(raw, 'user_id');
		const user = this.allUsers().find((candidate) => candidate.id === id);
		if (!user) throw new NotionApiError(404, 'object_not_found', `Could not find user with ID: ${id}.`);
		return this.renderUser(user);
	}

	private listUsers(params: URLSearchParams): Json {
		const users = this.allUsers().map((user) => ({ id: user.id, item: this.renderUser(user) }));
		return paginate(users, queryPageSize(params), params.get('start_cursor') ?? undefined, 'user');
	}

	private getPage(raw: string, params: URLSearchParams): Json {
		const id = this.pathId(raw, 'page_id');
		const kind = this.kindOf(id);
		if (kind === undefined || !this.isVisible(id) || kind === 'block' || kind === 'data_source') throw notShared('page', id);
		if (kind === 'database') {
			throw validation(`Provided ID ${id} is a database, not a page. Use the retrieve database API instead.`);
		}
		const filter = params.getAll('filter_properties');
		return this.renderPage(this.page(id), filter.length > 0 ? filter : undefined);
	}

	/**
	 * A page's content as enhanced Markdown; a block id from an earlier `unknown_block_ids` answers
	 * with that block's subtree. Truncated past `markdownMaxBlocks` blocks.
	 */
	private getPageMarkdown(raw: string, params: URLSearchParams): Json {
		const id = this.pathId(raw, 'page_id');
		for (const key of params.keys()) {
			if (key !== 'include_transcript') throw validation(`query.${key} should be not present, instead was \`${params.get(key)}\`.`);
		}
		const kind = this.kindOf(id);
		if (kind === undefined || kind === 'data_source' || kind === 'database' || !this.isVisible(id)) throw notShared('page', id);
		const pageId = kind === 'page' ? id : this.pageOfBlock(id);
		if (pageId !== undefined && this.markdownForbidden.has(pageId)) {
			throw new NotionApiError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
		}
		const pageUrl = pageId !== undefined ? String((this.renderPage(this.page(pageId)) as { url: string }).url) : '';
		const options = { pageUrl, maxBlocks: this.markdownMaxBlocks };
		const answer =
			kind === 'page'
				? blocksToEnhancedMarkdown(this.markdownTree(id), options)
				: blockToEnhancedMarkdown({ block: this.renderBlock(id) as unknown as MarkdownBlock['block'], children: this.markdownTree(id) }, options);
		return { object: 'page_markdown', id, markdown: answer.markdown, truncated: answer.truncated, unknown_block_ids: answer.unknownBlockIds };
	}

	/** The blocks under `id` with their children; child pages and databases are links, not descended into. */
	private markdownTree(id: string): MarkdownBlock[] {
		return this.childIds(id).map((childId) => {
			const block = this.renderBlock(childId) as unknown as MarkdownBlock['block'];
			const leaf = block.type === 'child_page' || block.type === 'child_database';
			return { block, children: leaf ? [] : this.markdownTree(childId) };
		});
	}

	private pageOfBlock(id: string): string | undefined {
		let current: string | undefined = id;
		for (let depth = 0; current !== undefined && depth < 1000; depth += 1) {
			if (this.kindOf(current) === 'page') return current;
			const block = this.renderBlock(current) as { parent?: { page_id?: string; block_id?: string } };
			current = block.parent?.page_id ?? block.parent?.block_id;
		}
		return undefined;
	}

	private getBlock(raw: string): Json {
		const id = this.pathId(raw, 'block_id');
		const kind = this.kindOf(id);
		if (kind === undefined || kind === 'data_source' || !this.isVisible(id)) throw notShared('block', id);
		return this.renderBlock(id);
	}

	private listChildren(raw: string, params: URLSearchParams): Json {
		const id = this.pathId(raw, 'block_id');
		const kind = this.kindOf(id);
		if (kind === undefined || kind === 'data_source' || !this.isVisible(id)) throw notShared('block', id);
		const pageSize = queryPageSize(params);
		const children = this.childIds(id);
		// Block cursors are the id of the next block, as in the real API.
		return paginate(
			children.map((child) => ({ id: child, item: () => this.renderBlock(child) })),
			pageSize,
			params.get('start_cursor') ?? undefined,
			'block',
		);
	}

	private getDatabase(raw: string): Json {
		const id = this.pathId(raw, 'database_id');
		const kind = this.kindOf(id);
		if (kind === undefined || !this.isVisible(id) || kind === 'block') throw notShared('database', id);
		if (kind === 'page') throw validation(`Provided ID ${id} is a page, not a database. Use the retrieve page API instead.`);
		if (kind === 'data_source') {
			throw validation(`Provided ID ${id} is a data source, not a database. Use the retrieve data source API instead.`);
		}
		return this.renderDatabase(this.database(id));
	}

	private dataSourceId(raw: string): string {
		const id = this.pathId(raw, 'data_source_id');
		const kind = this.kindOf(id);
		if (kind === undefined || !this.isVisible(id) || kind === 'block' || kind === 'page') throw notShared('data_source', id);
		if (kind === 'database') {
			throw validation(
				`Provided ID ${id} is a database, not a data source. With Notion-Version ${NOTION_VERSION}, list its data sources with the retrieve database API.`,
			);
		}
		return id;
	}

	private getDataSource(raw: string): Json {
		return this.renderDataSource(this.dataSource(this.dataSourceId(raw)));
	}

	private queryDataSource(raw: string, body: Json, params: URLSearchParams): Json {
		const dataSource = this.dataSource(this.dataSourceId(raw));
		rejectUnknownKeys(body, QUERY_BODY);
		const pageSize = bodyPageSize(body.page_size);
		const includeTrash = body.in_trash === true || body.archived === true;
		const filterProperties = params.getAll('filter_properties');
		try {
			const schema = dataSource.schema;
			const predicate = body.filter === undefined ? () => true : compileFilter(body.filter, schema);
			const compare = compileSorts(body.sorts, schema);
			const rows = dataSource.rowIds
				.map((id) => this.page(id))
				.filter((page) => includeTrash || (!page.archived && !page.in_trash))
				.map((page) => ({ page, view: rowView(page) }))
				.filter(({ view }) => predicate(view))
				.sort((a, b) => compare(a.view, b.view));
			return {
				...paginate(
					rows.map(({ page }) => ({
						id: page.id,
						item: () => this.renderPage(page, filterProperties.length > 0 ? filterProperties : undefined),
					})),
					pageSize,
					bodyCursor(body.start_cursor),
					'page_or_data_source',
				),
			};
		} catch (error) {
			if (error instanceof FilterError) throw validation(error.message);
			throw error;
		}
	}

	private search(body: Json): Json {
		rejectUnknownKeys(body, SEARCH_BODY);
		const pageSize = bodyPageSize(body.page_size);
		if (body.query !== undefined && typeof body.query !== 'string') {
			throw validation('body failed validation: body.query should be a string.');
		}
		const query = String(body.query ?? '').toLowerCase();
		let objectFilter: string | undefined;
		// `in_trash: true` switches the search to trashed results only; it never mixes them with live ones.
		let inTrash = false;
		if (body.filter !== undefined) {
			const filter = body.filter;
			if (!isRecord(filter)) throw validation('body failed validation: body.filter should be an object.');
			if (filter.in_trash !== undefined && typeof filter.in_trash !== 'boolean') {
				throw validation('body failed validation: body.filter.in_trash should be a boolean.');
			}
			inTrash = filter.in_trash === true;
			const standaloneTrash = filter.property === undefined && filter.value === undefined && filter.in_trash !== undefined;
			if (!standaloneTrash) {
				if (filter.property !== 'object') {
					throw validation('body failed validation: body.filter.property should be `"object"`.');
				}
				if (filter.value !== 'page' && filter.value !== 'data_source') {
					throw validation(
						`body failed validation: body.filter.value should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(filter.value)}\`.`,
					);
				}
				objectFilter = filter.value;
			}
			const unknown = Object.keys(filter).filter((key) => !['property', 'value', 'in_trash'].includes(key));
			if (unknown.length > 0) throw validation(`body failed validation: body.filter.${unknown[0]} should be not present.`);
		}
		let direction = -1;
		if (body.sort !== undefined) {
			const sort = body.sort;
			if (!isRecord(sort) || sort.timestamp !== 'last_edited_time' || !['ascending', 'descending'].includes(String(sort.direction))) {
				throw validation(
					'body failed validation: body.sort should be `{ "timestamp": "last_edited_time", "direction": "ascending" | "descending" }`.',
				);
			}
			direction = sort.direction === 'ascending' ? 1 : -1;
		}
		const matches = (title: string): boolean => query === '' || title.toLowerCase().includes(query);
		const results: Array<{ id: string; edited: string; item: () => Json }> = [];
		if (objectFilter !== 'data_source') {
			for (const page of this.allPages()) {
				if (!this.isVisible(page.id) || !matches(this.pageTitle(page))) continue;
				if (inTrash ? !(page.archived || page.in_trash) : this.isGone(page.id)) continue;
				results.push({ id: page.id, edited: page.last_edited_time, item: () => this.renderPage(page) });
			}
		}
		if (objectFilter !== 'page') {
			for (const dataSource of this.allDataSources()) {
				const database = this.database(dataSource.databaseId);
				if (!this.isVisible(dataSource.id)) continue;
				if (inTrash ? !(database.archived || database.in_trash) : this.isGone(database.id)) continue;
				if (!matches(dataSource.name) && !matches(plainText(database.title))) continue;
				results.push({
					id: dataSource.id,
					edited: dataSource.last_edited_time,
					item: () => this.renderDataSource(dataSource),
				});
			}
		}
		results.sort((a, b) => direction * a.edited.localeCompare(b.edited) || a.id.localeCompare(b.id));
		return paginate(results, pageSize, bodyCursor(body.start_cursor), 'page_or_data_source');
	}

	private serveSignedFile(ctx: ServerContext): void {
		const [, , , key] = ctx.url.pathname.split('/');
		const signature = ctx.url.searchParams.get('X-Amz-Signature') ?? '';
		const resolved = this.resolveSignedFile(key ?? '', signature);
		if ('error' in resolved) {
			const message = resolved.error === 'expired' ? 'Request has expired' : 'The request signature we calculated does not match the signature you provided.';
			const code = resolved.error === 'expired' ? 'AccessDenied' : 'SignatureDoesNotMatch';
			const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
			ctx.res.writeHead(403, { 'Content-Type': 'application/xml' });
			ctx.res.end(xml);
			return;
		}
		const { content, contentType } = resolved.file;
		ctx.res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(content.length) });
		ctx.res.end(content);
	}

	// --- OAuth ---------------------------------------------------------------------------------

	private authorizeEndpoint(ctx: ServerContext): void {
		const params = ctx.url.searchParams;
		const redirectUri = params.get('redirect_uri');
		if (params.get('client_id') !== this.clientId || !redirectUri) {
			sendJson(ctx.res, 400, { error: 'invalid_request', error_description: 'client_id or redirect_uri is wrong' });
			return;
		}
		const target = new URL(redirectUri);
		target.searchParams.set('code', this.createAuthorizationCode(redirectUri));
		const state = params.get('state');
		if (state !== null) target.searchParams.set('state', state);
		ctx.res.writeHead(302, { Location: target.toString() });
		ctx.res.end();
	}

	private async tokenEndpoint(ctx: ServerContext, requestId: string): Promise<void> {
		const { req, res } = ctx;
		const oauthError = (status: number, error: string, description: string): void =>
			sendJson(res, status, { error, error_description: description, request_id: requestId });
		if (req.method !== 'POST') return oauthError(400, 'invalid_request', 'POST only');
		const body = await readFormOrJson(req);
		ctx.log.body = { ...body, code: body.code && '<redacted>', refresh_token: body.refresh_token && '<redacted>' };
		// Notion takes client credentials only from a Basic header.
		const client = basicCredentials(req.headers.authorization);
		if (!client || client.id !== this.clientId || client.secret !== this.clientSecret) {
			return oauthError(401, 'invalid_client', 'Client authentication failed.');
		}
		if (body.grant_type === 'authorization_code') {
			const code = body.code ? this.authCodes.get(body.code) : undefined;
			if (!code || code.used) return oauthError(400, 'invalid_grant', 'Invalid code.');
			if (code.redirectUri !== undefined && code.redirectUri !== body.redirect_uri) {
				return oauthError(400, 'invalid_grant', 'Invalid redirect_uri.');
			}
			code.used = true;
			return sendJson(res, 200, this.grantResponse(requestId));
		}
		if (body.grant_type === 'refresh_token') {
			const record = body.refresh_token ? this.refreshTokens.get(body.refresh_token) : undefined;
			if (!record || record.revoked) return oauthError(400, 'invalid_grant', 'Invalid refresh token.');
			// Refresh tokens rotate: the old one stops working once exchanged.
			record.revoked = true;
			this.tokenRefreshCount += 1;
			return sendJson(res, 200, this.grantResponse(requestId));
		}
		return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${body.grant_type ?? ''}`);
	}

	private grantResponse(requestId: string): Json {
		const refreshToken = `nrt_${randomBytes(20).toString('hex')}`;
		this.refreshTokens.set(refreshToken, { revoked: false });
		return {
			access_token: this.issueToken(),
			token_type: 'bearer',
			refresh_token: refreshToken,
			bot_id: this.bot.id,
			workspace_name: this.workspace.name,
			workspace_icon: null,
			workspace_id: this.workspace.id,
			owner: this.renderOwner(),
			duplicated_template_id: null,
			request_id: requestId,
		};
	}

	private async revokeEndpoint(ctx: ServerContext, requestId: string): Promise<void> {
		const client = basicCredentials(ctx.req.headers.authorization);
		if (!client || client.id !== this.clientId || client.secret !== this.clientSecret) {
			return sendJson(ctx.res, 401, { error: 'invalid_client', request_id: requestId });
		}
		const body = await readFormOrJson(ctx.req);
		if (body.token) this.revokeToken(body.token);
		sendJson(ctx.res, 200, { request_id: requestId });
	}
}

export async function startFakeNotion(options: FakeNotionOptions = {}): Promise<FakeNotion> {
	return new FakeNotion(options).start();
}

function errorBody(error: NotionApiError, requestId: string = randomUUID()): Json {
	return { object: 'error', status: error.status, code: error.code, message: error.message, request_id: requestId };
}

/** A `{ object: 'list' }` page; `start_cursor` must be the id of an item in the list. */
function paginate(
	items: Array<{ id: string; item: Json | (() => Json) }>,
	pageSize: number,
	cursor: string | undefined,
	type: string,
): Json {
	let start = 0;
	if (cursor !== undefined) {
		const normalized = normalizeId(cursor);
		start = items.findIndex((entry) => entry.id === normalized);
		if (start < 0) throw validation(`The start_cursor provided is invalid: ${cursor}`);
	}
	const page = items.slice(start, start + pageSize);
	const next = items[start + pageSize];
	return {
		object: 'list',
		results: page.map((entry) => (typeof entry.item === 'function' ? entry.item() : entry.item)),
		next_cursor: next ? next.id : null,
		has_more: next !== undefined,
		type,
		[type]: {},
	};
}

function queryPageSize(params: URLSearchParams): number {
	const raw = params.get('page_size');
	if (raw === null) return 100;
	if (!/^\d+$/.test(raw)) throw validation(`query failed validation: query.page_size should be a number, instead was \`"${raw}"\`.`);
	return checkPageSize(Number(raw), 'query');
}

function bodyPageSize(value: unknown): number {
	if (value === undefined) return 100;
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		throw validation(`body failed validation: body.page_size should be an integer, instead was \`${JSON.stringify(value)}\`.`);
	}
	return checkPageSize(value, 'body');
}

function checkPageSize(size: number, where: 'query' | 'body'): number {
	if (size > 100) throw validation(`${where} failed validation: ${where}.page_size should be ≤ \`100\`, instead was \`${size}\`.`);
	if (size < 1) throw validation(`${where} failed validation: ${where}.page_size should be ≥ \`1\`, instead was \`${size}\`.`);
	return size;
}

function bodyCursor(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw validation('body failed validation: body.start_cursor should be a string.');
	return value;
}

function rejectUnknownKeys(body: Json, allowed: readonly string[]): void {
	for (const key of Object.keys(body)) {
		if (!allowed.includes(key)) {
			throw validation(`body failed validation: body.${key} should be not present, instead was \`${JSON.stringify(body[key])}\`.`);
		}
	}
}

function rowView(page: NotionPage): RowView {
	return {
		id: page.id,
		created_time: page.created_time,
		last_edited_time: page.last_edited_time,
		properties: page.properties,
	};
}

async function readJsonBody(req: http.IncomingMessage): Promise<Json> {
	const raw = (await readBody(req)).toString('utf8');
	if (raw.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
	}
	if (!isRecord(parsed)) throw validation('body failed validation: body should be an object.');
	return parsed;
}

async function readFormOrJson(req: http.IncomingMessage): Promise<Record<string, string | undefined>> {
	const raw = (await readBody(req)).toString('utf8');
	if ((req.headers['content-type'] ?? '').includes('application/json')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			return {};
		}
		if (!isRecord(parsed)) return {};
		return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
	}
	return Object.fromEntries(new URLSearchParams(raw));
}
