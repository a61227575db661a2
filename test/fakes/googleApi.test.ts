/**
 * Proves the fake Google server through the real `@googleapis/drive` client: if these pass, code
 * that works against the fake uses Drive the way the real service requires.
 */
import { createHash } from 'node:crypto';
import { auth, drive, type drive_v3 } from '@googleapis/drive';
import { startFakeGoogle, type FakeGoogle } from './googleApi';

const DOC = 'application/vnd.google-apps.document';
const FOLDER = 'application/vnd.google-apps.folder';

let google: FakeGoogle;
let token: string;
let client: drive_v3.Drive;

/** Request options: bearer token, and no gaxios retries so each call is one request. */
const as = (accessToken: string) => ({ headers: { Authorization: `Bearer ${accessToken}` }, retry: false });

interface GoogleErrorView {
	status?: number;
	reason?: string;
	message?: string;
	headers: Headers | undefined;
	code?: string;
}

/** Runs a call expected to fail and returns what a connector would inspect on the GaxiosError. */
async function failure(call: Promise<unknown>): Promise<GoogleErrorView> {
	try {
		await call;
	} catch (error: unknown) {
		const e = error as {
			status?: number;
			code?: string;
			response?: { data?: unknown; headers?: Headers };
		};
		let data = e.response?.data;
		if (data instanceof ArrayBuffer) data = JSON.parse(Buffer.from(data).toString('utf8'));
		const body = data as { error?: { message?: string; errors?: Array<{ reason?: string }> } } | undefined;
		return {
			status: e.status,
			reason: body?.error?.errors?.[0]?.reason,
			message: body?.error?.message,
			headers: e.response?.headers,
			code: e.code,
		};
	}
	throw new Error('expected the call to fail');
}

beforeEach(async () => {
	google = await startFakeGoogle();
	token = google.issueTokens().access_token;
	client = drive({ version: 'v3', rootUrl: google.url, fetchImplementation: fetch });
});

afterEach(async () => {
	await google.close();
	expect(google.internalErrors).toEqual([]);
});

