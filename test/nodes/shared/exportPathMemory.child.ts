/**
 * A whole download on the client side: a loopback API (in the test's process, so its send buffers
 * are not counted here) streams `CONNECTORS_TEST_MIB` MiB from `CONNECTORS_TEST_ORIGIN`, the
 * node's signed fetch (an OAuth2 credential, so node:http) receives it, googleapis' way of reading
 * it (`Readable.fromWeb`) passes it to meteredBody, and a writer awaits every chunk as n8n's
 * filesystem store does. Prints the most ArrayBuffer memory the process held above its start, in
 * bytes.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { IExecuteFunctions } from 'n8n-workflow';

import { defaultPolicy } from '../../../lib/policy';
import { meteredBody } from '../../../lib/sync';
import { authenticatedFetch } from '../../../nodes/shared/authenticatedFetch';

async function main(): Promise<void> {
	const total = Number(process.env.CONNECTORS_TEST_MIB) * 1024 * 1024;
	const origin = String(process.env.CONNECTORS_TEST_ORIGIN);
	const ctx = {
		getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: 'node' }),
		getCredentials: async () => ({ oauthTokenData: { access_token: 'token-1', token_type: 'Bearer' } }),
		helpers: { httpRequestWithAuthentication: async () => Promise.reject(new Error('the token is valid; n8n is not asked')) },
	} as unknown as IExecuteFunctions;

	const start = process.memoryUsage().arrayBuffers;
	let peak = 0;
	const response = await authenticatedFetch(ctx, 'cred', [origin])(`${origin}/big.bin`);
	const body = meteredBody(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), { ...defaultPolicy(), maxFileSizeMb: 100_000 }, '"big.bin"');
	for await (const chunk of body.data as Readable) {
		await new Promise((resolve) => setImmediate(resolve));
		if ((chunk as Buffer).length === 0) throw new Error('empty chunk');
		peak = Math.max(peak, process.memoryUsage().arrayBuffers - start);
	}
	if (body.bytes() !== total) throw new Error(`passed ${body.bytes()} of ${total} bytes`);
	process.stdout.write(String(peak));
}

void main();
