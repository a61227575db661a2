import { Readable } from 'node:stream';
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { CredentialHostError, isAllowedOrigin, signedFetch, webStreamOf } from '../../lib/http';

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Redirects followed for one request; the API answers directly, a chain is a misconfiguration. */
const MAX_REDIRECTS = 3;

interface AxiosLikeResponse {
	status: number;
	headers?: Record<string, unknown>;
	data?: unknown;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * A WHATWG `fetch` for both SDKs (googleapis via gaxios' `fetchImplementation`, @notionhq/client
 * via its `fetch` option) that speaks as the node's n8n credential. The credential goes only to
 * `allowedOrigins` (lib/http/origins), and never along a redirect to another origin.
 *
 * An OAuth2 credential's access token is read through n8n once per execution and the requests are
 * sent over node:http with it (lib/http/signedFetch): n8n loading and decrypting the credential
 * for every request was a fifth of the CPU of an export of many small files, and its request
 * helper's socket chunks held n8n's memory up while a large file streamed. A 401 sends that one
 * request through n8n's `httpRequestWithAuthentication`, which refreshes the token and saves it in
 * n8n's encrypted credential store; the next request reads the new token. Every other credential,
 * and every request when n8n is told to use a proxy or its SSRF protection, goes through n8n's
 * helper as a whole.
 */
export function authenticatedFetch(ctx: RequestContext, credentialType: string, allowedOrigins: readonly string[]): typeof fetch {
	const tokens = new ExecutionToken(ctx, credentialType);
	return async (input, init) => {
		const request = new Request(input, init);
		if (!isAllowedOrigin(request.url, allowedOrigins)) throw new CredentialHostError(request.url, allowedOrigins);
		const body = request.body === null ? null : Buffer.from(await request.arrayBuffer());
		const token = await tokens.current();
		if (token === undefined) return await throughN8n(ctx, credentialType, request, body);
		const response = await signedFetch(
			{ url: request.url, method: request.method, headers: request.headers, body, signal: request.signal },
			{ authorization: `Bearer ${token}`, maxRedirects: MAX_REDIRECTS },
		);
		if (response.status !== 401) return response;
		await response.body?.cancel();
		try {
			return await throughN8n(ctx, credentialType, request, body);
		} finally {
			tokens.forget(token);
		}
	};
}

/**
 * The bearer token of an execution's OAuth2 credential, read from n8n once and again only after a
 * 401 (n8n has refreshed it by then); undefined where n8n's helper must sign every request.
 */
class ExecutionToken {
	private read: Promise<string | undefined> | undefined;
	private token: string | undefined;

	constructor(
		private readonly ctx: RequestContext,
		private readonly credentialType: string,
	) {}

	async current(): Promise<string | undefined> {
		this.read ??= this.readToken().then((token) => (this.token = token));
		return await this.read;
	}

	/** The token that got a 401; concurrent 401s on it lead to one new read. */
	forget(token: string): void {
		if (this.token === token) {
			this.read = undefined;
			this.token = undefined;
		}
	}

	private async readToken(): Promise<string | undefined> {
		if (!directRequestsAllowed()) return undefined;
		let credential: ICredentialDataDecryptedObject;
		try {
			credential = await this.ctx.getCredentials(this.credentialType);
		} catch {
			// n8n's helper then fails the request with its own account of the credential.
			return undefined;
		}
		const tokenData = credential.oauthTokenData as { access_token?: unknown; token_type?: unknown } | undefined;
		if (credential.ignoreSSLIssues === true || typeof tokenData?.access_token !== 'string' || tokenData.access_token === '') return undefined;
		const tokenType = typeof tokenData.token_type === 'string' ? tokenData.token_type.toLowerCase() : 'bearer';
		return tokenType === 'bearer' ? tokenData.access_token : undefined;
	}
}

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/** n8n applies proxies and its SSRF rules in its own helper; then every request goes through it. */
function directRequestsAllowed(): boolean {
	if (PROXY_VARIABLES.some((name) => (process.env[name] ?? '') !== '')) return false;
	return process.env.N8N_SSRF_PROTECTION_ENABLED?.toLowerCase() !== 'true';
}

/** One request through n8n's `httpRequestWithAuthentication`: n8n signs it, and refreshes the token on a 401. */
async function throughN8n(ctx: RequestContext, credentialType: string, request: Request, body: Buffer | null): Promise<Response> {
	const options: IHttpRequestOptions = {
		url: request.url,
		method: request.method.toUpperCase() as IHttpRequestMethods,
		headers: headersToObject(request.headers),
		encoding: 'stream',
		returnFullResponse: true,
		json: false,
		sendCredentialsOnCrossOriginRedirect: false,
		maxRedirects: MAX_REDIRECTS,
	};
	if (body !== null) options.body = body;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)) as FullResponse;
		return toResponse(response.statusCode, response.headers, response.body);
	} catch (error) {
		// n8n throws on every non-2xx status (that is what triggers its OAuth2
		// refresh on 401); the SDKs expect a Response they can read the
		// provider's error body from. Errors without an HTTP response (network,
		// a revoked grant) propagate unchanged.
		const response = httpResponseOf(error);
		if (response) return toResponse(response.status, response.headers ?? {}, response.data);
		if (error instanceof NodeOperationError) throw new NodeOperationError(ctx.getNode(), error);
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

function httpResponseOf(error: unknown): AxiosLikeResponse | undefined {
	const cause = (error as { cause?: { response?: unknown } } | undefined)?.cause;
	const response = cause?.response as AxiosLikeResponse | undefined;
	return response && typeof response.status === 'number' ? response : undefined;
}

function headersToObject(headers: Headers): IDataObject {
	const result: IDataObject = {};
	headers.forEach((value, key) => {
		result[key] = value;
	});
	return result;
}

function toResponse(status: number, rawHeaders: Record<string, unknown>, body: unknown): Response {
	const headers = new Headers();
	for (const [key, value] of Object.entries(rawHeaders)) {
		if (value === undefined || value === null) continue;
		headers.set(key, Array.isArray(value) ? value.join(', ') : String(value));
	}
	const noBody = status === 204 || status === 304;
	return new Response(noBody ? null : toBodyInit(body), { status, headers });
}

function toBodyInit(body: unknown): ConstructorParameters<typeof Response>[0] {
	if (body === undefined || body === null) return null;
	if (body instanceof Readable) return webStreamOf(body);
	if (Buffer.isBuffer(body)) return new Uint8Array(body);
	if (typeof body === 'string') return body;
	return JSON.stringify(body);
}
