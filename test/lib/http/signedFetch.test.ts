import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { signedFetch, TooManyRedirectsError } from '../../../lib/http';

interface Seen {
	server: string;
	method: string;
	path: string;
	authorization?: string;
	contentType?: string;
	body: string;
}

/** Two loopback servers, `api` and `other`, answering by path; every request is recorded. */
async function servers(routes: (server: 'api' | 'other', path: string, origins: Record<'api' | 'other', string>) => { status: number; location?: string; body?: string }) {
	const seen: Seen[] = [];
	const origins = { api: '', other: '' };
	const started: http.Server[] = [];
	for (const name of ['api', 'other'] as const) {
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				seen.push({ server: name, method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString() });
				const answer = routes(name, req.url ?? '', origins);
				res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
				res.end(answer.body ?? '');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origins[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		started.push(server);
	}
	const close = async () => {
		for (const server of started) await new Promise((resolve) => server.close(resolve));
	};
	return { seen, origins, close };
}

const get = (url: string) => ({ url, method: 'GET', headers: new Headers({ accept: 'application/json' }), body: null });
const options = { authorization: 'Bearer token-1', maxRedirects: 3 };

describe('signedFetch', () => {
	it('sends the credential to the request’s own origin, with the request’s headers', async () => {
		const { seen, origins, close } = await servers(() => ({ status: 200, body: 'ok' }));
		try {
			const response = await signedFetch(get(`${origins.api}/file`), options);
			expect(await response.text()).toBe('ok');
			expect(seen).toEqual([expect.objectContaining({ server: 'api', path: '/file', authorization: 'Bearer token-1' })]);
		} finally {
			await close();
		}
	});

	it('follows a redirect within the origin signed, and one to another origin without the credential, also when it leads back', async () => {
		const { seen, origins, close } = await servers((server, path, at) => {
			if (server === 'api' && path === '/start') return { status: 302, location: '/moved' };
			if (server === 'api' && path === '/moved') return { status: 307, location: `${at.other}/cdn` };
			if (server === 'other') return { status: 302, location: `${at.api}/back` };
			return { status: 200, body: 'bytes' };
		});
		try {
			const response = await signedFetch(get(`${origins.api}/start`), options);
			expect(await response.text()).toBe('bytes');
			expect(seen.map(({ server, path, authorization }) => [server, path, authorization])).toEqual([
				['api', '/start', 'Bearer token-1'],
				['api', '/moved', 'Bearer token-1'],
				['other', '/cdn', undefined],
				['api', '/back', undefined],
			]);
		} finally {
			await close();
		}
	});

	it('never passes on an Authorization header the caller set, to another origin', async () => {
		const { seen, origins, close } = await servers((server, _path, at) => (server === 'api' ? { status: 302, location: `${at.other}/cdn` } : { status: 200 }));
		try {
			const request = { ...get(`${origins.api}/start`), headers: new Headers({ authorization: 'Basic c2VjcmV0' }) };
			await (await signedFetch(request, options)).text();
			expect(seen.map(({ authorization }) => authorization)).toEqual(['Bearer token-1', undefined]);
		} finally {
			await close();
		}
	});

	it('refuses a chain of more than maxRedirects redirects', async () => {
		const { seen, origins, close } = await servers((_server, path) => ({ status: 302, location: `${path}x` }));
		try {
			await expect(signedFetch(get(`${origins.api}/r`), options)).rejects.toBeInstanceOf(TooManyRedirectsError);
			expect(seen).toHaveLength(4);
		} finally {
			await close();
		}
	});

	it('turns a POST into a GET without its body on a 303, and keeps both on a 307', async () => {
		const { seen, origins, close } = await servers((_server, path) => {
			if (path === '/see-other') return { status: 303, location: '/result' };
			if (path === '/temporary') return { status: 307, location: '/result' };
			return { status: 200 };
		});
		try {
			const post = (path: string) => ({ url: `${origins.api}${path}`, method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: new TextEncoder().encode('{"q":1}') });
			await (await signedFetch(post('/see-other'), options)).text();
			await (await signedFetch(post('/temporary'), options)).text();
			expect(seen.map(({ method, path, contentType, body }) => [method, path, contentType, body])).toEqual([
				['POST', '/see-other', 'application/json', '{"q":1}'],
				['GET', '/result', undefined, ''],
				['POST', '/temporary', 'application/json', '{"q":1}'],
				['POST', '/result', 'application/json', '{"q":1}'],
			]);
		} finally {
			await close();
		}
	});
});