describe('partial responses (fields)', () => {
	it('returns exactly the requested fields and nothing else', async () => {
		const file = google.addFile({ name: 'notes.txt', mimeType: 'text/plain', content: 'hello' });
		const { data } = await client.files.get({ fileId: file.id, fields: 'id,name,size,md5Checksum' }, as(token));
		expect(data).toEqual({
			id: file.id,
			name: 'notes.txt',
			size: '5',
			md5Checksum: createHash('md5').update('hello').digest('hex'),
		});
	});

	it("returns only Drive's small default set when fields is omitted", async () => {
		const file = google.addFile({ name: 'notes.txt', mimeType: 'text/plain', content: 'hello' });
		const { data: got } = await client.files.get({ fileId: file.id }, as(token));
		expect(Object.keys(got).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);

		const { data: listed } = await client.files.list({}, as(token));
		expect(Object.keys(listed).sort()).toEqual(['files', 'incompleteSearch', 'kind']);
		expect(Object.keys(listed.files?.[0] ?? {}).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
	});

	it('drops nextPageToken when the fields expression does not ask for it', async () => {
		for (let i = 0; i < 3; i += 1) google.addFile({ name: `f${i}.txt`, content: 'x' });
		const withoutToken = await client.files.list({ pageSize: 2, fields: 'files(id)' }, as(token));
		expect(withoutToken.data).toEqual({ files: [expect.any(Object), expect.any(Object)] });
		const withToken = await client.files.list({ pageSize: 2, fields: 'nextPageToken,files(id)' }, as(token));
		expect(withToken.data.nextPageToken).toEqual(expect.any(String));
	});

	it('rejects a misspelled field with 400 invalidParameter', async () => {
		const error = await failure(client.files.list({ fields: 'files(id,nme)' }, as(token)));
		expect(error).toMatchObject({ status: 400, reason: 'invalidParameter', message: 'Invalid field selection nme' });
	});

	it('requires fields on about.get and returns the signed-in user', async () => {
		expect(await failure(client.about.get({}, as(token)))).toMatchObject({ status: 400, reason: 'required' });
		const { data } = await client.about.get({ fields: 'user(emailAddress,displayName)' }, as(token));
		expect(data).toEqual({ user: { emailAddress: 'alice@example.com', displayName: 'Alice Example' } });
	});
});

describe('file resources', () => {
	it('describes shortcuts, Google-native files and the My Drive root the way Drive does', async () => {
		const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: 'text' });
		const shortcut = google.addShortcut({ name: 'Plan (shortcut)', targetId: doc.id });
		const fields = 'id,mimeType,size,md5Checksum,shortcutDetails,exportLinks,version,capabilities(canDownload)';

		const { data: link } = await client.files.get({ fileId: shortcut.id, fields }, as(token));
		expect(link).toEqual({
			id: shortcut.id,
			mimeType: 'application/vnd.google-apps.shortcut',
			shortcutDetails: { targetId: doc.id, targetMimeType: DOC },
			version: '1',
			capabilities: { canDownload: true },
		});
		const { data: native } = await client.files.get({ fileId: doc.id, fields }, as(token));
		expect(native.md5Checksum).toBeUndefined();
		expect(Object.keys(native.exportLinks ?? {})).toEqual(expect.arrayContaining(['application/pdf', 'text/plain']));

		const { data: root } = await client.files.get({ fileId: 'root', fields: 'id,name,mimeType' }, as(token));
		expect(root).toEqual({ id: google.rootFolderId, name: 'My Drive', mimeType: FOLDER });
		const { data: top } = await client.files.list({ q: "'root' in parents", fields: 'files(id)' }, as(token));
		expect(top.files?.map((file) => file.id).sort()).toEqual([doc.id, shortcut.id].sort());
	});

	it('adds the configured latency to every request', async () => {
		google.setLatency(40);
		const started = performance.now();
		await client.files.list({ fields: 'files(id)' }, as(token));
		expect(performance.now() - started).toBeGreaterThanOrEqual(38);
	});
});

