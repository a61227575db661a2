import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { authenticatedFetch } from '../../../nodes/shared/authenticatedFetch';

const API = ['https://example.test'];

/**
 * An n8n context with a credential n8n signs itself (no OAuth2 token), whose authenticated
 * request answers with `body` streamed, as n8n does with `encoding: 'stream'`.
 */
function contextAnswering(body: Readable, requests: IHttpRequestOptions[] = []): IExecuteFunctions {
	return {
		getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: 'node' }),
		getCredentials: async () => ({ apiKey: 'secret' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				requests.push(options);
				return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body };
			},
		},
	} as unknown as IExecuteFunctions;
}

describe('authenticatedFetch through n8n’s request helper', () => {
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

/** A loopback API that accepts only `Bearer <valid token>`, answering 401 to any other. */
async function bearerApi(valid: { token: string }) {
	const seen: Array<string | undefined> = [];
	const server = http.createServer((req, res) => {
		seen.push(req.headers.authorization);
		if (req.headers.authorization !== `Bearer ${valid.token}`) {
			res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
			return;
		}
		res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${req.url}`);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { origin, seen, close: async () => await new Promise((resolve) => server.close(resolve)) };
}

/**
 * n8n's side of an OAuth2 credential: `getCredentials` reads the stored token (counted), and the
 * request helper refreshes it on a 401 the way n8n does (a new token, saved, the request retried).
 */
function oauthContext(stored: { token: string }, valid: { token: string }, counts: { reads: number; helper: number }, extra: ICredentialDataDecryptedObject = {}) {
	return {
		getNode: () => ({ name: 'node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {}, id: 'node' }),
		getCredentials: async () => {
			counts.reads++;
			return { clientId: 'id', oauthTokenData: { access_token: stored.token, token_type: 'Bearer' }, ...extra };
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				counts.helper++;
				let response = await fetch(options.url, { headers: { authorization: `Bearer ${stored.token}` } });
				if (response.status === 401) {
					stored.token = valid.token;
					response = await fetch(options.url, { headers: { authorization: `Bearer ${stored.token}` } });
				}
				return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: Buffer.from(await response.arrayBuffer()) };
			},
		},
	} as unknown as IExecuteFunctions;
}

describe('authenticatedFetch with an OAuth2 credential', () => {
	const saved = { ...process.env };
	beforeEach(() => {
		for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'N8N_SSRF_PROTECTION_ENABLED']) delete process.env[name];
	});
	afterEach(() => {
		process.env = { ...saved };
	});

	it('reads the token from n8n once for all of an execution’s requests, and sends them itself', async () => {
		const valid = { token: 'token-1' };
		const api = await bearerApi(valid);
		const counts = { reads: 0, helper: 0 };
		try {
			const signed = authenticatedFetch(oauthContext({ token: 'token-1' }, valid, counts), 'cred', [api.origin]);
			const bodies = await Promise.all(Array.from({ length: 20 }, async (_, index) => await (await signed(`${api.origin}/files/${index}`)).text()));
			expect(bodies[7]).toBe('ok /files/7');
			expect(counts).toEqual({ reads: 1, helper: 0 });
			expect(api.seen).toHaveLength(20);
		} finally {
			await api.close();
		}
	});

	it('lets n8n refresh an expired token on a 401 (once for requests at the same time) and reads the new one once', async () => {
		const valid = { token: 'token-2' };
		const api = await bearerApi(valid);
		const counts = { reads: 0, helper: 0 };
		try {
			const signed = authenticatedFetch(oauthContext({ token: 'token-1' }, valid, counts), 'cred', [api.origin]);
			const first = await Promise.all([1, 2, 3].map(async (index) => await signed(`${api.origin}/a/${index}`)));
			expect(first.map((response) => response.status)).toEqual([200, 200, 200]);
			expect(await first[0].text()).toBe('ok /a/1');
			const later = await Promise.all([1, 2, 3, 4].map(async (index) => await signed(`${api.origin}/b/${index}`)));
			expect(later.map((response) => response.status)).toEqual([200, 200, 200, 200]);
			// The three expired requests went through n8n; the four after the refresh used the token read again once.
			expect(counts).toEqual({ reads: 2, helper: 3 });
			expect(api.seen.slice(-4)).toEqual(Array(4).fill('Bearer token-2'));
		} finally {
			await api.close();
		}
	});

	it.each([
		['n8n is told to use a proxy', { HTTPS_PROXY: 'http://proxy.internal:3128' }, {}],
		['n8n’s SSRF protection is on', { N8N_SSRF_PROTECTION_ENABLED: 'true' }, {}],
		['the credential ignores TLS errors', {}, { ignoreSSLIssues: true }],
	])('leaves every request to n8n’s helper when %s', async (_, env, extra) => {
		Object.assign(process.env, env);
		const valid = { token: 'token-1' };
		const api = await bearerApi(valid);
		const counts = { reads: 0, helper: 0 };
		try {
			const signed = authenticatedFetch(oauthContext({ token: 'token-1' }, valid, counts, extra), 'cred', [api.origin]);
			expect((await signed(`${api.origin}/x`)).status).toBe(200);
			expect((await signed(`${api.origin}/y`)).status).toBe(200);
			expect(counts.helper).toBe(2);
		} finally {
			await api.close();
		}
	});

	it('refuses a host outside the allowed origins before reading the credential', async () => {
		const counts = { reads: 0, helper: 0 };
		const signed = authenticatedFetch(oauthContext({ token: 't' }, { token: 't' }, counts), 'cred', API);
		await expect(signed('https://attacker.test/steal')).rejects.toMatchObject({ code: 'credential_host_refused' });
		expect(counts).toEqual({ reads: 0, helper: 0 });
	});
});
