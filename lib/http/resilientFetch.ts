import { STATUS_CODES } from 'node:http';

import { InvalidInputError } from '../errors';
import { retryBudgetMs } from '../settings';
import { backoffDelayMs, retryAfterMs } from './backoff';
import type { CircuitBreaker } from './circuitBreaker';
import type { RequestThrottle } from './requestThrottle';
import { defaultRetryable, describeNetworkError, isTransientNetworkError } from './retryable';

export interface RetryPolicy {
	/** Attempts in all, the first included. Default: as many as `retryBudgetMs` allows. */
	maxAttempts?: number;
	/**
	 * How long retries of one request may go on, from its first attempt: a wait that would end
	 * past it is not taken and the last answer goes back. Default `CONNECTORS_RETRY_BUDGET_SECONDS` (120 s).
	 */
	retryBudgetMs?: number;
	/** Backoff ceiling of the first retry; doubles each retry. Default 500 ms. */
	baseDelayMs?: number;
	/** Cap on backoff and on ordinary `Retry-After` waits. Default 30 s. */
	maxDelayMs?: number;
	/**
	 * A `Retry-After` above `maxDelayMs` is still honoured up to this; one above it ends the
	 * retries at once (the response goes back to the SDK) rather than retrying early. Default 120 s.
	 */
	retryAfterCeilingMs?: number;
	/** Whether a response is worth another attempt. Default: 429, 500, 502, 503, 504. */
	isRetryable?: (response: Response) => boolean | Promise<boolean>;
	/** Opt-in: fail fast while the provider keeps failing. */
	breaker?: CircuitBreaker;
	/** Opt-in: a permit before every attempt; rate limits (429, a retryable 403) pause it for every caller. */
	throttle?: RequestThrottle;
	onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
	/** The attempt that failed, 1-based. */
	attempt: number;
	delayMs: number;
	/** `429 Too Many Requests`, `ECONNRESET`, … */
	reason: string;
	status?: number;
	url: string;
	/** When the request's first attempt began (the `now` of the deps), to tell one request's retries from new requests. */
	startedAt: number;
}

/** Running totals for benchmarks and logs; one object per wrapper, mutated in place. */
export interface RetryStats {
	requests: number;
	attempts: number;
	retries: number;
	rateLimited: number;
	networkErrors: number;
	waitedMs: number;
}

export interface ResilientFetchDeps {
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	random?: () => number;
	now?: () => number;
}

export type ResilientFetch = typeof fetch & { readonly stats: RetryStats };

type FetchInput = Parameters<typeof fetch>[0];
type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

/**
 * Wraps a WHATWG `fetch` (the signing one the n8n layer supplies) with retries, backoff,
 * `Retry-After`, an optional circuit breaker and throttle. After the last attempt the last
 * response is returned, not thrown, so the SDK raises its usual error.
 */
