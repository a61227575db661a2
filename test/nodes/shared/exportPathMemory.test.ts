import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { IExecuteFunctions } from 'n8n-workflow';

import { defaultPolicy } from '../../../lib/policy';
import { meteredBody } from '../../../lib/sync';
import { authenticatedFetch } from '../../../nodes/shared/authenticatedFetch';

const CHUNK = 65_536;
const CHUNKS = 400;

/**
 * The bytes of an export on their way from n8n's streamed response to n8n's binary store:
 * n8n's stream → authenticatedFetch's web stream → googleapis' `Readable.fromWeb` → meteredBody
 * (size cap + sha256) → a slow writer. However fast the source could produce, the path may hold
 * about ten chunks at once (nine today: one per stream buffer on the way); 25 MB of a download never sits in memory waiting for the writer.
 */
describe('the export path from n8n to the binary store', () => {
	it('holds no more than ten chunks at once when the writer is slower than the source', async () => {
		let produced = 0;
		let written = 0;
		let mostOutstanding = 0;
		const source = new Readable({
			read() {
				if (produced === CHUNKS * CHUNK) {
					this.push(null);
					return;
				}
				produced += CHUNK;
				mostOutstanding = Math.max(mostOutstanding, produced - written);
				this.push(Buffer.alloc(CHUNK, produced % 251));
			},
		});
		const ctx = {
			getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: 'node' }),
			helpers: { httpRequestWithAuthentication: async () => ({ statusCode: 200, headers: {}, body: source }) },
		} as unknown as IExecuteFunctions;

		const response = await authenticatedFetch(ctx, 'cred', ['https://example.test'])('https://example.test/file');
		// What gaxios does with a fetch Response for `responseType: 'stream'`.
		const body = meteredBody(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), defaultPolicy(), '"big.bin"');
		// n8n's filesystem store writes with fs.writeFile(path, stream): one chunk at a time, awaited.
		for await (const chunk of body.data as Readable) {
			await new Promise((resolve) => setImmediate(resolve));
			written += (chunk as Buffer).length;
		}

		expect(written).toBe(CHUNKS * CHUNK);
		expect(body.bytes()).toBe(CHUNKS * CHUNK);
		expect(mostOutstanding).toBeLessThanOrEqual(10 * CHUNK);
	});
});

/**
 * The same path with the bytes on a real socket: an OAuth2 credential's download through the
 * signed fetch (node:http) into meteredBody. In a process of its own with n8n's size of young
 * generation (32 MB semi-spaces), the loopback API in the test's process so that only the
 * download's own buffers count: without the young collections of the export path 256 MiB held
 * 96–125 MB there, with them 23–36 MB. (With the API in the same process its send buffers made
 * the figure swing between 31 and 106 MB.)
 */
/** n8n would send the download itself behind a proxy; the figure here is the direct path's. */
function withoutProxies(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'N8N_SSRF_PROTECTION_ENABLED']) delete env[name];
	return env;
}

/** The API: `total` bytes in 64 KiB chunks to the bearer of token-1, as fast as the socket takes them. */
async function startApi(total: number): Promise<{ origin: string; close: () => Promise<void> }> {
	const server = http.createServer((req, res) => {
		if (req.headers.authorization !== 'Bearer token-1') return void res.writeHead(401).end();
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
		let sent = 0;
		const send = () => {
			while (sent < total) {
				sent += CHUNK;
				if (!res.write(Buffer.alloc(CHUNK, sent % 251))) return void res.once('drain', send);
			}
			res.end();
		};
		send();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('a large download through the signed fetch', () => {
	it('holds under 48 MB of buffers while 256 MiB stream from a socket to a writer', async () => {
		const api = await startApi(256 * 1024 * 1024);
		try {
			const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', path.join(__dirname, 'exportPathMemory.child.ts')], {
				env: { ...withoutProxies(), CONNECTORS_TEST_MIB: '256', CONNECTORS_TEST_ORIGIN: api.origin },
				timeout: 60_000,
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
			child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
			await new Promise<void>((resolve) => child.once('close', () => resolve()));
			expect(stderr).toBe('');
			const peakBytes = Number(stdout);
			expect(peakBytes).toBeGreaterThan(0);
			expect(peakBytes).toBeLessThan(48 * 1024 * 1024);
		} finally {
			await api.close();
		}
	}, 90_000);
});
