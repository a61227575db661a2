import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';

import type { Client } from '@notionhq/client';

import { ConnectorError, InvalidInputError, NotFoundError } from '../../../lib/errors';
import type { ConnectorItem } from '../../../lib/items';
import { NOTION_PAGE_MIME, notionProvider } from '../../../lib/providers/notion';
import { downloadNotionFile, exportNotionPage } from '../../../lib/providers/notion/export';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { b, rt, type BlockInput } from '../../fakes/notionBlocks';
import { testClient } from './helpers';

/** These tests hold the block walk (the fallback and the `Block Tree` option); the endpoint's are in markdownExport.test.ts. */
const BLOCK_WALK = { contentSource: 'blocks' } as const;

/** A page as listChanges emits it; export reads only its id and name. */
function listedItem(pageId: string): ConnectorItem {
	return {
		provider: 'notion',
		external_id: pageId,
		source_key: 'notion:workspace-1:page:root',
		name: 'Page',
		path: '/Page',
		parents: [],
		mime: NOTION_PAGE_MIME,
		size: null,
		modified_at: null,
		created_at: null,
		version: null,
		hash: null,
		url: null,
		change: 'upsert',
	};
}

describe('Notion export against the strict fake Notion', () => {
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

	it('exports 250+ top-level blocks and a list nested three levels deep with over 100 children, in order, nothing missing', async () => {
		const deepItems = Array.from({ length: 130 }, (_, index) => b.bulleted(`deep ${index + 1}`));
		const top: BlockInput[] = Array.from({ length: 260 }, (_, index) => b.paragraph(`para ${index + 1}`));
		top.splice(100, 0, b.toggle('Outer', [b.bulleted('level 1', [b.bulleted('level 2', deepItems)])]));
		const page = notion.addPage({ title: 'Long page', children: top });

		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);

		const lines = result.markdown.split('\n');
		expect(lines.filter((line) => /^para \d+$/.test(line))).toHaveLength(260);
		expect(lines.indexOf('para 260')).toBeGreaterThan(lines.indexOf('para 1'));
		expect(lines.filter((line) => /^ {6}- deep \d+$/.test(line))).toHaveLength(130);
		expect(result.markdown).toContain('      - deep 130\n');
		expect(result.markdown).toContain('- Outer\n  - level 1\n    - level 2\n      - deep 1\n');
		// 3 pages of top-level children, the toggle, level 1, and 2 pages under level 2 (plus the page itself).
		expect(result.requests).toBe(1 + 3 + 1 + 1 + 2);
		expect(result.requests).toBe(notion.apiRequests().length);
		expect(result).toMatchObject({ fileName: 'Long page.md', exportFormat: 'md', exportMime: 'text/markdown' });
		expect(result.bytes).toBe(Buffer.byteLength(result.markdown));
	});

	it('fetches the children of sibling blocks in parallel', async () => {
		const toggles = Array.from({ length: 12 }, (_, index) => b.toggle(`t${index}`, [b.paragraph(`inside ${index}`)]));
		const page = notion.addPage({ title: 'Toggles', children: toggles });
		notion.setLatency(100);

		const started = Date.now();
		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);
		const elapsed = Date.now() - started;

		expect(result.requests).toBe(14);
		// One after another, 14 round trips of 100 ms take at least 1.4 s; the 12 toggles go out together.
		expect(elapsed).toBeLessThan(1000);
	});

	it('renders synced references with the original content, linked page titles, mentions and child pages as links', async () => {
		const target = notion.addPage({ title: 'Glossary' });
		const source = notion.addPage({ title: 'Shared snippets', children: [b.syncedOriginal([b.paragraph('Synced text'), b.bulleted('synced item')])] });
		const originalId = notion.childIds(source.id)[0];
		const page = notion.addPage({
			title: 'Guide',
			children: [
				b.syncedReference(originalId),
				b.linkToPage(target.id),
				b.paragraph(['See ', rt.mentionPage(target.id), ' for terms']),
				b.childPage('Appendix', [b.paragraph('appendix body')]),
			],
		});

		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);

		expect(result.markdown).toContain('Synced text\n\n- synced item');
		expect(result.markdown).toMatch(/\[Glossary\]\(https:\/\/www\.notion\.so\/Glossary-[0-9a-f]{32}\)/);
		expect(result.markdown).toContain('See [Glossary](');
		expect(result.markdown).toMatch(/\[Appendix\]\(https:\/\/www\.notion\.so\/[0-9a-f]{32}\)/);
		expect(result.markdown).not.toContain('appendix body');
	});

	it('says when a synced original is not shared with the integration', async () => {
		const hidden = notion.addPage({ title: 'Private', shared: false, children: [b.syncedOriginal([b.paragraph('secret')])] });
		const page = notion.addPage({ title: 'Guide', children: [b.syncedReference(notion.childIds(hidden.id)[0])] });

		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);

		expect(result.markdown).toContain('Synced block unavailable');
		expect(result.markdown).not.toContain('secret');
	});

	it('keeps content_hash stable when only the expiring file URLs change, and lists the hosted files', async () => {
		const page = notion.addPage({
			title: 'Photos',
			children: [b.image({ content: 'PNGDATA', name: 'chart.png' }, 'Chart'), b.file({ content: 'a,b', name: 'data.csv' })],
		});

		const first = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);
		notion.advanceTime(2 * 60 * 60 * 1000);
		const second = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);

		// The Markdown links the files' blocks on the page, so it has no signed URL that could go stale in an index.
		expect(second.markdown).toBe(first.markdown);
		expect(first.markdown).not.toMatch(/[?&](?:X-Amz-|signature=|expirationTimestamp=)/i);
		expect(first.markdown).toMatch(/!\[Chart\]\(https:\/\/www\.notion\.so\/Photos-[0-9a-f]{32}#[0-9a-f]{32}\)/);
		expect(second.contentHash).toBe(first.contentHash);
		// The hash also covers the files' stable paths: a replaced upload changes it.
		expect(first.contentHash).not.toBe(createHash('sha256').update(first.markdown).digest('hex'));
		expect(second.files).not.toEqual(first.files);
		expect(second.files).toEqual([
			{ name: 'chart.png', url: expect.stringContaining('/chart.png?'), mime: 'image/png' },
			{ name: 'data.csv', url: expect.stringContaining('/data.csv?'), mime: 'text/csv' },
		]);

		notion.editBlock(notion.childIds(page.id)[0], { caption: ['New caption'] });
		expect((await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK)).contentHash).not.toBe(first.contentHash);
	});

	it('reads a deeply nested page only as deep as it renders, saying where the content was cut', async () => {
		let deepest: BlockInput = b.bulleted('level 130');
		for (let level = 129; level >= 1; level--) deepest = b.bulleted(`level ${level}`, [deepest]);
		const page = notion.addPage({ title: 'Deep', children: [deepest] });

		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);

		expect(result.markdown).toContain('- level 100\n');
		expect(result.markdown).not.toContain('level 102');
		expect(result.markdown).toContain('> [Content nested deeper than 100 levels is left out]');
		// The page, and the blocks of levels 1 to 101 (the 101st to say it is left out), nothing deeper.
		expect(result.requests).toBe(1 + 101);
	});

	it('attaches at most Max Files per Page files, reporting the others as attachment_limit', async () => {
		const page = notion.addPage({
			title: 'Album',
			children: [1, 2, 3].map((n) => b.image({ content: `PNG${n}`, name: `photo${n}.png` })),
		});

		const outcome = await notionProvider.exportItem(client, {
			item: listedItem(page.id),
			options: { attachFiles: true, maxFilesPerPage: 2 },
		});

		expect(outcome.kind).toBe('content');
		if (outcome.kind !== 'content') return;
		expect(outcome.attachments?.map((attachment) => attachment.name)).toEqual(['photo1.png', 'photo2.png']);
		expect(outcome.skippedAttachments).toEqual([
			{ name: 'photo3.png', skip_reason: 'attachment_limit', skip_detail: expect.stringContaining('first 2') },
		]);
	});

	it('downloads an attachment with the execution’s cancel signal', async () => {
		const page = notion.addPage({ title: 'One', children: [b.image({ content: 'PNG', name: 'p.png' })] });
		const controller = new AbortController();
		const outcome = await notionProvider.exportItem(client, {
			item: listedItem(page.id),
			options: { attachFiles: true },
			signal: controller.signal,
		});
		controller.abort();
		if (outcome.kind !== 'content') throw new Error('expected content');
		await expect(outcome.attachments![0].open()).rejects.toThrow(/abort/i);
	});

	it('lists files uploaded to a database row’s files property, and keeps their hash stable too', async () => {
		const { rows } = notion.addDatabase({
			title: 'Contracts',
			dataSources: [{ properties: { Name: 'title', Attachments: 'files' } }],
			rows: [{ title: 'ACME', properties: { Attachments: [{ content: '%PDF-1.7', name: 'contract.pdf' }, 'https://example.com/terms.html'] } }],
		});

		const first = await exportNotionPage(client, { external_id: rows[0].id });
		notion.advanceTime(2 * 60 * 60 * 1000);
		const second = await exportNotionPage(client, { external_id: rows[0].id });

		expect(second.files).toEqual([{ name: 'contract.pdf', url: expect.stringContaining('/contract.pdf?X-Amz-'), mime: 'application/pdf' }]);
		expect(second.files[0].url).not.toBe(first.files[0].url);
		expect(second.contentHash).toBe(first.contentHash);
		expect(await text((await downloadNotionFile(second.files[0].url)).stream)).toBe('%PDF-1.7');
	});

	it('downloads a hosted file while its link is valid and says so once it has expired', async () => {
		const page = notion.addPage({ title: 'Files', children: [b.file({ content: 'hello file', name: 'hello.txt' })] });
		const { files } = await exportNotionPage(client, { external_id: page.id });

		const download = await downloadNotionFile(files[0].url);
		expect(await text(download.stream)).toBe('hello file');
		expect(download.mime).toBe('text/plain');

		notion.advanceTime(61 * 60 * 1000);
		await expect(downloadNotionFile(files[0].url)).rejects.toMatchObject({ code: 'file_url_expired' });
		await expect(downloadNotionFile(files[0].url)).rejects.toBeInstanceOf(ConnectorError);
	});

	it('puts a database row’s properties in the front-matter', async () => {
		const { rows } = notion.addDatabase({
			title: 'Tasks',
			dataSources: [{ properties: { Name: 'title', Status: { type: 'select', options: ['Todo', 'Done'] } } }],
			rows: [{ title: 'Write spec', properties: { Status: 'Done' }, children: [b.paragraph('Body')] }],
		});

		const result = await exportNotionPage(client, { external_id: rows[0].id });

		expect(result.markdown).toMatch(/^---\n/);
		expect(result.markdown).toContain('properties:\n  Name: "Write spec"\n  Status: "Done"\n---');
		expect(result.markdown).toContain('# Write spec\n\nBody\n');
	});

	it('fails clearly for a page not shared with the integration, a trashed page and a malformed id', async () => {
		const hidden = notion.addPage({ title: 'Private', shared: false });
		const error = await exportNotionPage(client, { external_id: hidden.id }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NotFoundError);
		expect((error as NotFoundError).hint).toMatch(/add this integration/);

		const trashed = notion.addPage({ title: 'Old' });
		notion.trashPage(trashed.id);
		await expect(exportNotionPage(client, { external_id: trashed.id })).rejects.toThrow(/is in the trash/);

		await expect(exportNotionPage(client, { external_id: 'nope' })).rejects.toBeInstanceOf(InvalidInputError);
	});

	it('exports through the provider as a Markdown buffer with the stable hash, attaching the hosted files when asked', async () => {
		const page = notion.addPage({ title: 'Photos', children: [b.paragraph('Intro'), b.image({ content: 'PNGDATA', name: 'chart.png' }, 'Chart')] });
		const item = { ...listedItem(page.id), name: 'Photos' };
		const rendered = await exportNotionPage(client, item);

		const plain = await notionProvider.exportItem(client, { item });
		expect(plain).toEqual({
			kind: 'content',
			body: expect.any(Buffer),
			fileName: 'Photos.md',
			mimeType: 'text/markdown',
			exportFormat: 'md',
			exportMime: 'text/markdown',
			contentHash: rendered.contentHash,
			contentSource: 'markdown',
		});
		expect(plain.kind === 'content' && plain.body.toString()).toContain('Intro');

		const attached = await notionProvider.exportItem(client, { item, format: 'md', options: { attachFiles: true } });
		const attachments = attached.kind === 'content' ? (attached.attachments ?? []) : [];
		expect(attachments.map(({ name, mime }) => ({ name, mime }))).toEqual([{ name: 'chart.png', mime: 'image/png' }]);
		const opened = await attachments[0].open();
		expect(await text(opened.stream)).toBe('PNGDATA');
		expect(opened.mime).toBe('image/png');
	});

	it('offers Markdown as the one export format of a page, and refuses another', async () => {
		const page = notion.addPage({ title: 'Plain' });
		expect(notionProvider.exportChoices(listedItem(page.id))).toEqual({ kind: 'page', label: 'Notion pages', default: 'md', formats: ['md'] });
		await expect(notionProvider.exportItem(client, { item: listedItem(page.id), format: 'pdf' })).rejects.toBeInstanceOf(InvalidInputError);
		expect(notion.apiRequests()).toEqual([]);
	});

	it('stops exporting once the execution is cancelled', async () => {
		const page = notion.addPage({ title: 'Long', children: Array.from({ length: 5 }, (_, index) => b.toggle(`t${index}`, [b.paragraph('x')])) });
		const cancelled = new AbortController();
		notion.setLatency(50);
		const exporting = notionProvider.exportItem(client, { item: listedItem(page.id), signal: cancelled.signal });
		setTimeout(() => cancelled.abort(), 20);

		await expect(exporting).rejects.toMatchObject({ name: 'AbortError' });
		expect(notion.apiRequests().length).toBeLessThan(7);
	});

	it('stays within the integration budget and honours Retry-After when Notion still answers 429', async () => {
		await notion.close();
		notion = await startFakeNotion({ requestsPerSecond: 10, burst: 20 });
		// The client's budget sits below the server's, so that a busy machine delaying the fake's own
		// clock (it shares the event loop) cannot make a compliant client look over the limit.
		client = testClient(notion, 8);
		const page = notion.addPage({
			title: 'Busy',
			children: Array.from({ length: 20 }, (_, index) => b.toggle(`t${index}`, [b.paragraph(`x${index}`)])),
		});

		const started = Date.now();
		const result = await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);
		const elapsed = Date.now() - started;
		expect(result.requests).toBe(22);
		expect(notion.rateLimitedCount).toBe(0);
		// 22 requests at 8/s after a burst of 10: at least 1.5 s.
		expect(elapsed).toBeGreaterThanOrEqual(1400);

		notion.failNext(1, { status: 429, retryAfter: 1 });
		const retried = Date.now();
		await exportNotionPage(client, { external_id: page.id }, BLOCK_WALK);
		expect(Date.now() - retried).toBeGreaterThanOrEqual(1000);
	}, 20_000);
});
