/**
 * One HTTP exchange over `node:http`/`node:https`, answered as a WHATWG Response whose body hands
 * on the socket's chunks as they are, one at a time as the reader asks. Node's `fetch` copies every
 * chunk it receives and reads ahead into large buffers; a download then held tens of MB more.
 * Redirects are not followed (signedFetch does), compressed bodies are inflated as `fetch` does.
 * A connection silent for `idleTimeoutMs` (waiting for the answer or between body chunks) is cut
 * with ETIMEDOUT, which the retry layer treats as transient, as undici's header and body timeouts do.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface NodeRequestInit {
	method: string;
	headers: Headers;
	body: Uint8Array | null;
	signal?: AbortSignal | null;
	/** How long the socket may stay silent; default `NODE_REQUEST_IDLE_TIMEOUT_MS`. */
	idleTimeoutMs?: number;
}

/** undici's default header and body timeouts, which `fetch` would apply. */
export const NODE_REQUEST_IDLE_TIMEOUT_MS = 300_000;

function idleTimeoutError(target: URL, ms: number): Error {
	return Object.assign(new Error(`${target.host} sent nothing for ${Math.round(ms / 1000)} s; the connection was closed`), { code: 'ETIMEDOUT' });
}

export async function nodeRequest(url: string, init: NodeRequestInit): Promise<Response> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? https.request : http.request;
	const headers: Record<string, string> = {};
	init.headers.forEach((value, key) => {
		headers[key] = value;
	});
	if (init.body !== null) headers['content-length'] = String(init.body.byteLength);
	headers['accept-encoding'] ??= 'gzip, deflate, br';
	const message = await new Promise<http.IncomingMessage>((resolve, reject) => {
		const request = send(target, { method: init.method, headers, signal: init.signal ?? undefined }, resolve);
		const idleMs = init.idleTimeoutMs ?? NODE_REQUEST_IDLE_TIMEOUT_MS;
		// The socket's idle timer runs until the body is read to its end, so it also guards a stalled body.
		request.setTimeout(idleMs, () => request.destroy(idleTimeoutError(target, idleMs)));
		request.once('error', reject);
		request.end(init.body ?? undefined);
	});
	const status = message.statusCode ?? 0;
	const responseHeaders = new Headers();
	for (let index = 0; index < message.rawHeaders.length; index += 2) {
		responseHeaders.append(message.rawHeaders[index], message.rawHeaders[index + 1]);
	}
	const noBody = init.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
	if (noBody) {
		message.resume();
		return new Response(null, { status, headers: responseHeaders });
	}
	return new Response(webStreamOf(inflated(message)), { status, headers: responseHeaders });
}

function inflated(message: http.IncomingMessage): Readable {
	const encoding = (message.headers['content-encoding'] ?? '').trim().toLowerCase();
	const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
	if (inflate === undefined) return message;
	message.once('error', (error) => inflate.destroy(error));
	return message.pipe(inflate);
}

/**
 * A web stream over a Node stream's chunks, read one at a time as the consumer asks. Unlike
 * `Readable.toWeb`, which copies every chunk, it hands the chunks on as they are.
 */
export function webStreamOf(body: Readable): ReadableStream<Uint8Array> {
	const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const { value, done } = await chunks.next();
					if (done) controller.close();
					else if (typeof value === 'string') controller.enqueue(Buffer.from(value));
					else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
				} catch (error) {
					controller.error(error);
				}
			},
			async cancel() {
				body.destroy();
				await chunks.return?.();
			},
		},
		{ highWaterMark: 0 },
	);
}
