import { dropboxContentHash } from './dropboxModel';
import { startFakeDropbox, type FakeDropbox } from './dropboxApi';

describe('the fake Dropbox is strict like Dropbox', () => {
	let dropbox: FakeDropbox;
	let token: string;

	beforeEach(async () => {
		dropbox = await startFakeDropbox({ pageSize: 2 });
		token = dropbox.issueTokens().access_token;
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await dropbox.close();
	});

	const rpc = async (route: string, body: unknown, headers: Record<string, string> = {}) =>
		await fetch(`${dropbox.apiUrl}/2/${route}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
		});

	const download = async (route: string, arg: string, headers: Record<string, string> = {}) =>
		await fetch(`${dropbox.contentUrl}/2/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'dropbox-api-arg': arg, ...headers } });

	it('refuses unknown and mistyped arguments, bad paths and a wrong Content-Type with Dropbox\'s 400 texts', async () => {
		const unknown = await rpc('files/list_folder', { path: '', recursiv: true });
		expect(unknown.status).toBe(400);
		expect(await unknown.text()).toBe('Error in call to API function "files/list_folder": request body: unknown field \'recursiv\'');

		const typed = await rpc('files/list_folder', { path: '', recursive: 'yes' });
		expect(await typed.text()).toContain('recursive: expected boolean, got string');

		const slash = await rpc('files/list_folder', { path: 'Reports' });
		expect(await slash.text()).toContain("path: 'Reports' did not match pattern");

		const limit = await rpc('files/list_folder', { path: '', limit: 5000 });
		expect(await limit.text()).toContain('limit: 5000 is not within range [1, 2000]');

		const text = await rpc('files/list_folder', { path: '' }, { 'content-type': 'text/plain' });
		expect(await text.text()).toContain('Bad HTTP "Content-Type" header: "text/plain"');

		const noAuth = await fetch(`${dropbox.apiUrl}/2/files/list_folder`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"path":""}' });
		expect(await noAuth.text()).toContain('Must provide HTTP header "Authorization"');
	});

	it('answers route errors as 409 JSON with an error summary and the nested tag union', async () => {
		const missing = await rpc('files/get_metadata', { path: '/nowhere' });
		expect(missing.status).toBe(409);
		expect(await missing.json()).toEqual({ error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
		const root = await rpc('files/get_metadata', { path: '' });
		expect(root.status).toBe(400);
	});

	it('pages a listing with has_more and continues from its cursor, then reports changes, deletions and resets', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/a.txt', 'a');
		dropbox.addFile('/Docs/b.txt', 'b');
		dropbox.addFile('/Docs/c.txt', 'c');
		const first = (await (await rpc('files/list_folder', { path: '/Docs' })).json()) as { entries: Array<{ name: string }>; cursor: string; has_more: boolean };
		expect(first.entries.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt']);
		expect(first.has_more).toBe(true);
		const second = (await (await rpc('files/list_folder/continue', { cursor: first.cursor })).json()) as typeof first;
		expect(second.entries.map((entry) => entry.name)).toEqual(['c.txt']);
		expect(second.has_more).toBe(false);

		dropbox.editFile('/Docs/a.txt', 'a2');
		dropbox.move('/Docs/b.txt', '/Docs/B moved.txt');
		dropbox.remove('/Docs/c.txt');
		type Page = { entries: Array<Record<string, unknown>>; cursor: string; has_more: boolean };
		const changes = (await (await rpc('files/list_folder/continue', { cursor: second.cursor })).json()) as Page;
		expect(changes.has_more).toBe(true);
		const rest = (await (await rpc('files/list_folder/continue', { cursor: changes.cursor })).json()) as Page;
		expect(rest.has_more).toBe(false);
		expect([...changes.entries, ...rest.entries].map((entry) => `${String(entry['.tag'])} ${String(entry.path_display)}`)).toEqual([
			'file /Docs/a.txt',
			'deleted /Docs/b.txt',
			'file /Docs/B moved.txt',
			'deleted /Docs/c.txt',
		]);
		expect(changes.entries[0]).toMatchObject({ content_hash: dropboxContentHash(Buffer.from('a2')), size: 2, rev: expect.stringMatching(/^[0-9a-f]{9,}$/) });

		dropbox.resetCursors();
		const reset = await rpc('files/list_folder/continue', { cursor: rest.cursor });
		expect(reset.status).toBe(409);
		expect(((await reset.json()) as { error_summary: string }).error_summary).toBe('reset/..');
	});

	it('serves content routes from the content host only, with the argument in Dropbox-API-Arg and the result in Dropbox-API-Result', async () => {
		const file = dropbox.addFile('/Résumé.txt', 'hello');
		const ok = await download('files/download', JSON.stringify({ path: file.id }));
		expect(ok.status).toBe(200);
		expect(await ok.text()).toBe('hello');
		expect(JSON.parse(ok.headers.get('dropbox-api-result') ?? '')).toMatchObject({ name: 'Résumé.txt', id: file.id });
		expect(ok.headers.get('dropbox-api-result')).toContain('\\u00e9');

		const onApiHost = await fetch(`${dropbox.apiUrl}/2/files/download`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'dropbox-api-arg': '{"path":"/x"}' } });
		expect(onApiHost.status).toBe(400);
		const noArg = await fetch(`${dropbox.contentUrl}/2/files/download`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
		expect(await noArg.text()).toContain('Must provide HTTP header "Dropbox-API-Arg"');
		const json = await download('files/download', JSON.stringify({ path: file.id }), { 'content-type': 'application/json' });
		expect(await json.text()).toContain('Bad HTTP "Content-Type" header: "application/json"');
		const latin1 = await download('files/download', Buffer.from('{"path":"/Résumé.txt"}', 'utf8').toString('latin1'));
		expect(latin1.status).toBe(400);
	});

	it('exports Paper docs and refuses to download them; refuses exports of plain files', async () => {
		const paper = dropbox.addPaperDoc('/Plan.paper', '# Plan\n\n- one');
		const plain = dropbox.addFile('/notes.txt', 'x');
		const refused = await download('files/download', JSON.stringify({ path: paper.id }));
		expect(((await refused.json()) as { error_summary: string }).error_summary).toBe('unsupported_file/..');
		const exported = await download('files/export', JSON.stringify({ path: paper.id, export_format: 'markdown' }));
		expect(await exported.text()).toBe('# Plan\n\n- one');
		expect(JSON.parse(exported.headers.get('dropbox-api-result') ?? '')).toMatchObject({ export_metadata: { name: 'Plan.md' } });
		const notPaper = await download('files/export', JSON.stringify({ path: plain.id }));
		expect(((await notPaper.json()) as { error_summary: string }).error_summary).toBe('non_exportable/..');
	});

	it('resolves paths under the Dropbox-API-Path-Root namespace and refuses namespaces the account cannot open', async () => {
		const team = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
		try {
			const teamToken = team.issueTokens().access_token;
			team.addTeamFolder('Handbook');
			team.addFile('/Handbook/leave.md', '# Leave');
			team.addFile('/Alice Smith/mine.txt', 'mine');
			const call = async (headers: Record<string, string>) =>
				await fetch(`${team.apiUrl}/2/files/list_folder`, {
					method: 'POST',
					headers: { authorization: `Bearer ${teamToken}`, 'content-type': 'application/json', ...headers },
					body: JSON.stringify({ path: '', recursive: true }),
				});
			const home = (await (await call({})).json()) as { entries: Array<{ path_display: string }> };
			expect(home.entries.map((entry) => entry.path_display)).toEqual(['/mine.txt']);
			const root = (await (await call({ 'dropbox-api-path-root': JSON.stringify({ '.tag': 'namespace_id', namespace_id: team.rootNamespaceId }) })).json()) as typeof home;
			expect(root.entries.map((entry) => entry.path_display)).toEqual(['/Alice Smith', '/Alice Smith/mine.txt', '/Handbook', '/Handbook/leave.md']);
			const wrongRoot = await call({ 'dropbox-api-path-root': JSON.stringify({ '.tag': 'root', root: '42' }) });
			expect(wrongRoot.status).toBe(422);
			const noPermission = await call({ 'dropbox-api-path-root': JSON.stringify({ '.tag': 'namespace_id', namespace_id: '42' }) });
			expect(((await noPermission.json()) as { error_summary: string }).error_summary).toBe('no_permission/..');
			expect(team.internalErrors).toEqual([]);
		} finally {
			await team.close();
		}
	});

	it('throttles with 429 too_many_requests and Retry-After, and exchanges refresh tokens without issuing new ones', async () => {
		dropbox.failNext(1, { status: 429, retryAfter: 3, reason: 'too_many_write_operations' });
		const limited = await rpc('files/list_folder', { path: '' });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		expect(await limited.json()).toEqual({ error_summary: 'too_many_write_operations/..', error: { reason: { '.tag': 'too_many_write_operations' }, retry_after: 3 } });

		const { refresh_token } = dropbox.issueTokens();
		dropbox.expireAccessTokens();
		const expired = await rpc('files/list_folder', { path: '' });
		expect(expired.status).toBe(401);
		expect(((await expired.json()) as { error_summary: string }).error_summary).toBe('expired_access_token/..');
		const refreshed = await fetch(dropbox.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token, client_id: dropbox.clientId, client_secret: dropbox.clientSecret }),
		});
		const tokens = (await refreshed.json()) as Record<string, unknown>;
		expect(tokens).toEqual({ access_token: expect.stringMatching(/^sl\./), token_type: 'bearer', expires_in: 14400 });
		expect(dropbox.tokenRefreshCount).toBe(1);
	});
});
