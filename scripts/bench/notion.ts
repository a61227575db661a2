/**
 * Benchmark of the Notion export against the fake Notion (test/fakes) enforcing Notion's limit of
 * 3 requests per second per integration (burst 6), with a little latency on every request, on the
 * TypeScript sources (no `npm run build` needed); the client is the library's own `notionClient`
 * (throttle + resilientFetch), as `notionProvider.connect` builds it for the node, and pages go
 * through the provider's `exportItem`.
 *
 *   npm run bench -- notion [--pages=200] [--latency=20] [--concurrency=3] [--workspace=10000]
 *   node --import tsx scripts/bench/notion.ts [the same options]
 *
 * Exports `pages` realistic pages (headings, nested lists, toggles, tables, code, callouts; every
 * tenth one over 100 top-level blocks) three ways, `concurrency` pages at a time: as a workflow
 * does, right after the engine's `listSource` listed them (the Markdown endpoint, properties from
 * the listing; the listing's requests counted in), through the Markdown endpoint from bare ids,
 * and through the block walk. It prints the wall time against the floor the rate limit sets
 * (requests ÷ 3 per second), requests per page and the 429s the fake answered. Last, a workspace of `workspace` pages (100 sections of
 * pages, no content) is listed in full once, and then again a day later with nothing changed:
 * the incremental run's requests and wall time at the rate limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';

import type { ConnectorItem } from '../../lib/items';
import { NOTION_PAGE_MIME, notionClient, notionProvider, type NotionSource } from '../../lib/providers/notion';
import { openStore, type ConnectorStore } from '../../lib/store';
import { listSource } from '../../lib/sync';
import { startFakeNotion, type FakeNotion } from '../../test/fakes/notionApi';
import { b, rt, type BlockInput } from '../../test/fakes/notionBlocks';
import { numberArg } from './support';

const RATE = 3;

/** One page's content: what a team's handbook or meeting notes look like; `long` pages run past 100 blocks. */
function pageContent(index: number, long: boolean): BlockInput[] {
	const section = (n: number) => [
		b.heading(2, `Section ${n}`),
		b.paragraph([`Paragraph ${n} of page ${index} with `, rt.text('bold', { bold: true }), ' and ', rt.link('a link', 'https://example.com')]),
		b.bulleted(`Point ${n}.1`, [b.bulleted(`Detail ${n}.1.a`, [b.bulleted(`Note ${n}.1.a.i`)]), b.bulleted(`Detail ${n}.1.b`)]),
		b.bulleted(`Point ${n}.2`),
		b.numbered(`Step ${n}.1`),
		b.numbered(`Step ${n}.2`, [b.paragraph('Explained in a nested paragraph.')]),
		b.todo(`Follow up ${n}`, n % 2 === 0),
	];
	const blocks = [
		b.callout(`Summary of page ${index}`, '📌'),
		...section(1),
		b.toggle('FAQ', [b.paragraph('Question and answer.'), b.bulleted('More detail')]),
		b.table(
			[
				['Name', 'Owner', 'Status'],
				['Alpha', 'Ann', 'Done'],
				['Beta', 'Bo', 'Todo'],
			],
			{ columnHeader: true },
		),
		b.code(`const page = ${index};\nconsole.log(page);`, 'javascript'),
		b.quote('A quote worth keeping.'),
		b.divider(),
		...section(2),
	];
	if (long) {
		for (let n = 3; blocks.length < 130; n++) blocks.push(b.paragraph(`Filler paragraph ${n} of a long page, plain text.`));
	}
	return blocks;
}

