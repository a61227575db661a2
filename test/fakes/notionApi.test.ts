/**
 * Proves the fake Notion server through the real `@notionhq/client`: code that passes against the
 * fake uses the 2025-09-03 API (data sources, cursors, limits) the way Notion requires.
 */
import { APIResponseError, Client, collectPaginatedAPI, isFullBlock } from '@notionhq/client';
import { b, rt } from './notionBlocks';
import { startFakeNotion, type FakeNotion } from './notionApi';

let notion: FakeNotion;
let client: Client;

const silent = (): void => undefined;

function clientFor(fake: FakeNotion, auth: string = fake.token): Client {
	return new Client({ auth, baseUrl: fake.url, notionVersion: '2025-09-03', retry: false, logger: silent });
}

/** Runs a call expected to fail and returns the SDK's error. */
async function apiError(call: Promise<unknown>): Promise<APIResponseError> {
	try {
		await call;
	} catch (error) {
		if (APIResponseError.isAPIResponseError(error)) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}

beforeEach(async () => {
	notion = await startFakeNotion({ requestsPerSecond: Infinity });
	client = clientFor(notion);
});

afterEach(async () => {
	await notion.close();
	expect(notion.internalErrors).toEqual([]);
});

describe('protocol', () => {
	it('rejects a request without Notion-Version with 400 missing_version', async () => {
		const response = await fetch(`${notion.url}/v1/users/me`, { headers: { Authorization: `Bearer ${notion.token}` } });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			object: 'error',
			status: 400,
			code: 'missing_version',
			message: expect.stringContaining('Notion-Version'),
			request_id: expect.any(String),
		});
	});

	it('rejects an unknown or revoked token with 401 unauthorized', async () => {
		expect(await apiError(clientFor(notion, 'ntn_made_up').users.me({}))).toMatchObject({ status: 401, code: 'unauthorized' });
		const token = notion.issueToken();
		expect((await clientFor(notion, token).users.me({})).type).toBe('bot');
		notion.revokeToken(token);
		expect(await apiError(clientFor(notion, token).users.me({}))).toMatchObject({ status: 401 });
	});

	it('describes the bot with its owner and workspace', async () => {
		const me = await client.users.me({});
		expect(me).toMatchObject({
			object: 'user',
			type: 'bot',
			bot: {
				owner: { type: 'user', user: { type: 'person', person: { email: 'alice@example.com' } } },
				workspace_name: 'Acme Docs',
				workspace_id: notion.workspace.id,
			},
		});
	});

	it('rejects malformed ids and page sizes over 100 with validation_error', async () => {
		const badId = await fetch(`${notion.url}/v1/pages/not-a-uuid`, {
			headers: { Authorization: `Bearer ${notion.token}`, 'Notion-Version': '2025-09-03' },
		});
		expect(badId.status).toBe(400);
		expect(await badId.json()).toMatchObject({ code: 'validation_error' });
		const page = notion.addPage({ title: 'P' });
		expect(await apiError(client.blocks.children.list({ block_id: page.id, page_size: 101 }))).toMatchObject({
			status: 400,
			code: 'validation_error',
		});
	});
});

