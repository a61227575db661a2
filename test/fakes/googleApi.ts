/**
 * A strict fake of Google Drive v3 and Google's OAuth2 token endpoint on one loopback HTTP server.
 *
 *   const google = await startFakeGoogle();
 *   const { access_token } = google.issueTokens();
 *   const folder = google.addFolder({ name: 'Reports' });
 *   google.addFile({ name: 'q1.pdf', parent: folder.id, mimeType: 'application/pdf', content: '%PDF…' });
 *   const client = drive({ version: 'v3', rootUrl: google.url });
 *   await client.files.list({ q: `'${folder.id}' in parents`, fields: 'files(id,name)' },
 *                           { headers: { Authorization: `Bearer ${access_token}` } });
 *   await google.close();
 */
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FieldsError, parseFields, project, validateSelection, type FieldSchema, type FieldSelection } from './driveFields';
import { DriveModel, isBinaryMime, type ContentSource, type DriveFile, type DriveModelOptions, type FileInit, type SharedDrive } from './driveModel';
import { DriveQueryError, parseDriveQuery } from './driveQuery';
import {
	JWT_BEARER_GRANT,
	newServiceAccountKey,
	verifyAssertion,
	type FakeServiceAccount,
	type ServiceAccountKeyFile,
} from './serviceAccounts';
import { SPREADSHEET_MIME, firstTabCsv, handleSheets, sheetsOf, type FakeSheet, type SheetInit } from './sheetsApi';
import {
	ABOUT_SCHEMA,
	CHANGE_LIST_SCHEMA,
	DEFAULT_FIELDS,
	DRIVE_LIST_SCHEMA,
	DRIVE_SCHEMA,
	EXPORT_FORMATS,
	EXPORT_SIZE_LIMIT,
	FILE_LIST_SCHEMA,
	FILE_SCHEMA,
	FOLDER_MIME,
	METHOD_PARAMS,
	STANDARD_PARAMS,
	START_PAGE_TOKEN_SCHEMA,
} from './driveSchemas';
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

export interface FakeGoogleOptions extends DriveModelOptions {
	/** Added to every request (benchmarks use 50). */
	latencyMs?: number;
	/** Sustained limit: more than `requestsPerSecond` Drive requests answer 429 (or 403) with Retry-After. */
	rateLimit?: GoogleRateLimit;
	clientId?: string;
	clientSecret?: string;
	/** Scope reported by the token endpoint. */
	scope?: string;
}

export interface GoogleRateLimit {
	requestsPerSecond: number;
	/** Requests allowed at once before the limit bites; defaults to `requestsPerSecond`. */
	burst?: number;
	/** 429 `rateLimitExceeded` (default) or 403 `userRateLimitExceeded`. */
	status?: 429 | 403;
}

export interface IssuedTokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	token_type: 'Bearer';
	scope: string;
}

const ACCESS_TOKEN_LIFETIME_S = 3599;
const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';

class GoogleApiError extends Error {
	constructor(
		readonly status: number,
		readonly reason: string,
		message: string,
		readonly location?: { location: string; locationType: 'parameter' | 'header' },
		readonly domain = 'global',
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

const STATUS_NAMES: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	416: 'OUT_OF_RANGE',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	502: 'UNAVAILABLE',
	503: 'UNAVAILABLE',
	504: 'DEADLINE_EXCEEDED',
};

function googleErrorBody(error: GoogleApiError): unknown {
	return {
		error: {
			code: error.status,
			message: error.message,
			errors: [
				{
					message: error.message,
					domain: error.domain,
					reason: error.reason,
					...(error.location ?? {}),
				},
			],
			status: STATUS_NAMES[error.status] ?? 'UNKNOWN',
		},
	};
}

function faultError(spec: FaultSpec): GoogleApiError {
	const status = spec.status ?? 503;
	const defaults: Record<number, [string, string, string]> = {
		401: ['authError', 'Invalid Credentials', 'global'],
		403: ['userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits'],
		429: ['rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'],
		500: ['backendError', 'Internal Error', 'global'],
		502: ['badGateway', 'Bad Gateway', 'global'],
		503: ['backendError', 'Backend Error', 'global'],
		504: ['backendError', 'Gateway Timeout', 'global'],
	};
	const [reason, message, domain] = defaults[status] ?? ['backendError', 'Backend Error', 'global'];
	const headers: Record<string, string> = spec.retryAfter !== undefined ? { 'Retry-After': String(spec.retryAfter) } : {};
	return new GoogleApiError(status, spec.reason ?? reason, spec.message ?? message, undefined, domain, headers);
}

const notFound = (id: string): GoogleApiError =>
	new GoogleApiError(404, 'notFound', `File not found: ${id}.`, { location: 'fileId', locationType: 'parameter' });

const invalidValue = (parameter: string, message = 'Invalid Value'): GoogleApiError =>
	new GoogleApiError(400, 'invalid', message, { location: parameter, locationType: 'parameter' });

const INCLUDE_ITEMS_REQUIRED =
	'The includeItemsFromAllDrives parameter must be set to true when driveId is specified or corpora contains drive or allDrives.';

/** Query parameters of one Drive method, checked strictly: unknown names and malformed values are 400s. */
class Params {
	private static readonly ALIASES: Record<string, string> = {
		supportsTeamDrives: 'supportsAllDrives',
		includeTeamDriveItems: 'includeItemsFromAllDrives',
		teamDriveId: 'driveId',
		corpus: 'corpora',
	};

	private readonly values = new Map<string, string>();

