/**
 * A request signed with a bearer credential and sent by node:http (lib/http/nodeRequest), following its
 * redirects here so the credential's rules hold on every hop: it goes to the request's own origin
 * only, never to another origin a redirect leads to (nor back after one), and a chain longer than
 * `maxRedirects` is refused.
 */
import { ConnectorError } from '../errors';
import { nodeRequest, type NodeRequestInit } from './nodeRequest';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface SignedRequest {
	url: string;
	method: string;
	headers: Headers;
	body: Uint8Array | null;
	signal?: AbortSignal;
}

export interface SignedFetchOptions {
	/** The `Authorization` header for the request's own origin, e.g. `Bearer ya29…`. */
	authorization: string;
	maxRedirects: number;
	/** Sends one hop, never following a redirect; node:http by default. */
	send?: (url: string, init: NodeRequestInit) => Promise<Response>;
}

/** A redirect chain longer than the API ever answers with. */
export class TooManyRedirectsError extends ConnectorError {
	constructor(url: string, maxRedirects: number) {
		super(
			'too_many_redirects',
			`${new URL(url).origin} redirected more than ${maxRedirects} times`,
			'Check the API URL setting (CONNECTORS_*_API_URL): a proxy in front of the API must answer, not redirect.',
		);
		this.name = 'TooManyRedirectsError';
	}
}

export async function signedFetch(request: SignedRequest, { authorization, maxRedirects, send = nodeRequest }: SignedFetchOptions): Promise<Response> {
	const origin = new URL(request.url).origin;
	let { url, method, body } = request;
	let signed = true;
	for (let hop = 0; ; hop++) {
		const headers = new Headers(request.headers);
		headers.delete('authorization');
		if (body === null) {
			headers.delete('content-type');
			headers.delete('content-length');
		}
		if (signed) headers.set('authorization', authorization);
		const response = await send(url, { method, headers, body, signal: request.signal });
		const location = response.headers.get('location');
		if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
		await response.body?.cancel();
		if (hop === maxRedirects) throw new TooManyRedirectsError(request.url, maxRedirects);
		url = new URL(location, url).toString();
		// Once a hop leaves the origin, the rest of the chain is not the API's to vouch for.
		signed = signed && new URL(url).origin === origin;
		if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
			method = 'GET';
			body = null;
		}
	}
}
