import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { resilientFetch } from '../../../lib/http/resilientFetch';

describe('resilientFetch against a real HTTP server', () => {
	let server: Server;
	let baseUrl: string;
	const arrivals: number[] = [];

	beforeAll(async () => {
		server = createServer((request, response) => {
			arrivals.push(Date.now());
			request.resume();
			if (arrivals.length === 1) {
				response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
				response.end('{"object":"error","code":"rate_limited"}');
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	it('waits about the second that Retry-After asks for, then returns the successful answer', async () => {
		const notionFetch = resilientFetch(fetch, { maxAttempts: 3, baseDelayMs: 10 }, { random: () => 0 });
		const started = Date.now();
		const response = await notionFetch(`${baseUrl}/v1/search`, { method: 'POST', body: '{"query":""}' });
		const elapsed = Date.now() - started;

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
		expect(arrivals).toHaveLength(2);
		expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeLessThan(3000);
		expect(notionFetch.stats).toMatchObject({ attempts: 2, retries: 1, rateLimited: 1, waitedMs: 1000 });
	});
});
