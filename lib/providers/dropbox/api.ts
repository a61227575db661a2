/**
 * The one place the provider talks to Dropbox: RPC routes (JSON in, JSON out) on the API host and
 * content routes (arguments in `Dropbox-API-Arg`, result in `Dropbox-API-Result`) on the content
 * host, over n8n's signed fetch with retries and a circuit breaker per credential.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { ConnectorError } from '../../errors';
import { circuitBreakerFor, resilientFetch } from '../../http';
import { dropboxApiUrl, dropboxContentUrl } from '../../settings';
import type { ProviderTransport } from '../types';
import { dropboxResilience } from './resilience';

/** Which namespace paths are relative to: the user's home (no header), or a namespace such as the team space. */
export type PathRoot = { namespaceId: string } | null;

export interface DropboxConnection {
	rpc<Result>(route: string, arg: unknown, options?: CallOptions): Promise<Result>;
	/** A content-download route: the bytes streamed and the route's result from `Dropbox-API-Result`. */
	download<Result>(route: string, arg: unknown, options?: CallOptions): Promise<{ body: Readable; result: Result }>;
	/** Requests sent (retries not counted), for a listing's `requests`. */
	readonly stats: { requests: number };
}

export interface CallOptions {
	pathRoot?: PathRoot;
	signal?: AbortSignal;
}

export interface DropboxEndpoints {
	apiUrl: string;
	contentUrl: string;
}

/** An error Dropbox answered with: HTTP status, and for route errors (409) the `error_summary` and `.tag` chain. */
export class DropboxApiError extends ConnectorError {
	constructor(
		readonly route: string,
		readonly status: number,
		/** e.g. `path/not_found/..`; for 400s Dropbox's plain-text explanation. */
		readonly summary: string,
		readonly error: unknown,
	) {
		super(codeOf(status), messageOf(route, status, summary), hintOf(status, summary));
		this.name = 'DropboxApiError';
	}

	/** Whether the error summary starts with these tags, e.g. `is('path', 'not_found')`. */
	is(...tags: string[]): boolean {
		return this.status === 409 && this.summary.startsWith(`${tags.join('/')}/`);
	}
}

function codeOf(status: number): string {
	if (status === 401) return 'unauthorized';
	if (status === 403) return 'forbidden';
	if (status === 409) return 'dropbox_route_error';
	if (status === 429) return 'rate_limited';
	return status >= 500 ? 'provider_unavailable' : 'dropbox_request_error';
}

function messageOf(route: string, status: number, summary: string): string {
	return `Dropbox refused ${route} (HTTP ${status}): ${summary || 'no details'}`;
}

function hintOf(status: number, summary: string): string {
	if (status === 401) {
		if (summary.startsWith('missing_scope')) return 'Reconnect the Dropbox credential with the scopes the README lists (the app in the Dropbox App Console must have them enabled).';
		return 'Reconnect the Dropbox credential in n8n (Credentials → Dropbox Connector → Reconnect).';
	}
	if (status === 422) return 'The team space of this account changed; pick the source again from the list.';
	if (status === 429 || status >= 500) return 'Dropbox is busy or failing; the run can be repeated later and lists the same changes again.';
	return 'Check the folder, path or link; if it is right, check that the connected account can open it in Dropbox.';
}

/** JSON for an HTTP header: Dropbox requires ASCII, so every other character is escaped as \uXXXX. */
export function headerJson(value: unknown): string {
	return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pathRootHeader(pathRoot: PathRoot | undefined): Record<string, string> {
	return pathRoot ? { 'Dropbox-API-Path-Root': headerJson({ '.tag': 'namespace_id', namespace_id: pathRoot.namespaceId }) } : {};
}

/** The client over n8n's signed fetch; `endpoints` are CONNECTORS_DROPBOX_API_URL's and CONNECTORS_DROPBOX_CONTENT_URL's by default. */
export function connectDropbox(
	{ fetch, credentialKey }: ProviderTransport,
	endpoints: DropboxEndpoints = { apiUrl: dropboxApiUrl(), contentUrl: dropboxContentUrl() },
): DropboxConnection {
	const signed = resilientFetch(fetch, {
		isRetryable: dropboxResilience.isRetryable,
		breaker: circuitBreakerFor(dropboxResilience.breakerKey(credentialKey), { providerName: 'Dropbox' }),
	});
	const stats = { requests: 0 };
	const apiUrl = endpoints.apiUrl.replace(/\/+$/, '');
	const contentUrl = endpoints.contentUrl.replace(/\/+$/, '');

	return {
		stats,
		async rpc<Result>(route: string, arg: unknown, options: CallOptions = {}): Promise<Result> {
			stats.requests++;
			// Routes without arguments take the JSON `null`: Dropbox refuses `{}` where it expects none.
			const body = arg === null ? 'null' : JSON.stringify(arg);
			const response = await signed(`${apiUrl}/2/${route}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', ...pathRootHeader(options.pathRoot) },
				body,
				signal: options.signal,
			});
			if (!response.ok) throw await errorOf(route, response);
			return (await response.json()) as Result;
		},
		async download<Result>(route: string, arg: unknown, options: CallOptions = {}): Promise<{ body: Readable; result: Result }> {
			stats.requests++;
			const response = await signed(`${contentUrl}/2/${route}`, {
				method: 'POST',
				headers: { 'Dropbox-API-Arg': headerJson(arg), ...pathRootHeader(options.pathRoot) },
				signal: options.signal,
			});
			if (!response.ok || response.body === null) throw await errorOf(route, response);
			const header = response.headers.get('dropbox-api-result');
			let result: Result;
			try {
				result = JSON.parse(header ?? '') as Result;
			} catch {
				await response.body.cancel();
				throw new ConnectorError(
					'dropbox_bad_response',
					`Dropbox answered ${route} without a readable Dropbox-API-Result header`,
					'A proxy between n8n and Dropbox may strip the header; let it through (CONNECTORS_DROPBOX_CONTENT_URL).',
				);
			}
			return { body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), result };
		},
	};
}

/** Route errors come as JSON with `error_summary`; bad requests (400) as plain text. */
async function errorOf(route: string, response: Response): Promise<DropboxApiError> {
	const text = await response.text().catch(() => '');
	try {
		const parsed = JSON.parse(text) as { error_summary?: unknown; error?: unknown };
		if (typeof parsed.error_summary === 'string') return new DropboxApiError(route, response.status, parsed.error_summary, parsed.error);
	} catch {
		// Plain text, as Dropbox sends for 400s and some 5xx.
	}
	return new DropboxApiError(route, response.status, text.trim().slice(0, 500), undefined);
}
