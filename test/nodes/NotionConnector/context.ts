import { Readable } from 'node:stream';

import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/**
 * Just enough of n8n's execute context to read parameters the way n8n hands them over:
 * a resource locator's value with `extractValue`, the fallback for a parameter not set.
 */
export function parameterContext(parameters: Record<string, unknown>): IExecuteFunctions {
	const getNodeParameter = (name: string, _itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
		const value = parameters[name];
		if (value === undefined) return fallback;
		if (options?.extractValue && typeof value === 'object' && value !== null && '__rl' in value) {
			return (value as unknown as { value: unknown }).value;
		}
		return value;
	};
	return { getNodeParameter } as unknown as IExecuteFunctions;
}

export const PAGE_ID = '0123456789abcdef0123456789abcdef';
export const DASHED_PAGE_ID = '01234567-89ab-cdef-0123-456789abcdef';

interface HttpRequestOptions {
	url: string;
	method?: string;
	headers?: Record<string, string>;
	body?: Buffer;
}

/**
 * An editor's load-options context whose `httpRequestWithAuthentication` behaves like n8n's
 * for a Bearer credential: it signs the request, answers the full response with a streamed
 * body, and throws (with the response as `cause`) on a status that is not 2xx.
 */
export function loadOptionsContext(
	parameters: Record<string, unknown>,
	token: string,
	requests: Array<{ credentialType: string; url: string }> = [],
): ILoadOptionsFunctions {
	const httpRequestWithAuthentication = async (credentialType: string, options: HttpRequestOptions) => {
		requests.push({ credentialType, url: options.url });
		const response = await fetch(options.url, {
			method: options.method,
			headers: { ...options.headers, authorization: `Bearer ${token}` },
			body: options.body ? new Uint8Array(options.body) : undefined,
		});
		const headers = Object.fromEntries(response.headers.entries());
		if (!response.ok) {
			const data = await response.text();
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				cause: { response: { status: response.status, headers, data } },
			});
		}
		return { statusCode: response.status, headers, body: response.body ? Readable.fromWeb(response.body as never) : null };
	};
	return {
		getNode: () => ({ name: 'Notion Connector', credentials: { notionConnectorApi: { id: 'cred1', name: 'Notion' } } }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		helpers: { httpRequestWithAuthentication },
	} as unknown as ILoadOptionsFunctions;
}