describe('pages and blocks', () => {
	it('answers a public_url only for a published page or row, without stamping the publish as an edit', async () => {
		const page = notion.addPage({ title: 'Launch Plan' });
		const { dataSources, rows } = notion.addDatabase({ title: 'Tasks', rows: [{ title: 'Ship' }] });
		const published = async () => {
			const found = await client.search({ filter: { property: 'object', value: 'page' } });
			const [read, row] = await Promise.all([client.pages.retrieve({ page_id: page.id }), client.dataSources.query({ data_source_id: dataSources[0].id })]);
			return { read, row: row.results[0], found: found.results.map((result) => (result as { public_url: unknown }).public_url) };
		};
		const before = await published();
		expect(before.read).toMatchObject({ public_url: null });
		expect(before.row).toMatchObject({ public_url: null });

		notion.setNow('2025-01-01T12:00:00Z');
		notion.publishPage(page.id);
		notion.publishPage(rows[0].id);
		const after = await published();
		const hex = page.id.replace(/-/g, '');
		expect(after.read).toMatchObject({ public_url: `https://acme-docs.notion.site/Launch-Plan-${hex}`, last_edited_time: (before.read as { last_edited_time: string }).last_edited_time });
		expect(after.row).toMatchObject({ public_url: expect.stringMatching(/^https:\/\/acme-docs\.notion\.site\/Ship-/) });
		expect(after.found.filter((url) => url !== null)).toHaveLength(2);

		notion.publishPage(page.id, false);
		expect(await client.pages.retrieve({ page_id: page.id })).toMatchObject({ public_url: null });
	});

	it('pages 250 block children 100 at a time with cursors', async () => {
		const page = notion.addPage({ title: 'Long', children: Array.from({ length: 250 }, (_, i) => b.paragraph(`line ${i}`)) });
		const first = await client.blocks.children.list({ block_id: page.id });
		expect(first.results).toHaveLength(100);
		expect(first.has_more).toBe(true);
		expect(first.next_cursor).toEqual(expect.any(String));

		const all = await collectPaginatedAPI(client.blocks.children.list, { block_id: page.id });
		expect(all).toHaveLength(250);
		const texts = all.map((block) =>
			isFullBlock(block) && block.type === 'paragraph' ? block.paragraph.rich_text[0]?.plain_text : undefined,
		);
		expect(texts[0]).toBe('line 0');
		expect(texts[249]).toBe('line 249');
		expect(notion.apiRequests().filter((request) => request.path.endsWith('/children'))).toHaveLength(4);

		expect(await apiError(client.blocks.children.list({ block_id: page.id, start_cursor: page.id }))).toMatchObject({
			code: 'validation_error',
		});
	});

	it('serves the children of any block that has children, synced references included', async () => {
		const page = notion.addPage({ title: 'Nested' });
		const [listId, originalId] = notion.appendBlocks(page.id, [
			b.bulleted('parent', [b.bulleted('child', [b.bulleted('grandchild')])]),
			b.syncedOriginal([b.paragraph('shared text')]),
			b.table(
				[
					['a', 'b'],
					['1', '2'],
				],
				{ columnHeader: true },
			),
			b.columns([b.paragraph('left')], [b.paragraph('right')]),
			b.heading(2, 'Closed', { toggleable: true, children: [b.paragraph('hidden')] }),
			b.divider(),
		]);
		const [referenceId] = notion.appendBlocks(page.id, [b.syncedReference(originalId)]);

		const top = await collectPaginatedAPI(client.blocks.children.list, { block_id: page.id });
		expect(top.map((block) => (isFullBlock(block) ? [block.type, block.has_children] : []))).toEqual([
			['bulleted_list_item', true],
			['synced_block', true],
			['table', true],
			['column_list', true],
			['heading_2', true],
			['divider', false],
			['synced_block', true],
		]);
		const child = await client.blocks.children.list({ block_id: listId });
		const grandchildParent = child.results[0];
		expect(isFullBlock(grandchildParent) && grandchildParent.has_children).toBe(true);
		const reference = await client.blocks.retrieve({ block_id: referenceId });
		expect(isFullBlock(reference) && reference.type === 'synced_block' && reference.synced_block.synced_from).toEqual({
			type: 'block_id',
			block_id: originalId,
		});
		const viaReference = await client.blocks.children.list({ block_id: referenceId });
		const viaOriginal = await client.blocks.children.list({ block_id: originalId });
		expect(viaReference.results.map((block) => block.id)).toEqual(viaOriginal.results.map((block) => block.id));
	});

	it('renders rich text like Notion: annotations, links, mentions, equations, 2000-character chunks', async () => {
		const other = notion.addPage({ title: 'Other page' });
		const page = notion.addPage({ title: 'Rich' });
		const [id] = notion.appendBlocks(page.id, [
			b.paragraph([
				rt.text('bold', { bold: true }),
				rt.link('site', 'https://example.com'),
				rt.mentionPage(other.id),
				rt.mentionUser(notion.author.id),
				rt.mentionDate('2025-02-01'),
				rt.equation('e^{i\\pi}+1=0'),
				'x'.repeat(4500),
			]),
		]);
		const block = await client.blocks.retrieve({ block_id: id });
		if (!isFullBlock(block) || block.type !== 'paragraph') throw new Error('expected a paragraph');
		const items = block.paragraph.rich_text;
		expect(items.map((item) => [item.type, item.plain_text.slice(0, 12), item.href])).toEqual([
			['text', 'bold', null],
			['text', 'site', 'https://example.com'],
			['mention', 'Other page', `https://www.notion.so/${other.id.replace(/-/g, '')}`],
			['mention', '@Alice Examp', null],
			['mention', '2025-02-01', null],
			['equation', 'e^{i\\pi}+1=0', null],
			['text', 'x'.repeat(12), null],
			['text', 'x'.repeat(12), null],
			['text', 'x'.repeat(12), null],
		]);
		expect(items[0].annotations).toEqual({
			bold: true,
			italic: false,
			strikethrough: false,
			underline: false,
			code: false,
			color: 'default',
		});
		expect(items.slice(6).map((item) => item.plain_text.length)).toEqual([2000, 2000, 500]);
	});

	it('stamps last_edited_time with minute precision and bumps it when content changes', async () => {
		notion.setNow('2025-03-01T10:05:45.123Z');
		const page = notion.addPage({ title: 'Clocked' });
		expect((await client.pages.retrieve({ page_id: page.id })) as { last_edited_time?: string }).toMatchObject({
			last_edited_time: '2025-03-01T10:05:00.000Z',
		});
		notion.setNow('2025-03-01T11:00:10.000Z');
		notion.appendBlocks(page.id, [b.paragraph('more')]);
		expect((await client.pages.retrieve({ page_id: page.id })) as { last_edited_time?: string }).toMatchObject({
			last_edited_time: '2025-03-01T11:00:00.000Z',
		});
	});

	it('answers 404 object_not_found for pages not shared with the integration', async () => {
		const hidden = notion.addPage({ title: 'Private', shared: false });
		const shared = notion.addPage({ title: 'Shared' });
		const child = notion.addPage({ title: 'Child', parent: shared.id });
		expect(await apiError(client.pages.retrieve({ page_id: hidden.id }))).toMatchObject({
			status: 404,
			code: 'object_not_found',
		});
		expect(await client.pages.retrieve({ page_id: child.id })).toMatchObject({ id: child.id });
		notion.unshare(shared.id);
		expect(await apiError(client.blocks.children.list({ block_id: child.id }))).toMatchObject({ status: 404 });
		expect((await client.search({})).results).toEqual([]);
	});

	it('serves file blocks from signed URLs that change on every read and expire after an hour', async () => {
		const page = notion.addPage({ title: 'Files' });
		const [imageId] = notion.appendBlocks(page.id, [b.image({ content: Buffer.from('PNGDATA'), name: 'chart.png' })]);
		const urlOf = async (): Promise<string> => {
			const block = await client.blocks.retrieve({ block_id: imageId });
			if (!isFullBlock(block) || block.type !== 'image' || block.image.type !== 'file') throw new Error('expected a file image');
			return block.image.file.url;
		};
		const first = await urlOf();
		const second = await urlOf();
		expect(first).not.toBe(second);
		expect(first.split('?')[0]).toBe(second.split('?')[0]);

		const download = await fetch(first);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('PNGDATA');

		notion.advanceTime(61 * 60 * 1000);
		expect((await fetch(second)).status).toBe(403);
	});
});

