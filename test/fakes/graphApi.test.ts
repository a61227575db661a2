import { quickXorHash } from './graphModel';
import { startFakeGraph, type FakeGraph } from './graphApi';

/** A Graph answer as the tests read it: a page, a resource or an error. */
interface GraphBody {
	value: Array<Record<string, unknown> & { id: string; name: string; parentReference: { path?: string } }>;
	error: { code: string };
	'@odata.nextLink'?: string;
	'@odata.deltaLink'?: string;
	[field: string]: unknown;
}

describe('fake Microsoft Graph', () => {
	let graph: FakeGraph;
	let token: string;

	beforeEach(async () => {
		graph = await startFakeGraph();
		token = graph.issueTokens().access_token;
	});

	afterEach(async () => {
		expect(graph.internalErrors).toEqual([]);
		await graph.close();
	});

	const get = async (path: string, headers: Record<string, string> = {}) => {
		const response = await fetch(path.startsWith('http') ? path : `${graph.origin}/v1.0${path}`, { headers: { authorization: `Bearer ${token}`, ...headers }, redirect: 'manual' });
		const text = await response.text();
		return { status: response.status, headers: response.headers, body: (text.startsWith('{') ? JSON.parse(text) : {}) as GraphBody };
	};

	it('returns only the $select fields, and refuses an unknown one with Graph’s error JSON', async () => {
		graph.addFile({ name: 'a.txt', content: 'a' });
		const { body } = await get('/me/drive/root/children?$select=id,name');
		expect(Object.keys(body.value[0]).sort()).toEqual(['id', 'name']);

		const refused = await get('/me/drive/root/children?$select=id,nmae');
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({
			error: {
				code: 'BadRequest',
				message: "Could not find a property named 'nmae' on type 'microsoft.graph.driveItem'.",
				innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) },
			},
		});
		expect((await get('/me/drive/root/children?$filter=x')).status).toBe(400);
		expect((await get('/me/drive/root/children?select=id')).status).toBe(400);
	});

	it('pages children with @odata.nextLink, which keeps paging but not $select', async () => {
		for (let index = 0; index < 5; index++) graph.addFile({ name: `f${index}.txt`, content: `${index}` });
		const first = await get('/me/drive/root/children?$select=id,name&$top=2');
		expect(first.body.value).toHaveLength(2);
		const next = new URL(first.body['@odata.nextLink'] ?? '');
		expect(next.searchParams.get('$select')).toBeNull();
		next.searchParams.set('$select', 'id,name');
		const second = await get(next.href);
		expect(second.body.value.map((item) => item.name)).toEqual(['f2.txt', 'f3.txt']);
		expect((await get('/me/drive/root/children?$top=1000')).status).toBe(400);
		expect((await get('/me/drive/root/children?$skiptoken=bogus')).status).toBe(400);
	});

	it('feeds delta: latest, changes since with their parent folders, tombstones, and 410 resyncRequired once expired', async () => {
		const folder = graph.addFolder({ name: 'Docs' });
		const file = graph.addFile({ name: 'a.txt', parent: folder.id, content: 'a' });
		const latest = await get('/me/drive/root/delta?token=latest&$select=id');
		expect(latest.body.value).toEqual([]);
		const link = new URL(latest.body['@odata.deltaLink'] ?? '');
		link.searchParams.set('$select', 'id,name,deleted,parentReference');

		graph.editContent(file.id, 'b');
		const other = graph.addFile({ name: 'b.txt', content: 'b' });
		graph.remove(other.id);
		const changes = await get(link.href);
		expect(changes.body.value.map((item) => item.id)).toEqual([graph.myDrive.rootId, folder.id, file.id, other.id]);
		expect(changes.body.value[3]).toEqual({ id: other.id, deleted: { state: 'deleted' }, parentReference: { driveId: graph.myDrive.id, driveType: 'business', id: graph.myDrive.rootId } });
		expect(changes.body['@odata.deltaLink']).toEqual(expect.any(String));
		expect(changes.body.value[1].parentReference.path).toBeUndefined();

		graph.expireDeltaTokens();
		const gone = await get(link.href);
		expect(gone.status).toBe(410);
		expect(gone.body.error.code).toBe('resyncRequired');
		expect((await get(`/me/drive/items/${folder.id}/delta?$select=id`)).status).toBe(400);
	});

	it('answers /content with a redirect to a pre-authenticated download, converting Office files with ?format=pdf only', async () => {
		const docx = graph.addFile({ name: 'plan.docx', content: 'PK' });
		const txt = graph.addFile({ name: 'notes.bin', content: 'n' });
		const redirect = await get(`/me/drive/items/${docx.id}/content`);
		expect(redirect.status).toBe(302);
		const download = await fetch(redirect.headers.get('location') as string);
		expect(await download.text()).toBe('PK');
		const pdf = await get(`/me/drive/items/${docx.id}/content?format=pdf`);
		expect(await (await fetch(pdf.headers.get('location') as string)).text()).toMatch(/^%PDF/);
		expect((await get(`/me/drive/items/${txt.id}/content?format=pdf`)).status).toBe(406);
	});

	it('resolves share links encoded as u! and unpadded base64url, and refuses other encodings', async () => {
		const folder = graph.addFolder({ name: 'Shared' });
		const url = graph.shareLink(folder.id);
		const encoded = `u!${Buffer.from(url).toString('base64url')}`;
		expect((await get(`/shares/${encoded}/driveItem?$select=id,name`)).body).toEqual({ id: folder.id, name: 'Shared' });
		expect((await get(`/shares/${Buffer.from(url).toString('base64')}/driveItem`)).status).toBe(400);
		expect((await get(`/shares/u!${Buffer.from('https://contoso.sharepoint.com/nope').toString('base64url')}/driveItem`)).status).toBe(404);
	});

	it('throttles with 429 and Retry-After, refuses missing or expired tokens with 401, and writes with 403', async () => {
		graph.setRateLimit({ requestsPerSecond: 1, burst: 1 });
		expect((await get('/me?$select=id')).status).toBe(200);
		const throttled = await get('/me?$select=id');
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(throttled.body.error.code).toBe('activityLimitReached');
		graph.setRateLimit(null);

		graph.expireAccessTokens();
		const expired = await get('/me');
		expect(expired.status).toBe(401);
		expect(expired.body.error.code).toBe('InvalidAuthenticationToken');
		token = graph.issueTokens().access_token;
		const write = await fetch(`${graph.origin}/v1.0/me/drive/root/children`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
		expect(write.status).toBe(403);
	});

	it('issues and refreshes tokens at the identity platform endpoint, with AADSTS errors for bad clients and grants', async () => {
		const { refresh_token } = graph.issueTokens();
		const post = async (form: Record<string, string>, tenant = 'common') =>
			await fetch(`${graph.origin}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
		const refreshed = await post({ grant_type: 'refresh_token', refresh_token, client_id: graph.clientId, client_secret: graph.clientSecret });
		expect(refreshed.status).toBe(200);
		expect(await refreshed.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3599 });
		expect(graph.tokenRefreshCount).toBe(1);

		const badSecret = await post({ grant_type: 'refresh_token', refresh_token, client_id: graph.clientId, client_secret: 'nope' });
		expect(badSecret.status).toBe(401);
		expect(await badSecret.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/^AADSTS7000215/) });
		expect((await post({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: graph.clientId, client_secret: graph.clientSecret })).status).toBe(400);
		expect((await post({ grant_type: 'refresh_token', refresh_token, client_id: graph.clientId, client_secret: graph.clientSecret }, 'unknown-tenant')).status).toBe(400);
	});

	it('computes QuickXorHash: twenty zero bytes for nothing, the length folded into the last eight', () => {
		expect(quickXorHash(Buffer.alloc(0))).toBe(Buffer.alloc(20).toString('base64'));
		const one = Buffer.from(quickXorHash(Buffer.from([1])), 'base64');
		expect(one[0]).toBe(1);
		expect(one[12]).toBe(1);
	});
});
