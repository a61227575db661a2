/** One scripted answer: a response, or an error to throw. */
export type Scripted = Response | Error | DOMException | (() => Response);

export interface SentRequest {
	url: string;
	method: string;
	body: string;
}

/**
 * An inner `fetch` that answers from a script (the last entry repeats) and records what was sent,
 * reading bodies the way a real fetch would.
 */
export function scriptedFetch(...script: Scripted[]): typeof fetch & { sent: SentRequest[] } {
	const sent: SentRequest[] = [];
	let index = 0;
	const inner = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
		const request = new Request(input, init);
		sent.push({ url: request.url, method: request.method, body: await request.text() });
		const next = script[Math.min(index++, script.length - 1)];
		if (typeof next === 'function') return next();
		if (next instanceof Response) return next.clone();
		throw next;
	};
	return Object.assign(inner, { sent });
}

export function status(code: number, headers: Record<string, string> = {}, body = ''): Response {
	return new Response(body === '' ? null : body, { status: code, headers });
}

export function googleError(code: number, reason: string): Response {
	return new Response(
		JSON.stringify({ error: { code, message: `Google says ${reason}`, errors: [{ domain: 'usageLimits', reason }] } }),
		{ status: code, headers: { 'content-type': 'application/json' } },
	);
}

/** What undici throws when a connection drops. */
export function connectionReset(): Error {
	return new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

/** Records requested waits and returns at once. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
	const waits: number[] = [];
	return Object.assign(async (ms: number) => {
		waits.push(ms);
	}, { waits });
}