describe('files.list', () => {
	it('pages through 253 children 100 at a time, folders first then by name', async () => {
		const parent = google.addFolder({ name: 'Big' });
		for (let i = 0; i < 250; i += 1) {
			google.addFile({ name: `file-${String(i).padStart(3, '0')}.txt`, parent: parent.id, content: `${i}` });
		}
		for (const name of ['zeta', 'alpha', 'mid']) google.addFolder({ name, parent: parent.id });

		const names: string[] = [];
		const pageLengths: number[] = [];
		let pageToken: string | undefined;
		do {
			const { data }: { data: drive_v3.Schema$FileList } = await client.files.list(
				{
					q: `'${parent.id}' in parents and trashed = false`,
					orderBy: 'folder,name',
					fields: 'nextPageToken,files(id,name,mimeType)',
					pageToken,
				},
				as(token),
			);
			pageLengths.push(data.files?.length ?? 0);
			names.push(...(data.files ?? []).map((file) => file.name ?? ''));
			pageToken = data.nextPageToken ?? undefined;
		} while (pageToken);

		expect(pageLengths).toEqual([100, 100, 53]);
		expect(names.slice(0, 4)).toEqual(['alpha', 'mid', 'zeta', 'file-000.txt']);
		expect(names.at(-1)).toBe('file-249.txt');
		expect(new Set(names).size).toBe(253);
	});

	it('answers a later page from the drive as it is now when it changed since the first page', async () => {
		const parent = google.addFolder({ name: 'P' });
		for (const name of ['b', 'd']) google.addFile({ name, parent: parent.id, content: name });
		const list = async (pageToken?: string) =>
			(await client.files.list({ q: `'${parent.id}' in parents`, orderBy: 'name', pageSize: 1, fields: 'nextPageToken,files(name)', pageToken }, as(token))).data;

		const first = await list();
		google.addFile({ name: 'a', parent: parent.id, content: 'a' });
		const second = await list(first.nextPageToken ?? '');

		expect(first.files?.map((file) => file.name)).toEqual(['b']);
		// Offset 1 of the new order a, b, d.
		expect(second.files?.map((file) => file.name)).toEqual(['b']);
	});

	it('rejects a page size over 1000 and a page token from another query', async () => {
		expect(await failure(client.files.list({ pageSize: 1001 }, as(token)))).toMatchObject({ status: 400 });
		for (let i = 0; i < 3; i += 1) google.addFile({ name: `f${i}`, content: 'x' });
		const { data } = await client.files.list({ pageSize: 1, fields: 'nextPageToken' }, as(token));
		const reused = client.files.list({ q: "name contains 'f'", pageToken: data.nextPageToken ?? '' }, as(token));
		expect(await failure(reused)).toMatchObject({ status: 400, reason: 'invalid' });
	});

	it('returns trashed files unless the query says trashed = false', async () => {
		const parent = google.addFolder({ name: 'P' });
		const kept = google.addFile({ name: 'kept.txt', parent: parent.id, content: 'a' });
		const binned = google.addFile({ name: 'binned.txt', parent: parent.id, content: 'b' });
		google.trash(binned.id);

		const all = await client.files.list({ q: `'${parent.id}' in parents`, fields: 'files(id,trashed)' }, as(token));
		expect(all.data.files).toHaveLength(2);
		const live = await client.files.list(
			{ q: `'${parent.id}' in parents and trashed = false`, fields: 'files(id)' },
			as(token),
		);
		expect(live.data.files).toEqual([{ id: kept.id }]);
	});

	it('evaluates name, mimeType, or/and and parentheses the way Drive does', async () => {
		google.addFile({ name: 'HelloWorld.txt', mimeType: 'text/plain', content: 'x' });
		google.addFile({ name: 'Quarterly report.pdf', mimeType: 'application/pdf', content: 'x' });
		google.addFile({ name: 'Plan', mimeType: DOC, content: 'x' });
		google.addFolder({ name: 'Reports' });
		const names = async (q: string): Promise<string[]> => {
			const { data } = await client.files.list({ q, fields: 'files(name)', orderBy: 'name' }, as(token));
			return (data.files ?? []).map((file) => file.name ?? '');
		};
		expect(await names("name contains 'World'")).toEqual([]);
		expect(await names("name contains 'Hello'")).toEqual(['HelloWorld.txt']);
		expect(await names("name contains 'rep'")).toEqual(['Quarterly report.pdf', 'Reports']);
		expect(await names(`mimeType != '${FOLDER}' and (mimeType = '${DOC}' or name contains 'quart')`)).toEqual([
			'Plan',
			'Quarterly report.pdf',
		]);
		expect(await failure(client.files.list({ q: 'name === 1' }, as(token)))).toMatchObject({
			status: 400,
			reason: 'invalid',
		});
	});

	it('rejects query parameters Drive does not define, such as a misspelled supportsAllDrives', async () => {
		const response = await fetch(`${google.url}drive/v3/files?supportAllDrives=true&fields=files(id)`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(response.status).toBe(400);
	});
});

describe('shared drives', () => {
	let shared: ReturnType<FakeGoogle['addSharedDrive']>;
	let sharedFile: ReturnType<FakeGoogle['addFile']>;

	beforeEach(() => {
		shared = google.addSharedDrive({ name: 'Team' });
		const folder = google.addFolder({ name: 'Specs', parent: shared.id });
		sharedFile = google.addFile({ name: 'spec.md', parent: folder.id, mimeType: 'text/markdown', content: '# Spec' });
		google.addFile({ name: 'mine.txt', content: 'mine' });
	});

	it('hides shared-drive items unless both includeItemsFromAllDrives and supportsAllDrives are true', async () => {
		const names = async (params: drive_v3.Params$Resource$Files$List): Promise<string[]> => {
			const { data } = await client.files.list({ ...params, fields: 'files(name)', orderBy: 'name' }, as(token));
			return (data.files ?? []).map((file) => file.name ?? '');
		};
		expect(await names({})).toEqual(['mine.txt']);
		expect(await names({ includeItemsFromAllDrives: true })).toEqual(['mine.txt']);
		expect(await names({ supportsAllDrives: true })).toEqual(['mine.txt']);
		expect(await names({ includeItemsFromAllDrives: true, supportsAllDrives: true })).toEqual([
			'mine.txt',
			'spec.md',
			'Specs',
		]);
		expect(
			await names({ corpora: 'drive', driveId: shared.id, includeItemsFromAllDrives: true, supportsAllDrives: true }),
		).toEqual(['spec.md', 'Specs']);
	});

	it('enforces the corpora/driveId pairing and the includeItemsFromAllDrives requirement', async () => {
		expect(await failure(client.files.list({ corpora: 'drive', supportsAllDrives: true }, as(token)))).toMatchObject({
			status: 400,
		});
		const noInclude = client.files.list({ corpora: 'drive', driveId: shared.id, supportsAllDrives: true }, as(token));
		expect(await failure(noInclude)).toMatchObject({ status: 403 });
	});

	it('answers 404 for a shared-drive file fetched without supportsAllDrives', async () => {
		expect(await failure(client.files.get({ fileId: sharedFile.id, fields: 'id' }, as(token)))).toMatchObject({
			status: 404,
			reason: 'notFound',
		});
		const { data } = await client.files.get(
			{ fileId: sharedFile.id, fields: 'id,driveId,parents', supportsAllDrives: true },
			as(token),
		);
		expect(data.driveId).toBe(shared.id);
	});

	it('lists shared drives ten per page by default', async () => {
		for (let i = 0; i < 11; i += 1) google.addSharedDrive({ name: `Drive ${String(i).padStart(2, '0')}` });
		const first = await client.drives.list({ fields: 'nextPageToken,drives(id,name)' }, as(token));
		expect(first.data.drives).toHaveLength(10);
		const second = await client.drives.list(
			{ pageToken: first.data.nextPageToken ?? '', fields: 'nextPageToken,drives(id,name)' },
			as(token),
		);
		expect(second.data.drives).toHaveLength(2);
		expect(second.data.nextPageToken).toBeUndefined();
	});
});

describe('errors and auth', () => {
	it('surfaces an unknown file as a GaxiosError with reason notFound', async () => {
		const error = await failure(client.files.get({ fileId: '1doesNotExist', fields: 'id' }, as(token)));
		expect(error).toMatchObject({ status: 404, reason: 'notFound', message: 'File not found: 1doesNotExist.' });
	});

	it('answers 401 authError for an unknown or expired token and 401 required for none', async () => {
		expect(await failure(client.files.list({ fields: 'files(id)' }, as('ya29.made-up')))).toMatchObject({
			status: 401,
			reason: 'authError',
		});
		google.expireAccessTokens();
		expect(await failure(client.files.list({ fields: 'files(id)' }, as(token)))).toMatchObject({
			status: 401,
			reason: 'authError',
		});
		expect(await failure(client.files.list({ fields: 'files(id)' }, { retry: false }))).toMatchObject({
			status: 401,
			reason: 'required',
		});
	});

	it('refuses writes with a read-only grant', async () => {
		const error = await failure(client.files.create({ requestBody: { name: 'x' }, fields: 'id' }, as(token)));
		expect(error).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
	});
});

describe('downloads and exports', () => {
	it('downloads bytes with alt=media and serves a Range as 206', async () => {
		const file = google.addFile({ name: 'a.bin', content: Buffer.from('0123456789abcdef') });
		const full = await client.files.get({ fileId: file.id, alt: 'media' }, { ...as(token), responseType: 'arraybuffer' });
		expect(Buffer.from(full.data as unknown as ArrayBuffer).toString()).toBe('0123456789abcdef');
		expect(full.headers['content-length']).toBe('16');

		const part = await client.files.get(
			{ fileId: file.id, alt: 'media' },
			{ ...as(token), responseType: 'arraybuffer', headers: { Authorization: `Bearer ${token}`, Range: 'bytes=4-7' } },
		);
		expect(part.status).toBe(206);
		expect(Buffer.from(part.data as unknown as ArrayBuffer).toString()).toBe('4567');
		expect(part.headers['content-range']).toBe('bytes 4-7/16');
	});

	it('streams a large generated file whose bytes match its md5Checksum', async () => {
		const file = google.addFile({ name: 'big.iso', content: { size: 24 * 1024 * 1024 + 7 } });
		const { data: meta } = await client.files.get({ fileId: file.id, fields: 'size,md5Checksum' }, as(token));
		const response = await client.files.get({ fileId: file.id, alt: 'media' }, { ...as(token), responseType: 'stream' });
		const md5 = createHash('md5');
		let bytes = 0;
		for await (const chunk of response.data as unknown as AsyncIterable<Uint8Array>) {
			md5.update(chunk);
			bytes += chunk.length;
		}
		expect(String(bytes)).toBe(meta.size);
		expect(md5.digest('hex')).toBe(meta.md5Checksum);
	});

	it('refuses alt=media for Google Docs and for files flagged as abusive', async () => {
		const doc = google.addFile({ name: 'Doc', mimeType: DOC, content: 'text' });
		const media = { ...as(token), responseType: 'arraybuffer' as const };
		expect(await failure(client.files.get({ fileId: doc.id, alt: 'media' }, media))).toMatchObject({
			status: 403,
			reason: 'fileNotDownloadable',
		});
		const malware = google.addFile({ name: 'x.exe', content: 'MZ', abusive: true });
		expect(await failure(client.files.get({ fileId: malware.id, alt: 'media' }, media))).toMatchObject({
			status: 403,
			reason: 'cannotDownloadAbusiveFile',
		});
		const acknowledged = await client.files.get({ fileId: malware.id, alt: 'media', acknowledgeAbuse: true }, media);
		expect(acknowledged.status).toBe(200);
	});

	it('exports Docs only to the formats Drive offers', async () => {
		const doc = google.addFile({ name: 'Doc', mimeType: DOC, content: 'Hello doc' });
		const text = await client.files.export({ fileId: doc.id, mimeType: 'text/plain' }, { ...as(token), responseType: 'arraybuffer' });
		expect(Buffer.from(text.data as unknown as ArrayBuffer).toString('utf8')).toBe('\ufeffHello doc');

		const media = { ...as(token), responseType: 'arraybuffer' as const };
		expect(await failure(client.files.export({ fileId: doc.id, mimeType: 'text/csv' }, media))).toMatchObject({
			status: 400,
			reason: 'badRequest',
		});
		const pdf = google.addFile({ name: 'a.pdf', mimeType: 'application/pdf', content: '%PDF' });
		expect(await failure(client.files.export({ fileId: pdf.id, mimeType: 'text/plain' }, media))).toMatchObject({
			status: 403,
			reason: 'fileNotExportable',
		});
	});

	it('refuses exports over 10 MB with exportSizeLimitExceeded while exportLinks still serve them', async () => {
		const big = google.addFile({ name: 'Huge doc', mimeType: DOC, content: 'x'.repeat(11 * 1024 * 1024) });
		const media = { ...as(token), responseType: 'arraybuffer' as const };
		expect(await failure(client.files.export({ fileId: big.id, mimeType: 'text/plain' }, media))).toMatchObject({
			status: 403,
			reason: 'exportSizeLimitExceeded',
		});
		const { data } = await client.files.get({ fileId: big.id, fields: 'exportLinks' }, as(token));
		const link = data.exportLinks?.['text/plain'] ?? '';
		expect((await fetch(link)).status).toBe(401);
		const response = await fetch(link, { headers: { Authorization: `Bearer ${token}` } });
		expect(response.status).toBe(200);
		expect((await response.arrayBuffer()).byteLength).toBe(11 * 1024 * 1024 + 3);
	});
});

describe('changes API', () => {
	it('reports each edited, moved, trashed and deleted file once, in its latest state', async () => {
		const folder = google.addFolder({ name: 'Src' });
		const other = google.addFolder({ name: 'Dst' });
		const edited = google.addFile({ name: 'edited.txt', parent: folder.id, content: 'v1' });
		const moved = google.addFile({ name: 'moved.txt', parent: folder.id, content: 'm' });
		const binned = google.addFile({ name: 'binned.txt', parent: folder.id, content: 'b' });
		const deleted = google.addFile({ name: 'deleted.txt', parent: folder.id, content: 'd' });
		google.addFile({ name: 'untouched.txt', parent: folder.id, content: 'u' });

		const { data: start } = await client.changes.getStartPageToken({}, as(token));
		google.editContent(edited.id, 'v2');
		google.move(moved.id, other.id);
		google.trash(binned.id);
		google.remove(deleted.id);
		google.editContent(edited.id, 'v3');

		const fields = 'nextPageToken,newStartPageToken,changes(fileId,removed,file(name,parents,trashed,version))';
		const { data } = await client.changes.list({ pageToken: start.startPageToken ?? '', fields }, as(token));
		expect(data.changes?.map((change) => [change.fileId, change.removed])).toEqual([
			[moved.id, false],
			[binned.id, false],
			[deleted.id, true],
			[edited.id, false],
		]);
		const byId = new Map(data.changes?.map((change) => [change.fileId, change]));
		expect(byId.get(moved.id)?.file?.parents).toEqual([other.id]);
		expect(byId.get(binned.id)?.file?.trashed).toBe(true);
		expect(byId.get(deleted.id)?.file).toBeUndefined();
		expect(byId.get(edited.id)?.file?.version).toBe('3');
		expect(data.nextPageToken).toBeUndefined();

		const again = await client.changes.list({ pageToken: data.newStartPageToken ?? '', fields }, as(token));
		expect(again.data.changes).toEqual([]);
		expect(again.data.newStartPageToken).toBe(data.newStartPageToken);
	});

	it('pages changes with nextPageToken and only gives newStartPageToken on the last page', async () => {
		const { data: start } = await client.changes.getStartPageToken({}, as(token));
		for (let i = 0; i < 5; i += 1) google.addFile({ name: `n${i}`, content: 'x' });
		const fields = 'nextPageToken,newStartPageToken,changes(fileId)';
		const first = await client.changes.list({ pageToken: start.startPageToken ?? '', pageSize: 3, fields }, as(token));
		expect(first.data.changes).toHaveLength(3);
		expect(first.data.newStartPageToken).toBeUndefined();
		const second = await client.changes.list({ pageToken: first.data.nextPageToken ?? '', pageSize: 3, fields }, as(token));
		expect(second.data.changes).toHaveLength(2);
		expect(second.data.nextPageToken).toBeUndefined();
		expect(second.data.newStartPageToken).toEqual(expect.any(String));
	});

	it('includes shared-drive changes only when asked, and scopes them by driveId', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		const { data: start } = await client.changes.getStartPageToken({}, as(token));
		const { data: driveStart } = await client.changes.getStartPageToken(
			{ driveId: team.id, supportsAllDrives: true },
			as(token),
		);
		const teamFile = google.addFile({ name: 'team.txt', parent: team.id, content: 't' });
		const myFile = google.addFile({ name: 'my.txt', content: 'm' });
		const fields = 'newStartPageToken,changes(fileId)';
		const ids = (data: drive_v3.Schema$ChangeList): Array<string | null | undefined> =>
			(data.changes ?? []).map((change) => change.fileId);

		const userOnly = await client.changes.list({ pageToken: start.startPageToken ?? '', fields }, as(token));
		expect(ids(userOnly.data)).toEqual([myFile.id]);
		const all = await client.changes.list(
			{ pageToken: start.startPageToken ?? '', fields, includeItemsFromAllDrives: true, supportsAllDrives: true },
			as(token),
		);
		expect(ids(all.data)).toEqual([teamFile.id, myFile.id]);
		const scoped = await client.changes.list(
			{
				pageToken: driveStart.startPageToken ?? '',
				driveId: team.id,
				fields,
				includeItemsFromAllDrives: true,
				supportsAllDrives: true,
			},
			as(token),
		);
		expect(ids(scoped.data)).toEqual([teamFile.id]);
	});
});

