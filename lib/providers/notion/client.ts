import { APIResponseError, Client, LogLevel } from '@notionhq/client';

import { NotFoundError } from '../../errors';
import { circuitBreakerFor, requestThrottleFor, resilientFetch } from '../../http';
import { NOTION_API_VERSION, notionApiUrl } from '../../settings';
import { notionResilience } from './resilience';

export interface NotionClientOptions {
	/** The fetch that signs requests (the node passes one routed through n8n's httpRequestWithAuthentication); default global fetch. */
	fetch?: typeof fetch;
	/** Default settings.notionApiUrl(). */
	baseUrl?: string;
	/** Throttle/breaker key: one integration = one ~3 req/s budget shared by every execution in the process (`notionResilience.breakerKey`). */
	integrationKey: string;
	/** Bearer token, only when `fetch` does not sign (lib-level tests, benchmarks). */
	auth?: string;
	/**
	 * The integration's sustained budget (default 3, Notion's limit); read when the integration's
	 * throttle is first created. Extension of the contract, for tests against a faster fake.
	 */
	requestsPerSecond?: number;
}

/** Notion's documented limit: an average of three requests per second per integration. */
export const NOTION_REQUESTS_PER_SECOND = 3;
/** Back-to-back requests after an idle spell; Notion allows short bursts above the average. */
export const NOTION_BURST = 3;

/**
 * The SDK's timeout spans one whole call through our fetch: the wait for a throttle permit behind
 * other executions of the integration, retries and `Retry-After` pauses (up to 120 s) included.
 * Its 60 s default would abandon calls that are only queued; a stalled connection is still cut
 * by undici's own 300 s header/body timeouts.
 */
export const NOTION_CALL_TIMEOUT_MS = 5 * 60_000;

/** The server's clock as its `Date` headers tell it, per client (see `serverTimeOf`). */
const serverClocks = new WeakMap<Client, { lastDateMs?: number }>();
/** The integration each client speaks for (see `integrationKeyOf`). */
const integrationKeys = new WeakMap<Client, string>();

/**
 * @notionhq/client on settings.NOTION_API_VERSION, throttled to the integration's shared budget,
 * with resilientFetch retries (429 Retry-After, 5xx, connection resets) and a circuit breaker.
 * The SDK's own retries are off: one retry policy, and every attempt goes through the throttle.
 */
export function notionClient(options: NotionClientOptions): Client {
	const rate = options.requestsPerSecond ?? NOTION_REQUESTS_PER_SECOND;
	const throttle = requestThrottleFor(options.integrationKey, { rate, burst: Math.max(NOTION_BURST, Math.floor(rate)) });
	const breaker = circuitBreakerFor(options.integrationKey, { providerName: 'Notion' });
	const inner = options.fetch ?? fetch;
	const clock: { lastDateMs?: number } = {};
	const resilient = resilientFetch(inner, { isRetryable: notionResilience.isRetryable, throttle, breaker });
	const timed: typeof fetch = async (input, init) => {
		const response = await resilient(input, init);
		const date = Date.parse(response.headers.get('date') ?? '');
		if (Number.isFinite(date)) clock.lastDateMs = date;
		return response;
	};
	const client = new Client({
		auth: options.auth,
		baseUrl: (options.baseUrl ?? notionApiUrl()).replace(/\/+$/, ''),
		notionVersion: NOTION_API_VERSION,
		fetch: timed,
		retry: false,
		timeoutMs: NOTION_CALL_TIMEOUT_MS,
		logLevel: LogLevel.ERROR,
		logger: () => undefined,
	});
	serverClocks.set(client, clock);
	integrationKeys.set(client, options.integrationKey);
	return client;
}

/** The integration (credential) a client from `notionClient` speaks for; undefined for any other client. */
export function integrationKeyOf(client: Client): string | undefined {
	return integrationKeys.get(client);
}

/**
 * Notion's clock at its last response (the `Date` header), when the client came from
 * `notionClient`; listings use it to place their cursor on the clock `last_edited_time` uses.
 */
export function serverTimeOf(client: Client): number | undefined {
	return serverClocks.get(client)?.lastDateMs;
}

/** Notion's error code (`object_not_found`, `validation_error`, …) and HTTP status of an SDK error. */
export function notionErrorOf(error: unknown): { status?: number; code?: string } {
	if (APIResponseError.isAPIResponseError(error)) return { status: error.status, code: error.code };
	return {};
}

export function isNotFound(error: unknown): boolean {
	const { status, code } = notionErrorOf(error);
	return status === 404 || code === 'object_not_found';
}

/** The error for a page or database Notion does not show the integration. */
export function notSharedError(kind: 'page' | 'database', id: string, cause?: unknown): NotFoundError {
	return new NotFoundError(
		`Notion ${kind} ${id} was not found or is not shared with this integration`,
		`Check the ${kind} id or URL; in Notion, open the ${kind}, choose ••• → Connections and add this integration (sharing a parent page shares everything under it).`,
		{ cause },
	);
}
