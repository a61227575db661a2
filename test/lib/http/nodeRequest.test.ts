import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { nodeRequest } from '../../../lib/http';
import { isTransientNetworkError } from '../../../lib/http/retryable';

async function server(handler: http.RequestListener) {
	const listening = http.createServer(handler);
	await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
	return { origin, close: async () => await new Promise((resolve) => listening.close(resolve)) };
}

const get = { method: 'GET', headers: new Headers(), body: null };

describe('nodeRequest', () => {
	it('inflates a gzip body as fetch does and keeps the headers', async () => {
		const api = await server((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'x-request-id': 'r1' }).end(gzipSync('hello '.repeat(1000))));
		try {
			const response = await nodeRequest(`${api.origin}/x`, get);
			expect(response.headers.get('x-request-id')).toBe('r1');
			expect(await response.text()).toBe('hello '.repeat(1000));
		} finally {
			await api.close();
		}
	});

	it('sends a body with its length, and answers a 204 without one', async () => {
		let received = '';
		let length: string | undefined;
		const api = await server((req, res) => {
			length = req.headers['content-length'];
			req.on('data', (chunk: Buffer) => (received += chunk.toString()));
			req.on('end', () => res.writeHead(204).end());
		});
		try {
			const response = await nodeRequest(`${api.origin}/x`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: new TextEncoder().encode('{"a":1}') });
			expect(response.status).toBe(204);
			expect(response.body).toBeNull();
			expect([received, length]).toEqual(['{"a":1}', '7']);
		} finally {
			await api.close();
		}
	});

	it('hands a redirect back without following it', async () => {
		const api = await server((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
		try {
			const response = await nodeRequest(`${api.origin}/x`, get);
			expect([response.status, response.headers.get('location')]).toEqual([302, '/elsewhere']);
		} finally {
			await api.close();
		}
	});

	it('passes a connection dropped mid-body on to the reader, and an abort to the caller', async () => {
		const api = await server((req, res) => {
			if (req.url === '/slow') return;
			res.writeHead(200, { 'content-length': '100000' });
			res.write(Buffer.alloc(1000));
			setTimeout(() => res.destroy(), 20);
		});
		try {
			const dropped = await nodeRequest(`${api.origin}/drop`, get);
			await expect(dropped.arrayBuffer()).rejects.toThrow();
			const controller = new AbortController();
			const pending = nodeRequest(`${api.origin}/slow`, { ...get, signal: controller.signal });
			controller.abort();
			await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		} finally {
			await api.close();
		}
	});

	it('cuts a connection that goes silent, before the answer or in the middle of the body, with a transient ETIMEDOUT', async () => {
		const api = await server((req, res) => {
			if (req.url === '/silent') return;
			res.writeHead(200, { 'content-length': '100000' });
			res.write(Buffer.alloc(1000));
		});
		try {
			const started = Date.now();
			const silent = nodeRequest(`${api.origin}/silent`, { ...get, idleTimeoutMs: 200 });
			await expect(silent).rejects.toMatchObject({ code: 'ETIMEDOUT', message: expect.stringContaining('sent nothing for 0 s') });
			expect(Date.now() - started).toBeLessThan(5000);
			expect(isTransientNetworkError(await silent.catch((error: unknown) => error))).toBe(true);

			const stalled = await nodeRequest(`${api.origin}/stalled`, { ...get, idleTimeoutMs: 200 });
			expect(stalled.status).toBe(200);
			await expect(stalled.arrayBuffer()).rejects.toThrow();
		} finally {
			await api.close();
		}
	});
});