describe('OAuth2 token endpoint', () => {
	it('lets an OAuth2 client refresh an expired access token transparently', async () => {
		const tokens = google.issueTokens();
		const oauth = new auth.OAuth2({
			clientId: google.clientId,
			clientSecret: google.clientSecret,
			endpoints: { oauth2TokenUrl: google.tokenUrl },
			transporterOptions: { fetchImplementation: fetch },
		});
		oauth.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
		const authed = drive({ version: 'v3', rootUrl: google.url, auth: oauth, fetchImplementation: fetch });

		google.expireAccessTokens();
		const { data } = await authed.files.list({ fields: 'files(id)' }, { retry: false });
		expect(data.files).toEqual([]);
		expect(google.tokenRefreshCount).toBe(1);
		expect(oauth.credentials.access_token).not.toBe(tokens.access_token);
	});

	it('answers invalid_grant for a revoked refresh token and invalid_client for a wrong secret', async () => {
		const tokens = google.issueTokens();
		const post = (body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
			fetch(google.tokenUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
				body: new URLSearchParams(body),
			});
		const basic = `Basic ${Buffer.from(`${google.clientId}:${google.clientSecret}`).toString('base64')}`;

		const refreshed = await post({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { Authorization: basic });
		expect(refreshed.status).toBe(200);
		expect(await refreshed.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3599, access_token: expect.any(String) });

		google.revokeRefreshToken(tokens.refresh_token);
		const revoked = await post({
			grant_type: 'refresh_token',
			refresh_token: tokens.refresh_token,
			client_id: google.clientId,
			client_secret: google.clientSecret,
		});
		expect(revoked.status).toBe(400);
		expect(await revoked.json()).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });

		const wrongSecret = await post({
			grant_type: 'refresh_token',
			refresh_token: google.issueTokens().refresh_token,
			client_id: google.clientId,
			client_secret: 'nope',
		});
		expect(wrongSecret.status).toBe(401);
		expect(google.tokenRefreshCount).toBe(1);
	});
});

