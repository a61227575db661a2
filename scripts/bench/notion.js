'use strict';
/**
 * Benchmark of the Notion export against the fake Notion (test/fakes) enforcing Notion's limit of
 * 3 requests per second per integration (burst 6), with a little latency on every request. The
 * TypeScript sources are transpiled on the fly (no `npm run build` needed); the client is the
 * library's own `notionClient` (throttle + resilientFetch), as `notionProvider.connect` builds it
 * for the node, and pages go through the provider's `exportItem`.
 *
 *   node scripts/bench/notion.js [--pages=200] [--latency=20] [--concurrency=3]
 *
 * Exports `pages` realistic pages (headings, nested lists, toggles, tables, code, callouts; every
 * tenth one over 100 top-level blocks) `concurrency` pages at a time, and prints the wall time
 * against the floor the rate limit sets (requests ÷ 3 per second), requests per page and the
 * 429s the fake answered. Then lists the tree of those pages once through the engine's
 * `listSource` (a first, full listing).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { numberArg, transpileTree } = require('./support');

const ENTRIES = ['test/fakes/notionApi.ts', 'test/fakes/notionBlocks.ts', 'lib/providers/notion/index.ts', 'lib/store/index.ts', 'lib/sync/listing.ts'];
const RATE = 3;

function loadLib(target) {
	const from = (path) => require(join(target, path));
	return {
		fakes: from('test/fakes/notionApi.js'),
		blocks: from('test/fakes/notionBlocks.js'),
		notion: from('lib/providers/notion/index.js'),
		store: from('lib/store/index.js'),
		sync: from('lib/sync/listing.js'),
	};
}

/** One page's content: what a team's handbook or meeting notes look like; `long` pages run past 100 blocks. */
function pageContent({ b, rt }, index, long) {
	const section = (n) => [
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

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function benchNotion(options = {}) {
	const pages = options.pages ?? 200;
	const latencyMs = options.latencyMs ?? 20;
	const concurrency = options.concurrency ?? 3;
	const target = mkdtempSync(join(tmpdir(), 'bench-notion-lib-'));
	const cacheDir = mkdtempSync(join(tmpdir(), 'bench-notion-cache-'));
	let fake;
	try {
		transpileTree(ENTRIES, target);
		const lib = loadLib(target);
		const pLimit = require('p-limit');
		fake = await lib.fakes.startFakeNotion({ requestsPerSecond: Infinity });
		const root = fake.addPage({ title: 'Bench handbook' });
		const ids = [];
		for (let index = 0; index < pages; index++) {
			ids.push(fake.addPage({ title: `Page ${index}`, parent: root.id, children: pageContent(lib.blocks, index, index % 10 === 0) }).id);
		}
		fake.setRateLimit(RATE);
		fake.setLatency(latencyMs);
		const client = lib.notion.notionClient({ baseUrl: fake.url, auth: fake.token, integrationKey: 'bench:notion' });

		// The fake's bucket starts full; let the library's throttle start from the same idle state.
		fake.resetRequestLog();
		const limit = pLimit(concurrency);
		const { notionProvider } = lib.notion;
		let bytes = 0;
		const started = performance.now();
		await Promise.all(
			ids.map((id) =>
				limit(async () => {
					const exported = await notionProvider.exportItem(client, { item: { external_id: id } });
					bytes += exported.body.length;
				}),
			),
		);
		const wallMs = performance.now() - started;
		const requests = fake.apiRequests().length;
		const rateLimited = fake.rateLimitedCount;
		const floorMs = (requests / RATE) * 1000;

		fake.resetRequestLog();
		const store = lib.store.openStore({ path: join(cacheDir, 'cache.sqlite') });
		const source = { kind: 'pageTree', pageId: root.id };
		const sourceKey = notionProvider.sourceKey('bench', source);
		const runId = await store.runs.start({ sourceKey, provider: notionProvider.id });
		const listStarted = performance.now();
		const listed = await lib.sync.listSource({ store, provider: notionProvider, connection: client, source, sourceKey, runId });
		const listMs = performance.now() - listStarted;
		const listRequests = fake.apiRequests().length;
		await store.close();
		if (fake.internalErrors.length > 0) throw new Error(`fake Notion internal errors: ${JSON.stringify(fake.internalErrors.slice(0, 3))}`);

		const rows = [
			['what', 'value'],
			['---', '---:'],
			['pages exported', `${pages} (${pages / 10} over 100 blocks), ${concurrency} at a time, ${(bytes / 1024).toFixed(0)} KiB of Markdown`],
			['wall time', seconds(wallMs)],
			['requests', String(requests)],
			[`floor (requests ÷ ${RATE}/s)`, seconds(floorMs)],
			['wall / floor', (wallMs / floorMs).toFixed(2)],
			['requests per page', (requests / pages).toFixed(2)],
			['429s received', String(rateLimited)],
			['first listing of the same tree', `${listed.items.length} items, ${listRequests} requests, ${seconds(listMs)} (${fake.rateLimitedCount - rateLimited} more 429s)`],
		];
		return [
			`Notion export against the fake Notion at ${RATE} requests/s (burst 6), ${latencyMs} ms latency per request; client = notionClient (throttle ${RATE}/s + resilientFetch)`,
			'',
			...rows.map((row) => `| ${row.join(' | ')} |`),
		].join('\n');
	} finally {
		await fake?.close();
		rmSync(cacheDir, { recursive: true, force: true });
		rmSync(target, { recursive: true, force: true });
	}
}

module.exports = { benchNotion };

if (require.main === module) {
	benchNotion({ pages: numberArg('pages', 200), latencyMs: numberArg('latency', 20), concurrency: numberArg('concurrency', 3) })
		.then((table) => console.log(table))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		});
}