export function resilientFetch(
	inner: typeof fetch,
	policy: RetryPolicy = {},
	deps: ResilientFetchDeps = {},
): ResilientFetch {
	const maxAttempts = policy.maxAttempts ?? Number.POSITIVE_INFINITY;
	const retryBudget = policy.retryBudgetMs ?? retryBudgetMs();
	const baseDelayMs = policy.baseDelayMs ?? 500;
	const maxDelayMs = policy.maxDelayMs ?? 30_000;
	const retryAfterCeilingMs = Math.max(policy.retryAfterCeilingMs ?? 120_000, maxDelayMs);
	const isRetryable = policy.isRetryable ?? defaultRetryable;
	const sleep = deps.sleep ?? abortableSleep;
	const random = deps.random ?? Math.random;
	const now = deps.now ?? Date.now;
	validatePolicy(maxAttempts, baseDelayMs, maxDelayMs, retryBudget);

	const stats: RetryStats = { requests: 0, attempts: 0, retries: 0, rateLimited: 0, networkErrors: 0, waitedMs: 0 };
	const { breaker, throttle } = policy;

	const wrapped = async (input: FetchInput, init?: FetchInit): Promise<Response> => {
		stats.requests++;
		const request = await replayableRequest(input, init);
		const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
		const attemptsAllowed = request.replayable ? maxAttempts : 1;
		breaker?.beforeRequest();
		let verdictGiven = false;
		const startedAt = now();
		/** Time left for waiting and retrying; never below zero. */
		const budgetLeft = (): number => Math.max(0, retryBudget - (now() - startedAt));
		try {
			for (let attempt = 1; ; attempt++) {
				await throttle?.acquire();
				stats.attempts++;
				let response: Response;
				try {
					response = await request.send(inner);
				} catch (error) {
					if (!isTransientNetworkError(error)) throw error;
					stats.networkErrors++;
					const reason = describeNetworkError(error);
					if (attempt >= attemptsAllowed || budgetLeft() === 0) {
						breaker?.recordFailure(reason);
						verdictGiven = true;
						throw error;
					}
					await wait(attempt, Math.min(backoffDelayMs(attempt, baseDelayMs, maxDelayMs, random), budgetLeft()), reason, undefined);
					continue;
				}

				if (!(await isRetryable(response))) {
					breaker?.recordSuccess();
					verdictGiven = true;
					return response;
				}
				const reason = describeStatus(response);
				// A 403 gets here only when the provider's check calls it a rate limit (Drive's userRateLimitExceeded).
				const rateLimited = response.status === 429 || response.status === 403;
				if (rateLimited) stats.rateLimited++;
				const serverWaitMs = retryAfterMs(response.headers.get('retry-after'), now());
				const left = budgetLeft();
				if (
					attempt >= attemptsAllowed ||
					left === 0 ||
					(serverWaitMs !== undefined && (serverWaitMs > retryAfterCeilingMs || serverWaitMs > left))
				) {
					breaker?.recordFailure(reason);
					verdictGiven = true;
					return response;
				}
				const delayMs =
					serverWaitMs === undefined
						? Math.min(backoffDelayMs(attempt, baseDelayMs, maxDelayMs, random), left)
						: Math.min(serverWaitMs + retryAfterJitterMs(serverWaitMs, random), left);
				// Everyone sharing the integration's quota backs off, not just this caller.
				if (rateLimited) throttle?.pause(delayMs);
				// Not awaited: cancelling one branch of a cloned (teed) body waits for the other branch.
				void response.body?.cancel().catch(() => undefined);
				await wait(attempt, delayMs, reason, response.status);
			}
		} finally {
			if (!verdictGiven) breaker?.recordAbandoned();
		}

		async function wait(attempt: number, delayMs: number, reason: string, status: number | undefined) {
			stats.retries++;
			stats.waitedMs += delayMs;
			policy.onRetry?.({ attempt, delayMs, reason, status, url: request.url, startedAt });
			await sleep(delayMs, signal);
		}
	};

	return Object.assign(wrapped, { stats });
}

interface ReplayableRequest {
	url: string;
	/** False for streamed bodies: they are sent once and never retried. */
	replayable: boolean;
	send(inner: typeof fetch): Promise<Response>;
}

/** Reads a buffer-like body once, so every attempt sends the same bytes in a fresh request. */
async function replayableRequest(input: FetchInput, init: FetchInit | undefined): Promise<ReplayableRequest> {
	if (input instanceof Request) {
		const body = input.body === null ? null : await input.arrayBuffer();
		return {
			url: input.url,
			replayable: true,
			send: (inner) => inner(new Request(input, { ...init, ...(body === null ? {} : { body: body.slice(0) }) })),
		};
	}
	const url = input instanceof URL ? input.href : input;
	const body = init?.body;
	if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
		const snapshot = toArrayBuffer(body);
		return { url, replayable: true, send: (inner) => inner(input, { ...init, body: new Uint8Array(snapshot.slice(0)) }) };
	}
	// Strings, forms and blobs are immutable or re-serialised per request.
	const replayable =
		body === undefined ||
		body === null ||
		typeof body === 'string' ||
		body instanceof URLSearchParams ||
		body instanceof Blob ||
		body instanceof FormData;
	return { url, replayable, send: (inner) => inner(input, init) };
}

function toArrayBuffer(body: ArrayBuffer | ArrayBufferView): ArrayBuffer {
	if (body instanceof ArrayBuffer) return body.slice(0);
	const copy = new Uint8Array(body.byteLength);
	copy.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
	return copy.buffer;
}

function describeStatus(response: Response): string {
	return `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
}

/**
 * A little on top of `Retry-After` (a tenth of it, at most 1 s): callers told the same wait would
 * otherwise all come back in the same millisecond and trip the limit again.
 */
function retryAfterJitterMs(serverWaitMs: number, random: () => number): number {
	return Math.floor(random() * Math.min(1000, Math.max(50, serverWaitMs / 10)));
}

function validatePolicy(maxAttempts: number, baseDelayMs: number, maxDelayMs: number, retryBudget: number): void {
	if (!(Number.isInteger(maxAttempts) || maxAttempts === Number.POSITIVE_INFINITY) || maxAttempts < 1) {
		throw new InvalidInputError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
	}
	if (!(retryBudget >= 0) || !Number.isFinite(retryBudget)) {
		throw new InvalidInputError(`retryBudgetMs must be a finite number of milliseconds, zero or more, got ${retryBudget}`);
	}
	if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
		throw new InvalidInputError(`Retry delays must be zero or more, got base ${baseDelayMs} ms and max ${maxDelayMs} ms`);
	}
}

/** Waits, but gives up with the caller's abort reason so a cancelled run does not linger. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
