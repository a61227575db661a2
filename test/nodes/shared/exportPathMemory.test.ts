import { spawnSync } from 'node:child_process';
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
 * generation (32 MB semi-spaces); without the young collections of the export path 256 MiB held
 * 72–110 MB there, with them 26–31 MB (the loopback server's own send buffers included).
 */
/** n8n would send the download itself behind a proxy; the figure here is the direct path's. */
function withoutProxies(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'N8N_SSRF_PROTECTION_ENABLED']) delete env[name];
	return env;
}

describe('a large download through the signed fetch', () => {
	it('holds under 48 MB of buffers while 256 MiB stream from a socket to a writer', () => {
		const child = spawnSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', path.join(__dirname, 'exportPathMemory.child.ts')], {
			env: { ...withoutProxies(), CONNECTORS_TEST_MIB: '256' },
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(child.stderr).toBe('');
		const peakBytes = Number(child.stdout);
		expect(peakBytes).toBeGreaterThan(0);
		expect(peakBytes).toBeLessThan(48 * 1024 * 1024);
	});
});