describe('fault injection and request log', () => {
	it('fails the next request with 429 and Retry-After, then recovers', async () => {
		google.failNext(1, { status: 429, retryAfter: 3 });
		const error = await failure(client.files.list({ fields: 'files(id)' }, as(token)));
		expect(error).toMatchObject({ status: 429, reason: 'rateLimitExceeded' });
		expect(error.headers?.get('retry-after')).toBe('3');
		expect((await client.files.list({ fields: 'files(id)' }, as(token))).status).toBe(200);
	});

	it('can drop the connection and can enforce a sustained request rate', async () => {
		google.failNext(1, { reset: true });
		const reset = await failure(client.files.list({ fields: 'files(id)' }, as(token)));
		expect(reset.status).toBeUndefined();

		google.setRateLimit({ requestsPerSecond: 0.5, burst: 2 });
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, () => client.files.list({ fields: 'files(id)' }, as(token))),
		);
		expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
		const limited = await failure(client.files.list({ fields: 'files(id)' }, as(token)));
		expect(limited.status).toBe(429);
		expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});

	it('logs every request with its query but never the token', async () => {
		google.resetRequestLog();
		await client.files.list({ fields: 'files(id)', q: 'trashed = false' }, as(token));
		expect(google.driveRequests()).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/drive/v3/files',
				query: { fields: 'files(id)', q: 'trashed = false' },
				status: 200,
			}),
		]);
		expect(JSON.stringify(google.requests)).not.toContain(token);
	});
});