describe('search and data sources', () => {
	it('pages search results and filters them by object type', async () => {
		for (let i = 0; i < 25; i += 1) notion.addPage({ title: `Note ${i}` });
		const { dataSources } = notion.addDatabase({ title: 'Tasks' });
		const firstPage = await client.search({ filter: { property: 'object', value: 'page' }, page_size: 10 });
		expect(firstPage.results).toHaveLength(10);
		expect(firstPage.has_more).toBe(true);
		const pages = await collectPaginatedAPI(client.search, { filter: { property: 'object', value: 'page' }, page_size: 10 });
		expect(pages).toHaveLength(25);
		expect(new Set(pages.map((result) => result.id)).size).toBe(25);

		const sources = await client.search({ filter: { property: 'object', value: 'data_source' } });
		expect(sources.results).toEqual([expect.objectContaining({ object: 'data_source', id: dataSources[0].id })]);

		const legacy = client.search({ filter: { property: 'object', value: 'database' as 'page' } });
		expect(await apiError(legacy)).toMatchObject({ status: 400, code: 'validation_error' });
		const unknownKey = client.request({ path: 'search', method: 'post', body: { page_limit: 5 } });
		expect(await apiError(unknownKey)).toMatchObject({ code: 'validation_error' });
	});

	it('exposes databases through their data sources and refuses the pre-2025-09-03 query endpoint', async () => {
		const { database, dataSources } = notion.addDatabase({
			title: 'Tasks',
			dataSources: [{ name: 'Tasks', properties: { Name: 'title', Status: { type: 'select', options: ['Todo', 'Done'] } } }],
			rows: [{ title: 'Write spec', properties: { Status: 'Done' } }],
		});
		const retrieved = await client.databases.retrieve({ database_id: database.id });
		expect(retrieved).toMatchObject({ object: 'database', data_sources: [{ id: dataSources[0].id, name: 'Tasks' }] });
		expect(retrieved).not.toHaveProperty('properties');

		const source = await client.dataSources.retrieve({ data_source_id: dataSources[0].id });
		expect(source).toMatchObject({ object: 'data_source', properties: { Status: { type: 'select' } } });
		expect(await apiError(client.dataSources.query({ data_source_id: database.id }))).toMatchObject({
			code: 'validation_error',
		});
		const legacy = client.request({ path: `databases/${database.id}/query`, method: 'post', body: {} });
		expect(await apiError(legacy)).toMatchObject({ status: 400, code: 'invalid_request_url' });

		const rows = await client.dataSources.query({ data_source_id: dataSources[0].id });
		expect(rows.results).toEqual([
			expect.objectContaining({
				object: 'page',
				parent: { type: 'data_source_id', data_source_id: dataSources[0].id, database_id: database.id },
				properties: expect.objectContaining({ Status: expect.objectContaining({ select: expect.objectContaining({ name: 'Done' }) }) }),
			}),
		]);
	});

	it('filters a data source query on last_edited_time at the minute precision Notion stores', async () => {
		notion.setNow('2025-03-01T09:00:00.000Z');
		const { dataSources, rows } = notion.addDatabase({
			title: 'Docs',
			rows: [{ title: 'old' }, { title: 'edited' }, { title: 'new' }],
		});
		notion.setNow('2025-03-01T10:05:45.000Z');
		notion.editPage(rows[1].id, { title: 'edited again' });
		notion.addRow(dataSources[0].id, { title: 'added' });

		const titlesEditedSince = async (instant: string): Promise<string[]> => {
			const result = await client.dataSources.query({
				data_source_id: dataSources[0].id,
				filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: instant } },
				sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
			});
			return result.results.map((page) => {
				const title = (page as { properties?: { Name?: { title?: Array<{ plain_text: string }> } } }).properties?.Name?.title;
				return (title ?? []).map((item) => item.plain_text).join('');
			});
		};
		// The edit happened at 10:05:45 but is stored as 10:05:00, so a cursor taken at 10:05:30 misses it.
		expect(await titlesEditedSince('2025-03-01T10:05:30.000Z')).toEqual([]);
		expect((await titlesEditedSince('2025-03-01T10:05:00.000Z')).sort()).toEqual(['added', 'edited again']);

		const bad = client.dataSources.query({
			data_source_id: dataSources[0].id,
			filter: { property: 'Missing', rich_text: { contains: 'x' } },
		});
		expect(await apiError(bad)).toMatchObject({ code: 'validation_error' });
	});

	it('drops trashed pages from search and queries but still lets them be retrieved', async () => {
		const { dataSources, rows } = notion.addDatabase({ title: 'T', rows: [{ title: 'keep' }, { title: 'bin' }] });
		notion.trashPage(rows[1].id);
		const query = await client.dataSources.query({ data_source_id: dataSources[0].id });
		expect(query.results.map((page) => page.id)).toEqual([rows[0].id]);
		const search = await client.search({ query: 'bin' });
		expect(search.results).toEqual([]);
		expect(await client.pages.retrieve({ page_id: rows[1].id })).toMatchObject({ in_trash: true, archived: true });
	});

	it('searches the trash only when asked with filter.in_trash, never mixing trashed and live results', async () => {
		const keep = notion.addPage({ title: 'keep' });
		const bin = notion.addPage({ title: 'bin' });
		notion.trashPage(bin.id);
		const trashed = await client.search({ filter: { property: 'object', value: 'page', in_trash: true } });
		expect(trashed.results.map((page) => page.id)).toEqual([bin.id]);
		const standalone = await client.search({ filter: { in_trash: true } });
		expect(standalone.results.map((page) => page.id)).toEqual([bin.id]);
		const live = await client.search({ filter: { property: 'object', value: 'page' } });
		expect(live.results.map((page) => page.id)).toEqual([keep.id]);
	});

	it('moves a page under another page, stamping it unless told not to', async () => {
		const from = notion.addPage({ title: 'From' });
		const to = notion.addPage({ title: 'To' });
		const child = notion.addPage({ title: 'Child', parent: from.id });
		notion.setNow('2025-02-01T08:30:20Z');
		notion.movePage(child.id, to.id);
		expect(await client.pages.retrieve({ page_id: child.id })).toMatchObject({
			parent: { type: 'page_id', page_id: to.id },
			last_edited_time: '2025-02-01T08:30:00.000Z',
		});
		expect((await client.blocks.children.list({ block_id: from.id })).results).toEqual([]);
		expect((await client.blocks.children.list({ block_id: to.id })).results.map((block) => block.id)).toEqual([child.id]);
		notion.setNow('2025-02-02T00:00:00Z');
		notion.movePage(child.id, from.id, { touch: false });
		expect(await client.pages.retrieve({ page_id: child.id })).toMatchObject({ last_edited_time: '2025-02-01T08:30:00.000Z' });
	});

	it('dates every answer with its own clock, as the Date header', async () => {
		notion.setNow('2025-03-04T05:06:07Z');
		const response = await fetch(`${notion.url}/v1/users/me`, {
			headers: { Authorization: `Bearer ${notion.token}`, 'Notion-Version': '2025-09-03' },
		});
		expect(response.headers.get('date')).toBe('Tue, 04 Mar 2025 05:06:07 GMT');
	});
});