	constructor(search: URLSearchParams, method: string) {
		const allowed = new Set([...STANDARD_PARAMS, ...(METHOD_PARAMS[method] ?? [])]);
		for (const [name, value] of search) {
			if (!allowed.has(name)) {
				throw new GoogleApiError(
					400,
					'invalidParameter',
					`Unknown parameter '${name}' for ${method} (the fake only accepts parameters of the Drive v3 discovery document).`,
					{ location: name, locationType: 'parameter' },
				);
			}
			const canonical = Params.ALIASES[name] ?? name;
			if (this.values.has(canonical) && this.values.get(canonical) !== value) throw invalidValue(name);
			this.values.set(canonical, value);
		}
		const alt = this.get('alt');
		if (alt !== undefined && alt !== 'json' && alt !== 'media') throw invalidValue('alt');
		this.bool('prettyPrint');
	}

	get(name: string): string | undefined {
		return this.values.get(name);
	}

	bool(name: string): boolean | undefined {
		const value = this.values.get(name);
		if (value === undefined) return undefined;
		if (value !== 'true' && value !== 'false') {
			throw invalidValue(name, `Invalid value '${value}'. Values must be true or false.`);
		}
		return value === 'true';
	}

	int(name: string, fallback: number, min: number, max: number): number {
		const value = this.values.get(name);
		if (value === undefined) return fallback;
		const parsed = Number(value);
		if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
			throw invalidValue(name, `Invalid value '${value}'. Values must be within the range: [${min}, ${max}]`);
		}
		return parsed;
	}

	/** The `fields` selection, or the method's default set when absent. */
	fields(schema: FieldSchema, fallback: string): FieldSelection {
		const expression = this.get('fields');
		try {
			const selection = parseFields(expression ?? fallback);
			validateSelection(selection, schema);
			return selection;
		} catch (error) {
			if (error instanceof FieldsError) {
				throw new GoogleApiError(400, 'invalidParameter', error.message, { location: 'fields', locationType: 'parameter' });
			}
			throw error;
		}
	}
}

/** Opaque list page tokens: the offset plus a signature of the query, so a token cannot be replayed elsewhere. */
function encodePageToken(offset: number, signature: string): string {
	return Buffer.from(JSON.stringify({ o: offset, s: signature })).toString('base64url');
}

function decodePageToken(token: string | undefined, signature: string): number {
	if (token === undefined) return 0;
	try {
		const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (isRecord(parsed) && parsed.s === signature && typeof parsed.o === 'number') return parsed.o;
	} catch {
		// fall through
	}
	throw invalidValue('pageToken');
}

