/** Which answers and failures are worth another attempt, per provider. */

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Drive's 403 reasons that mean "slow down", as opposed to "you may not" (`fileNotDownloadable`, …). */
const GOOGLE_RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export type RetryableCheck = (response: Response) => Promise<boolean>;

/** 429, 500, 502, 503, 504. */
export async function defaultRetryable(response: Response): Promise<boolean> {
	return TRANSIENT_STATUSES.has(response.status);
}

/** 429, any 5xx, and 403 only when Drive says the reason is a rate limit. */
export async function googleRetryable(response: Response): Promise<boolean> {
	if (response.status === 429 || (response.status >= 500 && response.status <= 599)) return true;
	if (response.status !== 403) return false;
	const reasons = await googleErrorReasons(response);
	return reasons.some((reason) => GOOGLE_RATE_LIMIT_REASONS.has(reason));
}

/** `error.errors[].reason` of a Google error body, read from a clone so the SDK still gets the body. */
export async function googleErrorReasons(response: Response): Promise<string[]> {
	let body: unknown;
	try {
		body = JSON.parse(await response.clone().text());
	} catch {
		return [];
	}
	const errors = isRecord(body) && isRecord(body.error) ? body.error.errors : undefined;
	if (!Array.isArray(errors)) return [];
	return errors.flatMap((entry: unknown) =>
		isRecord(entry) && typeof entry.reason === 'string' ? [entry.reason] : [],
	);
}

/**
 * A dropped or refused connection, also when wrapped (`TypeError: fetch failed` with a cause).
 * Aborts and timeouts the caller asked for are never transient.
 */
export function isTransientNetworkError(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && isRecord(current); depth++) {
		if (current.name === 'AbortError' || current.name === 'TimeoutError') return false;
		if (typeof current.code === 'string' && TRANSIENT_NETWORK_CODES.has(current.code)) return true;
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message)) return true;
		current = current.cause;
	}
	return false;
}

/** A short label for logs and breaker messages: `ECONNRESET`, or the message. */
export function describeNetworkError(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && isRecord(current); depth++) {
		if (typeof current.code === 'string') return current.code;
		current = current.cause;
	}
	return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
