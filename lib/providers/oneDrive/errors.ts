/**
 * Microsoft Graph's errors, read in one place: the body `{ error: { code, message, innerError } }`
 * of every non-2xx answer, and which answers are worth another attempt.
 */
import { ConnectorError } from '../../errors';

/** Graph's error answer, typed: the HTTP status, Graph's `code` (`itemNotFound`, `resyncRequired`, …) and its message. */
export class GraphError extends ConnectorError {
	constructor(
		readonly status: number,
		readonly graphCode: string,
		message: string,
		hint?: string,
	) {
		super(codeFor(status), message, hint);
		this.name = 'GraphError';
	}
}

function codeFor(status: number): string {
	if (status === 401) return 'unauthorized';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'not_found';
	if (status === 429) return 'rate_limited';
	return 'graph_error';
}

/** What to do next, by Graph's answer. */
function hintFor(status: number): string {
	if (status === 401) return 'Reconnect the Microsoft credential: its token was refused.';
	if (status === 403) return 'Check the account can open the item in OneDrive or SharePoint, and that the app was granted Files.Read.All and Sites.Read.All.';
	if (status === 404) return 'Check the id or URL, and that the item is shared with the account of this credential.';
	if (status === 429 || status === 503) return 'Microsoft Graph is throttling this account; run the workflow again later.';
	return 'Run the workflow again; if it keeps failing, check Microsoft 365 service health.';
}

/** A GraphError from a non-2xx answer; its body is read (and consumed). */
export async function graphErrorOf(response: Response, what: string): Promise<GraphError> {
	let code = 'unknown';
	let message = `HTTP ${response.status}`;
	try {
		const body = (await response.json()) as unknown;
		const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
		if (typeof error?.code === 'string') code = error.code;
		if (typeof error?.message === 'string') message = error.message;
	} catch {
		// A body that is not Graph's JSON (a proxy's page): the status says enough.
	}
	return new GraphError(response.status, code, `Microsoft Graph refused ${what}: ${message} (${response.status} ${code})`, hintFor(response.status));
}

/** Graph asks to slow down with 429 and 503 (both with Retry-After); 500, 502, 504 and 509 are transient too. */
export async function isGraphRetryable(response: Response): Promise<boolean> {
	return response.status === 429 || response.status === 509 || (response.status >= 500 && response.status <= 599 && response.status !== 501);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