function signature(parts: unknown[]): string {
	return createHash('sha1').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

type Comparator = (a: DriveFile, b: DriveFile) => number;

function parseOrderBy(orderBy: string | undefined): Comparator {
	const byId: Comparator = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	if (orderBy === undefined || orderBy.trim() === '') return byId;
	const keys = orderBy.split(',').map((part) => {
		const [key, direction, extra] = part.trim().split(/\s+/);
		if (extra !== undefined || (direction !== undefined && direction !== 'desc')) throw invalidValue('orderBy');
		const sign = direction === 'desc' ? -1 : 1;
		const compare = orderKey(key);
		return (a: DriveFile, b: DriveFile) => sign * compare(a, b);
	});
	return (a, b) => {
		for (const compare of keys) {
			const result = compare(a, b);
			if (result !== 0) return result;
		}
		return byId(a, b);
	};
}

const baseCollator = new Intl.Collator('en', { sensitivity: 'base' });
const naturalCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function orderKey(key: string): Comparator {
	const text = (a: string, b: string): number => baseCollator.compare(a, b);
	switch (key) {
		case 'folder':
			return (a, b) => Number(b.mimeType === FOLDER_MIME) - Number(a.mimeType === FOLDER_MIME);
		case 'name':
			return (a, b) => text(a.name, b.name);
		case 'name_natural':
			return (a, b) => naturalCollator.compare(a.name, b.name);
		case 'createdTime':
			return (a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime);
		case 'modifiedTime':
		case 'modifiedByMeTime':
		case 'recency':
		case 'viewedByMeTime':
		case 'sharedWithMeTime':
			return (a, b) => Date.parse(a.modifiedTime) - Date.parse(b.modifiedTime);
		case 'quotaBytesUsed':
			return (a, b) => a.content.size - b.content.size;
		case 'starred':
			return (a, b) => Number(b.starred) - Number(a.starred);
		default:
			throw invalidValue('orderBy');
	}
}

interface TokenRecord {
	grant: string;
	expiresAt: number;
	revoked: boolean;
	/** The user a service account's token impersonates, or the service account itself; absent for OAuth2 tokens. */
	subject?: string;
}

/** Whether a `fields` selection asks for `<under>/permissions` (or every field of `<under>`). */
function asksPermissions(selection: FieldSelection | null, under: string): boolean {
	if (selection === null) return true;
	if (!selection.has(under) && !selection.has('*')) return false;
	const inner = selection.get(under) ?? null;
	return inner === null || inner.has('*') || inner.has('permissions');
}

export class FakeGoogle extends DriveModel implements RequestLog {
	/** Drive `rootUrl`: `http://127.0.0.1:PORT/` (with the trailing slash googleapis needs). */
	url = '';
	/** Same without the trailing slash, e.g. for `CONNECTORS_GOOGLE_API_URL`. */
	origin = '';
	/** `POST` here for tokens (OAuth2 `accessTokenUrl`). */
	tokenUrl = '';
	/** Consent screen that approves at once: redirects to `redirect_uri` with `code` and `state`. */
	authUrl = '';
	revokeUrl = '';
	readonly clientId: string;
	readonly clientSecret: string;
	readonly scope: string;
	readonly requests: LoggedRequest[] = [];
	/** Bugs in the fake itself (exceptions in handlers); tests may assert it stays empty. */
	readonly internalErrors: string[] = [];
	/** Successful `grant_type=refresh_token` exchanges. */
	tokenRefreshCount = 0;
	latencyMs: number;

	private readonly faults = new FaultQueue();
	private listCache?: { signature: string; revision: number; results: DriveFile[] };
	/** Change page tokens below this are refused, as Drive refuses tokens it has expired. */
	private oldestValidChangeToken = 0;
	private rateLimit?: { bucket: TokenBucket; status: 429 | 403 };
	private readonly accessTokens = new Map<string, TokenRecord>();
	private readonly refreshTokens = new Map<string, { grant: string; revoked: boolean }>();
	private readonly authCodes = new Map<string, { redirectUri?: string; used: boolean }>();
	private readonly serviceAccounts = new Map<string, FakeServiceAccount>();
	/** Users of the Workspace domain a service account may impersonate (the Drive's user to begin with). */
	private readonly domainUsers = new Set<string>();
	/** Who each request's token speaks as, for `about`. */
	private readonly requestSubjects = new WeakMap<ServerContext, string>();
	/** The tabs of spreadsheets added with `addSpreadsheet`, by file id. */
	private readonly workbooks = new Map<string, FakeSheet[]>();
	/** Successful JWT bearer grants (service-account tokens minted). */
	serviceAccountTokenCount = 0;
	private server?: RunningServer;

	constructor(options: FakeGoogleOptions = {}) {
		super(options);
		this.latencyMs = options.latencyMs ?? 0;
		this.clientId = options.clientId ?? 'fake-client-id.apps.googleusercontent.com';
		this.clientSecret = options.clientSecret ?? 'fake-client-secret';
		this.scope = options.scope ?? DRIVE_READONLY_SCOPE;
		this.setRateLimit(options.rateLimit ?? null);
		this.domainUsers.add(this.user.emailAddress.toLowerCase());
	}

	async start(): Promise<this> {
		this.server = await listen(
			(ctx) => this.handle(ctx),
			this.requests,
			this.internalErrors,
			(message) => ({ status: 500, body: googleErrorBody(new GoogleApiError(500, 'backendError', message)) }),
		);
		this.origin = this.server.origin;
		this.url = `${this.origin}/`;
		this.baseUrl = this.url;
		this.tokenUrl = `${this.origin}/token`;
		this.authUrl = `${this.origin}/o/oauth2/v2/auth`;
		this.revokeUrl = `${this.origin}/revoke`;
		return this;
	}

	async close(): Promise<void> {
		await this.server?.close();
	}

	// --- tokens --------------------------------------------------------------------------------

	/** A fresh access + refresh token pair, as if the user had just consented. */
	issueTokens(): IssuedTokens {
		const grant = randomBytes(6).toString('hex');
		const refreshToken = `1//fake-refresh-${randomBytes(18).toString('base64url')}`;
		this.refreshTokens.set(refreshToken, { grant, revoked: false });
		return {
			access_token: this.newAccessToken(grant),
			refresh_token: refreshToken,
			expires_in: ACCESS_TOKEN_LIFETIME_S,
			token_type: 'Bearer',
			scope: this.scope,
		};
	}

	/** Registers tokens chosen by the test (e.g. already written into an n8n credential). */
	seedTokens(tokens: { accessToken?: string; refreshToken?: string; expiresInSeconds?: number }): void {
		const grant = randomBytes(6).toString('hex');
		if (tokens.refreshToken) this.refreshTokens.set(tokens.refreshToken, { grant, revoked: false });
		if (tokens.accessToken) {
			const lifetime = (tokens.expiresInSeconds ?? ACCESS_TOKEN_LIFETIME_S) * 1000;
			this.accessTokens.set(tokens.accessToken, { grant, expiresAt: Date.now() + lifetime, revoked: false });
		}
	}

	/** Every access token issued so far now answers 401; refresh tokens keep working. */
	expireAccessTokens(): void {
		for (const record of this.accessTokens.values()) record.expiresAt = 0;
	}

	/** Revokes the whole grant: the refresh token gets `invalid_grant`, its access tokens 401. */
	revokeRefreshToken(refreshToken: string): void {
		const record = this.refreshTokens.get(refreshToken);
		if (!record) throw new Error('fake google: unknown refresh token');
		record.revoked = true;
		for (const access of this.accessTokens.values()) if (access.grant === record.grant) access.revoked = true;
	}

	revokeAccessToken(accessToken: string): void {
		const record = this.accessTokens.get(accessToken);
		if (record) record.revoked = true;
	}

	/** An authorization code for `grant_type=authorization_code` (bound to `redirectUri` when given). */
	createAuthorizationCode(redirectUri?: string): string {
		const code = `4/fake-code-${randomBytes(12).toString('base64url')}`;
		this.authCodes.set(code, { redirectUri, used: false });
		return code;
	}

	// --- service accounts ----------------------------------------------------------------------

	/**
	 * A service account with a fresh key; its client ID has domain-wide delegation for
	 * `delegatedScopes` (drive.readonly by default). Returns the JSON key file with the private key.
	 */
	addServiceAccount(init: { clientEmail?: string; keyId?: string; delegatedScopes?: string[] } = {}): ServiceAccountKeyFile {
		const clientEmail = init.clientEmail ?? `importer-${randomBytes(3).toString('hex')}@fake-project.iam.gserviceaccount.com`;
		const keyId = init.keyId ?? randomBytes(20).toString('hex');
		const { keyFile, publicKey } = newServiceAccountKey(clientEmail, keyId);
		this.serviceAccounts.set(clientEmail, { clientEmail, keyId, publicKey, delegatedScopes: init.delegatedScopes ?? [DRIVE_READONLY_SCOPE], disabled: false });
		return keyFile;
	}

	/** A user of the domain who may be impersonated (the Drive's own user is one from the start). */
	addDomainUser(email: string): void {
		this.domainUsers.add(email.toLowerCase());
	}

	/** The key was deleted in the console: its assertions answer `invalid_grant`, its tokens 401. */
	disableServiceAccountKey(clientEmail: string): void {
		const account = this.serviceAccounts.get(clientEmail);
		if (!account) throw new Error(`fake google: unknown service account ${clientEmail}`);
		account.disabled = true;
	}

	// --- spreadsheets -------------------------------------------------------------------------

	/** A Google Sheet with tabs: Drive's CSV export holds the first tab, the Sheets API every tab. */
	addSpreadsheet(init: Omit<FileInit, 'mimeType' | 'content'> & { sheets: SheetInit[] }): DriveFile {
		const sheets = sheetsOf(init.sheets);
		const file = this.addFile({ ...init, mimeType: SPREADSHEET_MIME, content: firstTabCsv(sheets) });
		this.workbooks.set(file.id, sheets);
		return file;
	}

	/** New tabs for a spreadsheet (a new version, as any edit). */
	editSheets(id: string, sheets: SheetInit[]): DriveFile {
		const tabs = sheetsOf(sheets);
		this.workbooks.set(id, tabs);
		return this.editContent(id, firstTabCsv(tabs));
	}

	/** The Sheets API is not enabled in the credential's Cloud project: it answers 403 SERVICE_DISABLED. */
	sheetsApiDisabled = false;

	/** Logged requests to the Sheets API (`/v4/spreadsheets/…`). */
	sheetsRequests(): LoggedRequest[] {
		return this.requests.filter((request) => request.path.startsWith('/v4/spreadsheets/'));
	}

	// --- faults, limits, log -----------------------------------------------------------------

	/**
	 * The next `count` requests (optionally only those under `spec.path`) fail with `spec`: e.g.
	 * `{ status: 429 }`, `{ status: 403, reason: 'userRateLimitExceeded' }`, `{ status: 503 }`,
	 * `{ status: 429, retryAfter: 2 }` or `{ reset: true }` (socket destroyed, no response).
	 */
	failNext(count: number, spec: FaultSpec): void {
		this.faults.add(count, spec);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/**
	 * Every change page token handed out so far is refused from now on (400 `invalid` on
	 * `pageToken`, Drive's answer to a token it no longer knows), as after a long pause.
	 */
	expireChangeTokens(): void {
		this.oldestValidChangeToken = Number(this.currentStartPageToken());
	}

	setRateLimit(limit: GoogleRateLimit | null): void {
		this.rateLimit = limit
			? {
					bucket: new TokenBucket(limit.requestsPerSecond, limit.burst ?? limit.requestsPerSecond),
					status: limit.status ?? 429,
				}
			: undefined;
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	resetRequestLog(): void {
		this.requests.length = 0;
	}

	/** Logged requests to the Drive API (`/drive/v3/…`). */
	driveRequests(): LoggedRequest[] {
		return this.requests.filter((request) => request.path.startsWith('/drive/v3/'));
	}

	// --- HTTP ----------------------------------------------------------------------------------

	private async handle(ctx: ServerContext): Promise<void> {
		const { req, res, url } = ctx;
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		try {
			const fault = this.faults.take(url.pathname);
			if (fault?.reset) {
				ctx.log.status = 0;
				req.socket.destroy();
				return;
			}
			if (fault?.redirectTo !== undefined) {
				res.writeHead(302, { location: fault.redirectTo }).end();
				return;
			}
			if (fault) throw faultError(fault);

			if (url.pathname === '/token') return await this.tokenEndpoint(ctx);
			if (url.pathname === '/o/oauth2/v2/auth') return this.authorizeEndpoint(ctx);
			if (url.pathname === '/revoke') return await this.revokeEndpoint(ctx);

			if (url.pathname.startsWith('/v4/spreadsheets/')) {
				this.applyRateLimit();
				this.authenticate(ctx);
				return handleSheets(ctx, (id) => this.workbookFor(id), this.sheetsApiDisabled);
			}
			const isApi = url.pathname.startsWith('/drive/v3/') || url.pathname === '/feeds/download/export';
			if (!isApi) throw new GoogleApiError(404, 'notFound', 'Not Found');
			this.applyRateLimit();
			this.authenticate(ctx);
			if (req.method !== 'GET') {
				throw new GoogleApiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
			}
			if (url.pathname === '/feeds/download/export') return await this.exportLink(ctx);
			await this.driveRoute(ctx, url.pathname.slice('/drive/v3/'.length).split('/').map(decodeURIComponent));
		} catch (error) {
			if (!(error instanceof GoogleApiError)) throw error;
			sendJson(res, error.status, googleErrorBody(error), error.headers);
		}
	}

	private applyRateLimit(): void {
		if (!this.rateLimit) return;
		const taken = this.rateLimit.bucket.take();
		if (taken.ok) return;
		const retryAfter = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
		throw faultError({ status: this.rateLimit.status, retryAfter });
	}

	/** A spreadsheet the account can see: undefined when there is none (404), null for another kind of file. */
	private workbookFor(id: string): { id: string; name: string; sheets: FakeSheet[] } | null | undefined {
		if (!this.hasFile(id)) return undefined;
		const file = this.file(id);
		if (file.mimeType !== SPREADSHEET_MIME) return null;
		return { id, name: file.name, sheets: this.workbooks.get(id) ?? sheetsOf([{ title: 'Sheet1', rows: file.content.text.split('\n').filter(Boolean).map((line) => line.split(',')) }]) };
	}

	private authenticate(ctx: ServerContext): void {
		const { req, url } = ctx;
		const token =
			bearerToken(req.headers.authorization) ??
			url.searchParams.get('access_token') ??
			url.searchParams.get('oauth_token') ??
			undefined;
		const header = { location: 'Authorization', locationType: 'header' } as const;
		const challenge = { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' };
		if (token === undefined) {
			throw new GoogleApiError(
				401,
				'required',
				'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
				header,
				'global',
				challenge,
			);
		}
		const record = this.accessTokens.get(token);
		const keyDeleted = record?.grant.startsWith('sa:') === true && this.serviceAccounts.get(record.grant.slice(3))?.disabled === true;
		if (!record || record.revoked || keyDeleted || record.expiresAt <= Date.now()) {
			throw new GoogleApiError(
				401,
				'authError',
				'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
				header,
				'global',
				{ 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
			);
		}
		if (record.subject !== undefined) this.requestSubjects.set(ctx, record.subject);
	}

	private async driveRoute(ctx: ServerContext, segments: string[]): Promise<void> {
		const search = ctx.url.searchParams;
		const [collection, id, sub, extra] = segments;
		if (extra !== undefined) throw new GoogleApiError(404, 'notFound', 'Not Found');
		if (collection === 'about' && id === undefined) return this.aboutGet(ctx, new Params(search, 'about.get'));
		if (collection === 'files' && id === undefined) return this.filesList(ctx, new Params(search, 'files.list'));
		if (collection === 'files' && id && sub === undefined) return this.filesGet(ctx, id, new Params(search, 'files.get'));
		if (collection === 'files' && id && sub === 'export') {
			return this.filesExport(ctx, id, new Params(search, 'files.export'));
		}
		if (collection === 'drives' && id === undefined) return this.drivesList(ctx, new Params(search, 'drives.list'));
		if (collection === 'drives' && id && sub === undefined) return this.drivesGet(ctx, id, new Params(search, 'drives.get'));
		if (collection === 'changes' && id === 'startPageToken' && sub === undefined) {
			return this.changesStartPageToken(ctx, new Params(search, 'changes.getStartPageToken'));
		}
		if (collection === 'changes' && id === undefined) return this.changesList(ctx, new Params(search, 'changes.list'));
		throw new GoogleApiError(404, 'notFound', 'Not Found');
	}

	private respond(ctx: ServerContext, resource: unknown, selection: FieldSelection): void {
		sendJson(ctx.res, 200, project(resource, selection));
	}

	private aboutGet(ctx: ServerContext, params: Params): void {
		if (params.get('fields') === undefined) {
			throw new GoogleApiError(400, 'required', "The 'fields' parameter is required for this method.", {
				location: 'fields',
				locationType: 'parameter',
			});
		}
		const selection = params.fields(ABOUT_SCHEMA, '');
		const usage = this.allFiles()
			.filter((file) => !file.driveId && isBinaryMime(file.mimeType))
			.reduce((sum, file) => sum + file.content.size, 0);
		const trashUsage = this.allFiles()
			.filter((file) => !file.driveId && file.trashed && isBinaryMime(file.mimeType))
			.reduce((sum, file) => sum + file.content.size, 0);
		const exportFormats = Object.fromEntries(
			Object.entries(EXPORT_FORMATS).map(([source, targets]) => [source, Object.keys(targets)]),
		);
		this.respond(
			ctx,
			{
				kind: 'drive#about',
				user: { kind: 'drive#user', ...this.userResource(), ...this.impersonated(ctx) },
				storageQuota: {
					limit: String(15 * 1024 ** 3),
					usage: String(usage),
					usageInDrive: String(usage),
					usageInDriveTrash: String(trashUsage),
				},
				maxUploadSize: String(5 * 1024 ** 4),
				appInstalled: false,
				canCreateDrives: true,
				canCreateTeamDrives: true,
				exportFormats,
				importFormats: {},
				maxImportSizes: {},
				folderColorPalette: ['#ac725e', '#d06b64', '#4986e7'],
			},
			selection,
		);
	}

	/** A service account's token speaks as the user it impersonates (or as the service account itself). */
	private impersonated(ctx: ServerContext): Record<string, unknown> {
		const subject = this.requestSubjects.get(ctx);
		if (subject === undefined || subject.toLowerCase() === this.user.emailAddress.toLowerCase()) return {};
		return { emailAddress: subject, displayName: subject.split('@')[0], permissionId: createHash('sha1').update(subject).digest('hex').slice(0, 20) };
	}

	private filesList(ctx: ServerContext, params: Params): void {
		const selection = params.fields(FILE_LIST_SCHEMA, DEFAULT_FIELDS.fileList);
		const corpora = params.get('corpora') ?? 'user';
		if (!['user', 'domain', 'drive', 'allDrives'].includes(corpora)) throw invalidValue('corpora');
		const driveId = params.get('driveId');
		const includeAll = params.bool('includeItemsFromAllDrives') ?? false;
		const supportsAll = params.bool('supportsAllDrives') ?? false;
		if ((corpora === 'drive') !== (driveId !== undefined)) {
			throw new GoogleApiError(
				400,
				'badRequest',
				'The driveId parameter must be specified if and only if corpora is set to drive.',
				{ location: 'driveId', locationType: 'parameter' },
			);
		}
		if ((corpora === 'drive' || corpora === 'allDrives') && !includeAll) {
			throw new GoogleApiError(403, 'teamDrivesParameterRequired', INCLUDE_ITEMS_REQUIRED, {
				location: 'includeItemsFromAllDrives',
				locationType: 'parameter',
			});
		}
		if (driveId !== undefined) this.requireSharedDrive(driveId, 'driveId');
		const spaces = (params.get('spaces') ?? 'drive').split(',');
		if (spaces.some((space) => !['drive', 'appDataFolder', 'photos'].includes(space))) throw invalidValue('spaces');
		// Drive answers at most 100 files a page when their permissions are asked for.
		const pageSize = Math.min(params.int('pageSize', 100, 1, 1000), asksPermissions(selection, 'files') ? 100 : 1000);
		const q = params.get('q') ?? '';
		const compare = parseOrderBy(params.get('orderBy'));
		if (params.get('orderBy') !== undefined && /\bfullText\b/.test(q)) {
			throw new GoogleApiError(
				400,
				'badRequest',
				'Sorting is not supported for queries with fullText terms. Results are always in descending relevance order.',
				{ location: 'orderBy', locationType: 'parameter' },
			);
		}

		let matches = (_file: DriveFile): boolean => true;
		if (q.trim() !== '') {
			try {
				const predicate = parseDriveQuery(q, {
					me: this.user.emailAddress,
					resolveId: (id) => (id === 'root' ? this.rootFolderId : id),
				});
				matches = (file) => predicate(this.queryable(file));
			} catch (error) {
				if (error instanceof DriveQueryError) throw invalidValue('q');
				throw error;
			}
		}
		const sharedDriveItems = includeAll && supportsAll;
		const pageSignature = signature([q, params.get('orderBy'), corpora, driveId, sharedDriveItems, spaces]);
		const offset = decodePageToken(params.get('pageToken'), pageSignature);
		// A later page of an unchanged drive reuses the first page's matches: a 100,000-file listing is not filtered and sorted 100 times.
		const cached = offset > 0 && this.listCache?.signature === pageSignature && this.listCache.revision === this.revision ? this.listCache.results : undefined;
		const results =
			cached ??
			(spaces.includes('drive')
				? this.allFiles()
						.filter((file) => {
							if (corpora === 'drive') return sharedDriveItems && file.driveId === driveId;
							return file.driveId === undefined || sharedDriveItems;
						})
						.filter(matches)
						.sort(compare)
				: []);
		this.listCache = { signature: pageSignature, revision: this.revision, results };
		const page = results.slice(offset, offset + pageSize);
		const nextOffset = offset + page.length;
		this.respond(
			ctx,
			{
				kind: 'drive#fileList',
				nextPageToken: nextOffset < results.length ? encodePageToken(nextOffset, pageSignature) : undefined,
				incompleteSearch: false,
				files: page.map((file) => this.fileResource(file)),
			},
			selection,
		);
	}

	/** Resolves an id the way `files.get` sees it; shared-drive items need `supportsAllDrives=true`. */
	private visibleFileResource(id: string, supportsAll: boolean): { file?: DriveFile; resource: Record<string, unknown> } {
		if (id === 'root' || id === this.rootFolderId) return { resource: this.rootResource() };
		const drive = this.allSharedDrives().find((candidate) => candidate.id === id);
		if (drive) {
			if (!supportsAll) throw notFound(id);
			return { resource: this.sharedDriveRootResource(drive) };
		}
		if (!this.hasFile(id)) throw notFound(id);
		const file = this.file(id);
		if (file.driveId && !supportsAll) throw notFound(id);
		return { file, resource: this.fileResource(file) };
	}

	private async filesGet(ctx: ServerContext, id: string, params: Params): Promise<void> {
		const supportsAll = params.bool('supportsAllDrives') ?? false;
		const acknowledgeAbuse = params.bool('acknowledgeAbuse') ?? false;
		params.bool('includeLabels');
		if (params.get('alt') !== 'media') {
			const selection = params.fields(FILE_SCHEMA, DEFAULT_FIELDS.file);
			this.respond(ctx, this.visibleFileResource(id, supportsAll).resource, selection);
			return;
		}
		const { file } = this.visibleFileResource(id, supportsAll);
		if (!file || !isBinaryMime(file.mimeType)) {
			throw new GoogleApiError(
				403,
				'fileNotDownloadable',
				'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
				{ location: 'alt', locationType: 'parameter' },
			);
		}
		this.assertDownloadable(file);
		if (file.abusive && !acknowledgeAbuse) {
			throw new GoogleApiError(
				403,
				'cannotDownloadAbusiveFile',
				'This file has been identified as malware or spam and cannot be downloaded.',
				{ location: 'acknowledgeAbuse', locationType: 'parameter' },
			);
		}
		await this.sendContent(ctx, file.content, file.mimeType, ctx.req.headers.range);
	}

	private assertDownloadable(file: DriveFile): void {
		if (!file.canDownload) {
			throw new GoogleApiError(403, 'cannotDownloadFile', 'The user does not have sufficient permissions to download this file.');
		}
	}

	private async filesExport(ctx: ServerContext, id: string, params: Params): Promise<void> {
		const mimeType = params.get('mimeType');
		if (mimeType === undefined) {
			throw new GoogleApiError(400, 'required', 'Required parameter: mimeType', {
				location: 'mimeType',
				locationType: 'parameter',
			});
		}
		// files.export has no supportsAllDrives parameter: shared-drive files export without it.
		if (!this.hasFile(id)) throw notFound(id);
		const file = this.file(id);
		const formats = EXPORT_FORMATS[file.mimeType];
		if (!formats) {
			throw new GoogleApiError(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
		}
		if (!(mimeType in formats)) {
			throw new GoogleApiError(400, 'badRequest', 'The requested conversion is not supported.', {
				location: 'mimeType',
				locationType: 'parameter',
			});
		}
		this.assertDownloadable(file);
		const content = this.exportContent(file, mimeType);
		if (content.size > EXPORT_SIZE_LIMIT) {
			throw new GoogleApiError(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
		}
		await this.sendContent(ctx, content, mimeType, undefined);
	}

	/** The URLs in `exportLinks`: like files.export but without its 10 MB limit. */
	private async exportLink(ctx: ServerContext): Promise<void> {
		const id = ctx.url.searchParams.get('id') ?? '';
		const format = ctx.url.searchParams.get('exportFormat') ?? '';
		if (!this.hasFile(id)) throw notFound(id);
		const file = this.file(id);
		const formats = EXPORT_FORMATS[file.mimeType] ?? {};
		const mimeType = Object.keys(formats).find((candidate) => formats[candidate] === format);
		if (mimeType === undefined) {
			throw new GoogleApiError(400, 'badRequest', 'The requested conversion is not supported.', {
				location: 'exportFormat',
				locationType: 'parameter',
			});
		}
		this.assertDownloadable(file);
		await this.sendContent(ctx, this.exportContent(file, mimeType), mimeType, undefined);
	}

	private async sendContent(
		ctx: ServerContext,
		content: ContentSource,
		mimeType: string,
		rangeHeader: string | undefined,
	): Promise<void> {
		const size = content.size;
		let start = 0;
		let end = size;
		let status = 200;
		const headers: Record<string, string> = { 'Content-Type': mimeType, 'Accept-Ranges': 'bytes' };
		const range = parseRange(rangeHeader, size);
		if (range === 'unsatisfiable') {
			throw new GoogleApiError(416, 'requestedRangeNotSatisfiable', 'Request range not satisfiable', undefined, 'global', {
				'Content-Range': `bytes */${size}`,
			});
		}
		if (range) {
			[start, end] = range;
			status = 206;
			headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
		}
		headers['Content-Length'] = String(end - start);
		ctx.res.writeHead(status, headers);
		try {
			await pipeline(Readable.from(content.chunks(start, end)), ctx.res);
		} catch {
			// The client went away mid-download; nothing to report.
		}
	}

	private drivesList(ctx: ServerContext, params: Params): void {
		const selection = params.fields(DRIVE_LIST_SCHEMA, DEFAULT_FIELDS.driveList);
		if (params.get('q') !== undefined) {
			throw new GoogleApiError(400, 'invalid', 'The fake does not implement q for drives.list.', {
				location: 'q',
				locationType: 'parameter',
			});
		}
		params.bool('useDomainAdminAccess');
		const pageSize = params.int('pageSize', 10, 1, 100);
		const drives = this.allSharedDrives().sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
		const pageSignature = signature(['drives']);
		const offset = decodePageToken(params.get('pageToken'), pageSignature);
		const page = drives.slice(offset, offset + pageSize);
		const nextOffset = offset + page.length;
		this.respond(
			ctx,
			{
				kind: 'drive#driveList',
				nextPageToken: nextOffset < drives.length ? encodePageToken(nextOffset, pageSignature) : undefined,
				drives: page.map((drive) => this.driveResource(drive)),
			},
			selection,
		);
	}

	private drivesGet(ctx: ServerContext, id: string, params: Params): void {
		const selection = params.fields(DRIVE_SCHEMA, DEFAULT_FIELDS.drive);
		params.bool('useDomainAdminAccess');
		this.respond(ctx, this.driveResource(this.requireSharedDrive(id, 'driveId')), selection);
	}

	private requireSharedDrive(id: string, parameter: string): SharedDrive {
		const drive = this.allSharedDrives().find((candidate) => candidate.id === id);
		if (!drive) {
			throw new GoogleApiError(404, 'notFound', `Shared drive not found: ${id}`, {
				location: parameter,
				locationType: 'parameter',
			});
		}
		return drive;
	}

	private requireAllDrivesSupport(supportsAll: boolean): void {
		if (!supportsAll) {
			throw new GoogleApiError(
				403,
				'teamDrivesParameterRequired',
				'The supportsAllDrives parameter must be set to true when driveId is specified.',
				{ location: 'supportsAllDrives', locationType: 'parameter' },
			);
		}
	}

	private changesStartPageToken(ctx: ServerContext, params: Params): void {
		const selection = params.fields(START_PAGE_TOKEN_SCHEMA, DEFAULT_FIELDS.startPageToken);
		const driveId = params.get('driveId');
		const supportsAll = params.bool('supportsAllDrives') ?? false;
		if (driveId !== undefined) {
			this.requireAllDrivesSupport(supportsAll);
			this.requireSharedDrive(driveId, 'driveId');
		}
		this.respond(ctx, { kind: 'drive#startPageToken', startPageToken: this.currentStartPageToken() }, selection);
	}

	private changesList(ctx: ServerContext, params: Params): void {
		const selection = params.fields(CHANGE_LIST_SCHEMA, DEFAULT_FIELDS.changeList);
		const token = params.get('pageToken');
		if (token === undefined) {
			throw new GoogleApiError(400, 'required', 'Required parameter: pageToken', {
				location: 'pageToken',
				locationType: 'parameter',
			});
		}
		const from = Number(token);
		if (!/^\d+$/.test(token) || from < 1 || from > Number(this.currentStartPageToken()) || from < this.oldestValidChangeToken) {
			throw invalidValue('pageToken');
		}
		const driveId = params.get('driveId');
		const supportsAll = params.bool('supportsAllDrives') ?? false;
		const includeAll = params.bool('includeItemsFromAllDrives') ?? false;
		const includeRemoved = params.bool('includeRemoved') ?? true;
		const restrictToMyDrive = params.bool('restrictToMyDrive') ?? false;
		params.bool('includeCorpusRemovals');
		params.bool('includeLabels');
		const pageSize = Math.min(params.int('pageSize', 100, 1, 1000), selection.has('changes') && asksPermissions(selection.get('changes') ?? null, 'file') ? 100 : 1000);
		if (driveId !== undefined) {
			this.requireAllDrivesSupport(supportsAll);
			if (!includeAll) {
				throw new GoogleApiError(403, 'teamDrivesParameterRequired', INCLUDE_ITEMS_REQUIRED, {
					location: 'includeItemsFromAllDrives',
					locationType: 'parameter',
				});
			}
			this.requireSharedDrive(driveId, 'driveId');
		}

		const visible = this.changesSince(from).filter((entry) => {
			if (entry.changeType === 'drive') return driveId === undefined && supportsAll && !restrictToMyDrive;
			if (driveId !== undefined) return entry.driveId === driveId;
			if (entry.driveId === undefined) return true;
			return includeAll && supportsAll && !restrictToMyDrive;
		});
		// Drive reports each item once, in its latest state, at the position of its latest change.
		const latest = new Map<string, (typeof visible)[number]>();
		for (const entry of visible) {
			const key = entry.changeType === 'file' ? `file:${entry.fileId}` : `drive:${entry.driveId}`;
			latest.delete(key);
			latest.set(key, entry);
		}
		const entries = [...latest.values()].filter((entry) => includeRemoved || !entry.removed);
		const page = entries.slice(0, pageSize);
		const rest = entries.slice(pageSize);
		const changes = page.map((entry) => {
			const common = { kind: 'drive#change', changeType: entry.changeType, type: entry.changeType, time: entry.time };
			if (entry.changeType === 'drive') {
				const drive = this.allSharedDrives().find((candidate) => candidate.id === entry.driveId);
				const removed = entry.removed || !drive;
				return {
					...common,
					removed,
					driveId: entry.driveId,
					drive: !removed && drive ? this.driveResource(drive) : undefined,
				};
			}
			const exists = !entry.removed && this.hasFile(entry.fileId);
			return {
				...common,
				removed: !exists,
				fileId: entry.fileId,
				file: exists ? this.fileResource(this.file(entry.fileId)) : undefined,
				driveId: entry.driveId,
				teamDriveId: entry.driveId,
			};
		});
		this.respond(
			ctx,
			{
				kind: 'drive#changeList',
				nextPageToken: rest.length > 0 ? String(rest[0].seq) : undefined,
				newStartPageToken: rest.length > 0 ? undefined : this.currentStartPageToken(),
				changes,
			},
			selection,
		);
	}

	// --- OAuth2 --------------------------------------------------------------------------------

	private async tokenEndpoint(ctx: ServerContext): Promise<void> {
		const { req, res } = ctx;
		if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST only' });
		const body = await readForm(req);
		ctx.log.body = redactForm(body);
		const oauthError = (status: number, error: string, description: string): void =>
			sendJson(res, status, { error, error_description: description }, { 'Cache-Control': 'no-store' });

		if (body.grant_type === JWT_BEARER_GRANT) {
			const verdict = verifyAssertion(body.assertion, {
				accounts: this.serviceAccounts,
				domainUsers: this.domainUsers,
				tokenUrl: this.tokenUrl,
				nowMs: Date.now(),
			});
			if (!verdict.ok) return oauthError(verdict.status, verdict.error, verdict.description);
			this.serviceAccountTokenCount += 1;
			const token = this.newAccessToken(`sa:${verdict.account.clientEmail}`, verdict.subject ?? verdict.account.clientEmail);
			// Google's answer to the JWT bearer grant: no refresh token, and no scope echoed.
			return sendJson(res, 200, { access_token: token, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'Bearer' }, { 'Cache-Control': 'no-store' });
		}
		const basic = basicCredentials(req.headers.authorization);
		const clientId = basic?.id ?? body.client_id;
		const clientSecret = basic?.secret ?? body.client_secret;
		if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
		if (clientId !== this.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
		if (clientSecret !== this.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');

		if (body.grant_type === 'refresh_token') {
			const refreshToken = body.refresh_token;
			if (!refreshToken) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
			const record = this.refreshTokens.get(refreshToken);
			if (!record || record.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
			this.tokenRefreshCount += 1;
			return sendJson(
				res,
				200,
				{
					access_token: this.newAccessToken(record.grant),
					expires_in: ACCESS_TOKEN_LIFETIME_S,
					scope: this.scope,
					token_type: 'Bearer',
				},
				{ 'Cache-Control': 'no-store' },
			);
		}
		if (body.grant_type === 'authorization_code') {
			const code = body.code ? this.authCodes.get(body.code) : undefined;
			if (!body.code) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
			if (!code || code.used) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
			if (code.redirectUri !== undefined && code.redirectUri !== body.redirect_uri) {
				return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
			}
			code.used = true;
			return sendJson(res, 200, this.issueTokens(), { 'Cache-Control': 'no-store' });
		}
		return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${body.grant_type ?? ''}`);
	}

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
		target.searchParams.set('scope', params.get('scope') ?? this.scope);
		ctx.res.writeHead(302, { Location: target.toString() });
		ctx.res.end();
	}

	private async revokeEndpoint(ctx: ServerContext): Promise<void> {
		const body = await readForm(ctx.req);
		const token = ctx.url.searchParams.get('token') ?? body.token ?? '';
		if (this.refreshTokens.has(token)) this.revokeRefreshToken(token);
		else if (this.accessTokens.has(token)) this.revokeAccessToken(token);
		else return sendJson(ctx.res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
		sendJson(ctx.res, 200, {});
	}

	private newAccessToken(grant: string, subject?: string): string {
		const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
		this.accessTokens.set(token, { grant, expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000, revoked: false, subject });
		return token;
	}
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
	return new FakeGoogle(options).start();
}

/** Byte range of a single-range `Range` header; multi-range requests get the whole file. */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
	if (!match || (match[1] === '' && match[2] === '')) return undefined;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		return [Math.max(0, size - suffix), size];
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
	if (start >= size || end <= start) return 'unsatisfiable';
	return [start, end];
}

async function readForm(req: http.IncomingMessage): Promise<Record<string, string | undefined>> {
	const raw = (await readBody(req)).toString('utf8');
	if ((req.headers['content-type'] ?? '').includes('application/json')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			return {};
		}
		if (!isRecord(parsed)) return {};
		return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
	}
	return Object.fromEntries(new URLSearchParams(raw));
}

function redactForm(body: Record<string, string | undefined>): Record<string, string | undefined> {
	const secret = new Set(['client_secret', 'refresh_token', 'code', 'token', 'assertion']);
	return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, secret.has(key) ? '<redacted>' : value]));
}