describe('rate limits, faults and OAuth', () => {
	it('answers a burst beyond ~3 requests per second with 429 rate_limited and Retry-After', async () => {
		const limited = await startFakeNotion();
		try {
			const limitedClient = clientFor(limited);
			const results = await Promise.allSettled(Array.from({ length: 12 }, () => limitedClient.users.me({})));
			const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
			expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(6);
			expect(rejected).toHaveLength(6);
			const error = rejected[0].reason as APIResponseError;
			expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
			const headers = error.headers instanceof Headers ? error.headers : new Headers();
			expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(limited.rateLimitedCount).toBe(6);
		} finally {
			await limited.close();
		}
	});

	it('injects server errors on demand', async () => {
		notion.failNext(1, { status: 503, path: '/v1/users' });
		expect(await apiError(client.users.me({}))).toMatchObject({ status: 503, code: 'service_unavailable' });
		expect((await client.users.me({})).type).toBe('bot');
	});

	it('exchanges an authorization code with Basic client credentials and rotates refresh tokens', async () => {
		const code = notion.createAuthorizationCode('https://n8n.example/callback');
		const anonymous = new Client({ baseUrl: notion.url, retry: false, logger: silent });
		const grant = await anonymous.oauth.token({
			client_id: notion.clientId,
			client_secret: notion.clientSecret,
			grant_type: 'authorization_code',
			code,
			redirect_uri: 'https://n8n.example/callback',
		});
		expect(grant).toMatchObject({ token_type: 'bearer', workspace_id: notion.workspace.id, bot_id: notion.bot.id });
		expect((await clientFor(notion, grant.access_token).users.me({})).id).toBe(notion.bot.id);

		const basic = `Basic ${Buffer.from(`${notion.clientId}:${notion.clientSecret}`).toString('base64')}`;
		const refresh = (refreshToken: string, authorization = basic): Promise<Response> =>
			fetch(notion.tokenUrl, {
				method: 'POST',
				headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
			});
		const refreshed = await refresh(grant.refresh_token ?? '');
		expect(refreshed.status).toBe(200);
		expect(await refreshed.json()).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
		expect((await refresh(grant.refresh_token ?? '')).status).toBe(400);
		expect(notion.tokenRefreshCount).toBe(1);

		const wrongSecret = `Basic ${Buffer.from(`${notion.clientId}:nope`).toString('base64')}`;
		expect((await refresh('anything', wrongSecret)).status).toBe(401);
	});
});
