/** Exponential backoff with full jitter: a random wait in [0, min(max, base · 2^(attempt-1))). */
export function backoffDelayMs(
	attempt: number,
	baseDelayMs: number,
	maxDelayMs: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.floor(random() * ceiling);
}

/**
 * Reads `Retry-After` as milliseconds to wait: delta-seconds (`"2"`, `"1.5"`) or an HTTP date.
 * Undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
	if (header === null) return undefined;
	const value = header.trim();
	if (value === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
