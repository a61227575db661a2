/**
 * Google's errors, read in one place: the answer body `{ error: { code, message, errors: [{ reason,
 * location }] } }`, whether it arrives as a raw response (retries), a client error with the body
 * parsed, or a streamed download's error with the body left as JSON text.
 */

/** Drive's 403 reasons that mean "slow down", as opposed to "you may not" (`fileNotDownloadable`, …). */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

interface ErrorEntry {
	reason?: string;
	/** The request parameter the error is about, e.g. `pageToken`. */
	location?: string;
}

export interface GoogleError {
	status?: number;
	/** The first entry's reason: `notFound`, `rateLimitExceeded`, `exportSizeLimitExceeded`, … */
	reason?: string;
	location?: string;
	message: string;
}

/** The `error.errors[]` entries of a Google error body, parsed or as JSON text; none when it is neither. */
function entriesOf(body: unknown): ErrorEntry[] {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body) as unknown;
		} catch {
			return [];
		}
	}
	const errors = isRecord(parsed) && isRecord(parsed.error) ? parsed.error.errors : undefined;
	if (!Array.isArray(errors)) return [];
	return errors.flatMap((entry: unknown) =>
		isRecord(entry)
			? [{ reason: stringOr(entry.reason), location: stringOr(entry.location) }]
			: [],
	);
}

/** HTTP status, Google's reason and location, and the message of an error the Drive client threw. */
export function googleErrorOf(error: unknown): GoogleError {
	const failure = isRecord(error) ? error : {};
	const response = isRecord(failure.response) ? failure.response : {};
	const status = typeof failure.status === 'number' ? failure.status : typeof response.status === 'number' ? response.status : undefined;
	const [first] = entriesOf(response.data);
	return {
		status,
		reason: first?.reason,
		location: first?.location,
		message: typeof failure.message === 'string' ? failure.message : String(error),
	};
}

/** Every `error.errors[].reason` of an answer, read from a clone so the client still gets the body. */
export async function googleErrorReasons(response: Response): Promise<string[]> {
	let text: string;
	try {
		text = await response.clone().text();
	} catch {
		return [];
	}
	return entriesOf(text).flatMap((entry) => (entry.reason === undefined ? [] : [entry.reason]));
}

/** 429, any 5xx, and a 403 only when Google says its reason is a rate limit. */
export async function isGoogleRetryable(response: Response): Promise<boolean> {
	if (response.status === 429 || (response.status >= 500 && response.status <= 599)) return true;
	if (response.status !== 403) return false;
	const reasons = await googleErrorReasons(response);
	return reasons.some((reason) => RATE_LIMIT_REASONS.has(reason));
}

function stringOr(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
