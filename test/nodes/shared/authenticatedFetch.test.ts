import { Readable } from 'node:stream';

import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { authenticatedFetch } from '../../../nodes/shared/authenticatedFetch';

const API = ['https://example.test'];

/** An n8n context whose authenticated request answers with `body` streamed, as n8n does with `encoding: 'stream'`. */
function contextAnswering(body: Readable, requests: IHttpRequestOptions[] = []): IExecuteFunctions {
	return {
		getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: 'node' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body };
			},
		},
	} as unknown as IExecuteFunctions;
}

describe('authenticatedFetch', () => {
	it('streams a response body chunk by chunk without copying the chunks', async () => {
		const chunks = [Buffer.alloc(65_536, 1), Buffer.alloc(65_536, 2)];
		const response = await authenticatedFetch(contextAnswering(Readable.from(chunks)), 'cred', API)('https://example.test/file');

		const reader = (response.body as ReadableStream<Uint8Array>).getReader();
		const first = await reader.read();
		const second = await reader.read();

		expect(first.value?.buffer).toBe(chunks[0].buffer);
		expect(second.value?.buffer).toBe(chunks[1].buffer);
		expect((await reader.read()).done).toBe(true);
	});

	it('reads the source only as fast as the consumer asks', async () => {
		let produced = 0;
		const source = new Readable({
			read() {
				produced++;
				this.push(Buffer.alloc(65_536));
			},
		});
		const response = await authenticatedFetch(contextAnswering(source), 'cred', API)('https://example.test/file');
		const reader = (response.body as ReadableStream<Uint8Array>).getReader();

		await reader.read();
		await new Promise((resolve) => setTimeout(resolve, 50));

		expect(produced).toBeLessThanOrEqual(3);
		await reader.cancel();
		expect(source.destroyed).toBe(true);
	});

	it('passes a source error on to the reader', async () => {
		const source = new Readable({
			read() {
				this.destroy(new Error('socket hang up'));
			},
		});
		const response = await authenticatedFetch(contextAnswering(source), 'cred', API)('https://example.test/file');

		await expect(response.text()).rejects.toThrow(/socket hang up/);
	});

	it('asks n8n not to send the credential along a redirect to another origin, and to follow few redirects', async () => {
		const requests: IHttpRequestOptions[] = [];
		await authenticatedFetch(contextAnswering(Readable.from([]), requests), 'cred', API)('https://example.test/file');
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ sendCredentialsOnCrossOriginRedirect: false, maxRedirects: 3 });
	});

	it.each([
		['another host', 'https://attacker.test/steal'],
		['another scheme', 'http://example.test/file'],
		['another port', 'https://example.test:8443/file'],
	])('refuses to send the credential to %s, without asking n8n', async (_, url) => {
		const requests: IHttpRequestOptions[] = [];
		const signed = authenticatedFetch(contextAnswering(Readable.from([]), requests), 'cred', API);
		await expect(signed(url)).rejects.toMatchObject({ code: 'credential_host_refused', message: expect.stringMatching(/only https:\/\/example\.test may receive it/) });
		expect(requests).toEqual([]);
	});
});
