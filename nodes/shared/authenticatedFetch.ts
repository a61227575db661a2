import { Readable } from 'node:stream';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { CredentialHostError, isAllowedOrigin } from '../../lib/http';

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Redirects n8n follows for one request; the API answers directly, a chain is a misconfiguration. */
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
 * A WHATWG `fetch` that sends every request through n8n's
 * `httpRequestWithAuthentication`, so both SDKs (googleapis via gaxios'
 * `fetchImplementation`, @notionhq/client via its `fetch` option) get n8n's
 * credential signing and OAuth2 refresh, and a refreshed token is saved by
 * n8n into its own encrypted credential store. The token never passes through
 * this package. The credential goes only to `allowedOrigins` (lib/http/origins), and never
 * along a redirect to another origin.
 */
export function authenticatedFetch(ctx: RequestContext, credentialType: string, allowedOrigins: readonly string[]): typeof fetch {
	return async (input, init) => {
		const request = new Request(input, init);
		if (!isAllowedOrigin(request.url, allowedOrigins)) throw new CredentialHostError(request.url, allowedOrigins);
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
		if (request.body !== null) {
			options.body = Buffer.from(await request.arrayBuffer());
		}
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				credentialType,
				options,
			)) as FullResponse;
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
	};
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

/**
 * A web stream over a Node stream's chunks, read one at a time as the consumer asks. Unlike
 * `Readable.toWeb`, which copies every chunk, it hands the chunks on as they are: a 1 GiB download
 * then allocates half as much, and n8n's memory grows far less while it streams.
 */
function webStreamOf(body: Readable): ReadableStream<Uint8Array> {
	const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const { value, done } = await chunks.next();
					if (done) controller.close();
					else if (typeof value === 'string') controller.enqueue(Buffer.from(value));
					else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
				} catch (error) {
					controller.error(error);
				}
			},
			async cancel() {
				body.destroy();
				await chunks.return?.();
			},
		},
		{ highWaterMark: 0 },
	);
}