/** A page as List Changes hands it to Export; the export reads only its id. */
function listedPage(sourceKey: string, id: string, index: number): ConnectorItem {
	const name = `Page ${index}`;
	return {
		provider: notionProvider.id,
		external_id: id,
		source_key: sourceKey,
		name,
		path: `/Bench handbook/${name}`,
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

const bareId = (id: string): string => id.replace(/-/g, '');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface NotionBenchOptions {
	pages?: number;
	latencyMs?: number;
	concurrency?: number;
	/** Pages of the workspace listed for the incremental run (0: skip it). */
	workspace?: number;
}

/** The options given on the command line; absent ones keep their defaults. */
export function notionBenchOptions(): Required<NotionBenchOptions> {
	return {
		pages: numberArg('pages', 200),
		latencyMs: numberArg('latency', 20),
		concurrency: numberArg('concurrency', 3),
		workspace: numberArg('workspace', 10_000),
	};
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A first, full listing of a `pages`-page workspace, then an incremental run a day later over the
 * unchanged workspace with the fake held to Notion's rate limit, then the daily re-walk of the
 * same tree (counted unthrottled), all through the provider's `listChanges`.
 */
async function benchUnchangedWorkspace(pages: number, latencyMs: number): Promise<string[][]> {
	const fake = await startFakeNotion({ requestsPerSecond: Infinity });
	try {
		const root = fake.addPage({ title: 'Workspace' });
		const sections = Math.max(1, Math.ceil(pages / 100));
		let added = 0;
		for (let section = 0; section < sections && added < pages; section++) {
			const parent = fake.addPage({ title: `Section ${section}`, parent: root.id });
			added++;
			for (let index = 0; index < 99 && added < pages; index++, added++) fake.addPage({ title: `Page ${section}.${index}`, parent: parent.id });
		}
		const client = notionClient({ baseUrl: fake.url, auth: fake.token, integrationKey: 'bench:workspace' });
		const source: NotionSource = { kind: 'pageTree', pageId: root.id };
		const request = { source, sourceKey: notionProvider.sourceKey('bench', source), filter: () => true };
		// The pages were written well before the first listing, not within its overlap window.
		fake.advanceTime(60 * 60 * 1000);
		fake.resetRequestLog();
		const firstStarted = performance.now();
		const first = await notionProvider.listChanges(client, { ...request, cursor: null, snapshot: null });
		const firstMs = performance.now() - firstStarted;
		const firstRequests = fake.apiRequests().length;

		fake.advanceTime(DAY_MS - 60 * 60 * 1000);
		fake.setRateLimit(RATE);
		fake.setLatency(latencyMs);
		fake.resetRequestLog();
		const started = performance.now();
		const again = await notionProvider.listChanges(client, { ...request, cursor: first.nextCursor, snapshot: first.nextSnapshot });
		const incrementalMs = performance.now() - started;
		const requests = fake.apiRequests().length;
		const calls = fake.apiRequests().map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`);
		const limited = fake.rateLimitedCount;

		// Past the re-walk interval (a day since the first listing): the run walks the tree block by block.
		fake.advanceTime(2 * 60 * 60 * 1000);
		fake.setRateLimit(Infinity);
		fake.setLatency(0);
		fake.resetRequestLog();
		// Unthrottled: only its requests are of interest, at 3 per second it would take as long as the row says.
		const fastClient = notionClient({ baseUrl: fake.url, auth: fake.token, integrationKey: 'bench:rewalk', requestsPerSecond: Infinity });
		const rewalk = await notionProvider.listChanges(fastClient, { ...request, cursor: again.nextCursor, snapshot: again.nextSnapshot });
		const rewalkRequests = fake.apiRequests().length;
		if (fake.internalErrors.length > 0) throw new Error(`fake Notion internal errors: ${JSON.stringify(fake.internalErrors.slice(0, 3))}`);
		return [
			[`first listing of a ${added + 1}-page workspace`, `${first.items.length} items, ${firstRequests} requests (floor ${seconds((firstRequests / RATE) * 1000)} at ${RATE}/s; measured ${seconds(firstMs)})`],
			[
				'incremental run a day later, nothing changed',
				`${again.items.length} items, ${again.deletions.length} deletions, ${requests} requests (${calls.join(', ')}), ${seconds(incrementalMs)} at ${RATE}/s, ${limited} 429s`,
			],
			[
				'daily re-walk of the same unchanged tree (reconcile)',
				`${rewalk.items.length} items, ${rewalkRequests} requests (${seconds((rewalkRequests / RATE) * 1000)} at ${RATE}/s; pages without content, 1 request each at least)`,
			],
		];
	} finally {
		await fake.close();
	}
}

/** How a run reaches its pages: listed first then exported, or exported from bare ids through one content source. */
type ExportPath = 'listed' | 'markdown' | 'blocks';

interface ExportRun {
	path: ExportPath;
	wallMs: number;
	/** Every request of the run, the listing's included. */
	requests: number;
	listingRequests: number;
	clientRequests: number;
	rateLimited: number;
	failed: number;
	bytes: number;
}

/**
 * Every page through the provider's `exportItem` on a fresh integration key: for `listed`, the
 * items a first `listSource` of the tree emitted, else bare ids with the path's content source.
 */
async function exportAll(
	fake: FakeNotion,
	ids: readonly string[],
	tree: { source: NotionSource; sourceKey: string; store: ConnectorStore },
	path: ExportPath,
	concurrency: number,
): Promise<ExportRun> {
	// Counts what leaves the client (every attempt, after the throttle), to set beside the fake's log.
	let clientRequests = 0;
	const countingFetch: typeof fetch = async (input, init) => {
		clientRequests++;
		return await fetch(input, init);
	};
	const client = notionClient({ baseUrl: fake.url, auth: fake.token, integrationKey: `bench:${path}`, fetch: countingFetch });
	fake.resetRequestLog();
	const limitedBefore = fake.rateLimitedCount;
	const limit = pLimit(concurrency);
	let bytes = 0;
	let failed = 0;
	const started = performance.now();
	let items: ConnectorItem[];
	if (path === 'listed') {
		const runId = await tree.store.runs.start({ sourceKey: tree.sourceKey, provider: notionProvider.id });
		const listed = await listSource({ store: tree.store, provider: notionProvider, connection: client, source: tree.source, sourceKey: tree.sourceKey, runId });
		// The tree's root is listed too; the runs export the same pages.
		const wanted = new Set(ids.map(bareId));
		items = listed.items.filter((item) => wanted.has(bareId(item.external_id)));
	} else {
		items = ids.map((id, index) => listedPage(tree.sourceKey, id, index));
	}
	const listingRequests = fake.apiRequests().length;
	const contentSource = path === 'blocks' ? 'blocks' : 'markdown';
	await Promise.all(
		items.map((item) =>
			limit(async () => {
				const exported = await notionProvider.exportItem(client, { item, options: { contentSource } });
				if (exported.kind !== 'content' || !Buffer.isBuffer(exported.body)) failed++;
				else bytes += exported.body.length;
			}),
		),
	);
	if (items.length !== ids.length) failed += ids.length - items.length;
	return {
		path,
		wallMs: performance.now() - started,
		requests: fake.apiRequests().length,
		listingRequests,
		clientRequests,
		rateLimited: fake.rateLimitedCount - limitedBefore,
		failed,
		bytes,
	};
}

/** The paths side by side, and what a first import of 10,000 pages would take on each at the floor. */
function exportRows(runs: readonly ExportRun[], pages: number): string[][] {
	const both = (value: (run: ExportRun) => string): string => runs.map(value).join(' / ');
	const floor = (run: ExportRun): number => (run.requests / RATE) * 1000;
	const perPage = (run: ExportRun): number => run.requests / pages;
	return [
		['wall time', both((run) => seconds(run.wallMs))],
		['requests (fake log / sent by the client)', both((run) => `${run.requests} (${run.clientRequests})`)],
		['of which the listing', both((run) => String(run.listingRequests))],
		['requests per page', both((run) => perPage(run).toFixed(2))],
		[`floor (requests ÷ ${RATE}/s)`, both((run) => seconds(floor(run)))],
		['wall / floor', both((run) => (run.wallMs / floor(run)).toFixed(2))],
		['429s received', both((run) => String(run.rateLimited))],
		['failed or skipped pages', both((run) => String(run.failed))],
		['Markdown', both((run) => `${(run.bytes / 1024).toFixed(0)} KiB`)],
		['estimated first import of 10,000 pages', both((run) => `${((10_000 * perPage(run)) / RATE / 3600).toFixed(1)} h`)],
	];
}

export async function benchNotion(options: NotionBenchOptions = {}): Promise<string> {
	const pages = options.pages ?? 200;
	const latencyMs = options.latencyMs ?? 20;
	const concurrency = options.concurrency ?? 3;
	const cacheDir = mkdtempSync(join(tmpdir(), 'bench-notion-cache-'));
	let fake: FakeNotion | undefined;
	try {
		fake = await startFakeNotion({ requestsPerSecond: Infinity });
		const root = fake.addPage({ title: 'Bench handbook' });
		const source: NotionSource = { kind: 'pageTree', pageId: root.id };
		const sourceKey = notionProvider.sourceKey('bench', source);
		const ids = [];
		for (let index = 0; index < pages; index++) {
			ids.push(fake.addPage({ title: `Page ${index}`, parent: root.id, children: pageContent(index, index % 10 === 0) }).id);
		}
		fake.setRateLimit(RATE);
		fake.setLatency(latencyMs);
		const runs: ExportRun[] = [];
		const store = await openStore({ path: join(cacheDir, 'cache.sqlite') });
		try {
			for (const path of ['listed', 'markdown', 'blocks'] as const) {
				// Each path from an idle integration: the fake's bucket refills, the throttle is new.
				await new Promise((resolve) => setTimeout(resolve, 2000));
				runs.push(await exportAll(fake, ids, { source, sourceKey, store }, path, concurrency));
			}
		} finally {
			await store.close();
		}
		if (fake.internalErrors.length > 0) throw new Error(`fake Notion internal errors: ${JSON.stringify(fake.internalErrors.slice(0, 3))}`);

		const workspaceRows = (options.workspace ?? 10_000) > 0 ? await benchUnchangedWorkspace(options.workspace ?? 10_000, latencyMs) : [];
		const rows = [
			['what', 'Markdown endpoint after the listing / Markdown endpoint from ids / Block tree from ids'],
			['---', '---:'],
			['pages exported (each path)', `${pages} (${Math.ceil(pages / 10)} over 100 blocks), ${concurrency} at a time`],
			...exportRows(runs, pages),
			...workspaceRows,
		];
		return [
			`Notion export against the fake Notion at ${RATE} requests/s (burst 6), ${latencyMs} ms latency per request; client = notionClient (throttle ${RATE}/s + resilientFetch)`,
			'',
			...rows.map((row) => `| ${row.join(' | ')} |`),
		].join('\n');
	} finally {
		await fake?.close();
		rmSync(cacheDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	benchNotion(notionBenchOptions())
		.then((table) => console.log(table))
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
