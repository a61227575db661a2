import type { Client } from '@notionhq/client';

import { defaultPolicy, describePolicy } from '../../../lib/policy';
import { notionProvider, type NotionSource } from '../../../lib/providers/notion';
import { exportNotionItem, exportNotionPage } from '../../../lib/providers/notion/export';
import { runExport, type RunHost } from '../../../lib/sync';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b, rt, type BlockInput } from '../../fakes/notionBlocks';
import { listRun, temporaryStore, testClient } from './helpers';

/** A page touching most block kinds, as people write them. */
function richPage(): BlockInput[] {
	return [
		b.heading(1, 'Plan'),
		b.paragraph([rt.text('See '), rt.text('this', { bold: true }), rt.text(' and '), rt.link('docs', 'https://docs.n8n.io')]),
		b.bulleted('one', [b.bulleted('nested')]),
		b.numbered('first'),
		b.numbered('second'),
		b.todo('open', false),
		b.toggle('More', [b.paragraph('hidden')]),
		b.code('const a = 1;', 'typescript'),
		b.quote('quoted'),
		b.divider(),
	];
}

const endpointCalls = (notion: FakeNotion): number => notion.apiRequests().filter((request) => request.path.endsWith('/markdown')).length;

describe('Notion export through the Markdown endpoint (strict fake)', () => {
	let notion: FakeNotion;
	let client: Client;

	beforeEach(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		client = testClient(notion);
	});

	afterEach(async () => {
		expect(notion.internalErrors).toEqual([]);
		await notion.close();
	});

	it('exports a page in two requests and gives the same Markdown as the block walk', async () => {
		const page = notion.addPage({ title: 'Rich', children: richPage() });

		const viaEndpoint = await exportNotionPage(client, { external_id: page.id });
		const viaBlocks = await exportNotionPage(client, { external_id: page.id }, { contentSource: 'blocks' });

		expect(viaEndpoint.contentSource).toBe('markdown');
		expect(viaEndpoint.requests).toBe(2);
		expect(viaBlocks.contentSource).toBe('blocks');
		expect(viaBlocks.requests).toBeGreaterThan(2);
		expect(viaEndpoint.markdown).toBe(viaBlocks.markdown);
		expect(viaEndpoint.contentHash).toBe(viaBlocks.contentHash);
	});

	it('completes a truncated page from its unknown_block_ids, in order', async () => {
		notion.markdownMaxBlocks = 5;
		const children = Array.from({ length: 23 }, (_, index) => b.paragraph(`para ${index + 1}`));
		const page = notion.addPage({ title: 'Long', children });

		const result = await exportNotionPage(client, { external_id: page.id });

		const paragraphs = result.markdown.split('\n').filter((line) => /^para \d+$/.test(line));
		expect(paragraphs).toEqual(children.map((_, index) => `para ${index + 1}`));
		expect(result.contentSource).toBe('markdown');
		expect(endpointCalls(notion)).toBe(1 + 18);
	});

	it('skips a page that stays truncated past the follow-up bound, saying to use the block tree', async () => {
		notion.markdownMaxBlocks = 1;
		const page = notion.addPage({ title: 'Huge', children: Array.from({ length: 40 }, (_, index) => b.paragraph(`p${index}`)) });

		const outcome = await exportNotionItem(client, { item: { external_id: page.id } as never });

		expect(outcome).toMatchObject({ kind: 'skipped', skipReason: 'notion_markdown_incomplete' });
		expect(outcome.kind === 'skipped' && outcome.skipDetail).toContain('Block Tree');
	});

	it('falls back to the block walk for a page whose Markdown the integration may not read (403), and says why', async () => {
		const page = notion.addPage({ title: 'Locked', children: richPage() });
		notion.markdownForbidden.add(page.id);

		const result = await exportNotionPage(client, { external_id: page.id });

		expect(result.contentSource).toBe('blocks');
		expect(result.fallbackReason).toBe('markdown_forbidden');
		expect(result.markdown).toContain('- [ ] open');
		const refused = notion.requests.find((request) => request.path.endsWith('/markdown'));
		expect(refused?.status).toBe(403);
	});

	it('marks the fallback page with content_source blocks and its note, counted in the run record, through the engine', async () => {
		const root = notion.addPage({ title: 'Docs', children: [b.paragraph('root')] });
		const locked = notion.addPage({ title: 'Locked', parent: root.id, children: richPage() });
		notion.addPage({ title: 'Open', parent: root.id, children: [b.paragraph('readable')] });
		notion.markdownForbidden.add(locked.id);
		const { store, remove } = await temporaryStore();
		try {
			const source: NotionSource = { kind: 'pageTree', pageId: root.id };
			const hints: string[] = [];
			const host: RunHost = {
				executionId: 'exec-1',
				scope: { owner: 'workflow:test', workflowId: 'test', admin: false },
				logger: { info: () => undefined, warn: () => undefined },
				hint: (messages) => hints.push(...messages),
			};
			const sourceKey = notionProvider.sourceKey('workspace-1', source);
			await store.owners.recordListing({ sourceKey, provider: notionProvider.id }, host.scope.owner);
			const listing = await listRun(store, client, source, { account: 'workspace-1', commit: false });
			const items = (await store.items.check(listing.items)).map((checked) => checked.item);
			const policy = defaultPolicy();
			const results = await runExport({
				store,
				provider: notionProvider,
				connection: client,
				host,
				run: { policy, description: describePolicy(policy), warnings: [] },
				items,
				concurrency: 2,
				storeBinary: async (_data, fileName) => fileName,
			});

			const exported = Object.fromEntries(results.flatMap((result) => (result.output === 'main' ? [[result.json.name, result.json]] : [])));
			expect(Object.keys(exported).sort()).toEqual(['Docs', 'Locked', 'Open']);
			expect(exported.Locked).toMatchObject({
				content_source: 'blocks',
				export_notes: [{ code: 'markdown_forbidden', detail: expect.stringContaining('403') }],
			});
			expect(exported.Open).toMatchObject({ content_source: 'markdown' });
			expect(exported.Open).not.toHaveProperty('export_notes');
			expect((await store.runs.get(Number(items[0].run_id)))?.notedByReason).toEqual({ markdown_forbidden: 1 });
			expect(hints).toContain("1 page(s) exported with a note (markdown_forbidden: 1) — each item's export_notes says why");
		} finally {
			await remove();
		}
	});

	it("answers the endpoint in Notion's error shape and its rate limit with 429 + Retry-After", async () => {
		const page = notion.addPage({ title: 'P', children: [b.paragraph('x')] });
		notion.markdownForbidden.add(page.id);
		const forbidden = await fetch(`${notion.url}/v1/pages/${page.id}/markdown`, {
			headers: { authorization: `Bearer ${notion.token}`, 'notion-version': '2025-09-03' },
		});
		expect(forbidden.status).toBe(403);
		expect(await forbidden.json()).toMatchObject({ object: 'error', status: 403, code: 'restricted_resource' });
		const unknownParam = await fetch(`${notion.url}/v1/pages/${page.id}/markdown?format=html`, {
			headers: { authorization: `Bearer ${notion.token}`, 'notion-version': '2025-09-03' },
		});
		expect(await unknownParam.json()).toMatchObject({ object: 'error', status: 400, code: 'validation_error' });

		notion.setRateLimit(3, 3);
		notion.markdownForbidden.clear();
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		for (let attempt = 0; attempt < 5; attempt++) {
			const response = await fetch(`${notion.url}/v1/pages/${page.id}/markdown`, {
				headers: { authorization: `Bearer ${notion.token}`, 'notion-version': '2025-09-03' },
			});
			statuses.push(response.status);
			if (response.status === 429) retryAfter = response.headers.get('retry-after');
			await response.body?.cancel();
		}
		expect(statuses).toContain(429);
		expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
	});

	it('keeps content_hash when only the signed file URLs change', async () => {
		const page = notion.addPage({ title: 'Files', children: [b.image({ content: 'png-bytes', name: 'diagram.png', contentType: 'image/png' }), b.paragraph('text')] });
		const first = await exportNotionPage(client, { external_id: page.id });
		notion.advanceTime(3_600_000);
		const second = await exportNotionPage(client, { external_id: page.id });
		expect(first.files[0]?.url).not.toBe(second.files[0]?.url);
		expect(second.contentHash).toBe(first.contentHash);
		expect(second.markdown).not.toContain('X-Amz');
	});
});
