'use strict';
/**
 * Benchmark of the Google Drive listing + export pipeline against the fake Drive (test/fakes) with
 * 50 ms latency on every request. The TypeScript sources are transpiled on the fly to CommonJS in a
 * temp dir (no `npm run build` needed); the provider connects over a bearer fetch, with its retries
 * and circuit breaker, as the n8n node wires it, and lists through the sync engine into a store.
 *
 *   node scripts/bench/drive.js [--latency=50] [--files=500] [--big-folders=100] [--big-per-folder=100]
 *
 * (a) first run of a 500-file folder source: list, then export every item (streams read to the end)
 *     at concurrency 8 and at concurrency 1, each on a fresh fake + cache.
 * (b) an unchanged 10,000-file source: run 1 lists and commits everything, run 2 finds nothing.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { numberArg, transpileTree } = require('./support');

const ENTRIES = ['test/fakes/googleApi.ts', 'lib/providers/googleDrive/index.ts', 'lib/sync/listing.ts', 'lib/store/index.ts'];
const ACCOUNT = 'bench@example.com';
const DOC = 'application/vnd.google-apps.document';

function loadLib(target) {
	const from = (path) => require(join(target, path));
	return {
		fakes: from('test/fakes/googleApi.js'),
		drive: from('lib/providers/googleDrive/index.js'),
		listing: from('lib/sync/listing.js'),
		store: from('lib/store/index.js'),
	};
}

function bearerFetch(token) {
	return async (input, init) => {
		const headers = new Headers(init && init.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

/** A fake Drive at `latencyMs`, a store in a temp dir, and the provider's connection over a bearer fetch. */
async function setUp(lib, latencyMs) {
	const google = await lib.fakes.startFakeGoogle({ latencyMs: 0 });
	const { access_token } = google.issueTokens();
	const credentialKey = `bench:${Date.now()}:${Math.random()}`;
	const connection = lib.drive.connectDrive({ fetch: bearerFetch(access_token), credentialKey }, google.origin);
	const dir = mkdtempSync(join(tmpdir(), 'bench-drive-cache-'));
	const store = lib.store.openStore({ path: join(dir, 'cache.sqlite') });
	return {
		google,
		connection,
		store,
		latencyMs,
		async close() {
			const errors = google.internalErrors;
			await store.close();
			rmSync(dir, { recursive: true, force: true });
			await google.close();
			if (errors.length > 0) throw new Error(`fake Drive internal errors: ${JSON.stringify(errors.slice(0, 3))}`);
		},
	};
}

/** One listing run of `source`, timed, with the Drive requests it made; commits what check emits. */
async function listRun(lib, env, source) {
	const provider = lib.drive.googleDriveProvider;
	const sourceKey = provider.sourceKey(ACCOUNT, source);
	const runId = await env.store.runs.start({ sourceKey, provider: provider.id });
	env.google.resetRequestLog();
	const started = performance.now();
	const result = await lib.listing.listSource({ store: env.store, provider, connection: env.connection, source, sourceKey, runId });
	const listMs = performance.now() - started;
	const listRequests = env.google.driveRequests().length;
	if (result.hasMore) throw new Error('listing hit maxItems unexpectedly');
	const commit = async () => await env.store.items.commit((await env.store.items.check(result.items)).map((checked) => checked.item));
	return { result, listMs, listRequests, commit };
}

function seedSmall(google, files) {
	const root = google.addFolder({ name: 'Bench' });
	const folders = Array.from({ length: 10 }, (_, index) => google.addFolder({ name: `Folder ${index}`, parent: root.id }));
	for (let index = 0; index < files; index++) {
		const parent = folders[index % folders.length].id;
		if (index % 2 === 0) google.addFile({ name: `Doc ${index}`, parent, mimeType: DOC, content: `Document ${index}\n`.repeat(20) });
		else google.addFile({ name: `blob-${index}.bin`, parent, mimeType: 'application/octet-stream', content: `binary ${index} `.repeat(64) });
	}
	return { kind: 'folder', folderId: root.id, recursive: true };
}

async function drain(stream) {
	let bytes = 0;
	for await (const chunk of stream) bytes += chunk.length;
	return bytes;
}

/** (a) first run: list + export of every item at `concurrency`, on a fresh fake + cache. */
async function firstRunWithExports(lib, latencyMs, files, concurrency) {
	const pLimit = require('p-limit');
	const env = await setUp(lib, latencyMs);
	try {
		const source = seedSmall(env.google, files);
		env.google.setLatency(latencyMs);
		const started = performance.now();
		const { result, listRequests, listMs, commit } = await listRun(lib, env, source);
		const limit = pLimit(concurrency);
		let exported = 0;
		let bytes = 0;
		await Promise.all(
			result.items.map((item) =>
				limit(async () => {
					const outcome = await lib.drive.googleDriveProvider.exportItem(env.connection, { item });
					if (outcome.kind !== 'content') throw new Error(`${item.path} skipped: ${outcome.skipReason}`);
					bytes += await drain(outcome.body);
					exported++;
				}),
			),
		);
		const wallMs = performance.now() - started;
		await commit();
		return { items: result.items.length, exported, bytes, wallMs, listMs, listRequests, requests: env.google.driveRequests().length };
	} finally {
		await env.close();
	}
}

/** (b) an unchanged source of folders × perFolder files: run 1 lists and commits, run 2 finds nothing. */
async function unchangedSource(lib, latencyMs, folderCount, perFolder) {
	const env = await setUp(lib, latencyMs);
	try {
		const seedStarted = performance.now();
		const root = env.google.addFolder({ name: 'Big' });
		for (let f = 0; f < folderCount; f++) {
			const folder = env.google.addFolder({ name: `Folder ${f}`, parent: root.id });
			for (let i = 0; i < perFolder; i++) {
				env.google.addFile({ name: `file-${f}-${i}.txt`, parent: folder.id, mimeType: 'text/plain', content: `${f}/${i}` });
			}
		}
		const seedMs = performance.now() - seedStarted;
		const source = { kind: 'folder', folderId: root.id, recursive: true };
		env.google.setLatency(latencyMs);
		const first = await listRun(lib, env, source);
		await first.commit();
		const second = await listRun(lib, env, source);
		await second.commit();
		return {
			seedMs,
			first: { items: first.result.items.length, ms: first.listMs, requests: first.listRequests },
			second: { items: second.result.items.length, ms: second.listMs, requests: second.listRequests, libRequests: second.result.requests },
		};
	} finally {
		await env.close();
	}
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function benchDrive(options = {}) {
	const latencyMs = options.latencyMs ?? 50;
	const files = options.files ?? 500;
	const bigFolders = options.bigFolders ?? 100;
	const bigPerFolder = options.bigPerFolder ?? 100;
	const target = mkdtempSync(join(tmpdir(), 'bench-drive-lib-'));
	try {
		transpileTree(ENTRIES, target);
		const lib = loadLib(target);
		const c8 = await firstRunWithExports(lib, latencyMs, files, 8);
		const c1 = await firstRunWithExports(lib, latencyMs, files, 1);
		const big = await unchangedSource(lib, latencyMs, bigFolders, bigPerFolder);
		const rows = [
			['scenario', 'items', 'wall time', 'Drive requests', 'notes'],
			['---', '---:', '---:', '---:', '---'],
			[`(a) first run, list + export, concurrency 8`, c8.items, seconds(c8.wallMs), c8.requests, `listing ${seconds(c8.listMs)} / ${c8.listRequests} req; ${c8.exported} exported, ${c8.bytes} B`],
			[`(a) first run, list + export, concurrency 1`, c1.items, seconds(c1.wallMs), c1.requests, `listing ${seconds(c1.listMs)} / ${c1.listRequests} req; ${c1.exported} exported, ${c1.bytes} B`],
			[`(a) ratio c1 / c8`, '', `${(c1.wallMs / c8.wallMs).toFixed(2)}×`, `${(c1.requests / c8.requests).toFixed(2)}×`, ''],
			[`(b) ${bigFolders * bigPerFolder}-file source, run 1 (list all, commit)`, big.first.items, seconds(big.first.ms), big.first.requests, `seeding the fake took ${seconds(big.seedMs)}`],
			[`(b) run 2, nothing changed`, big.second.items, seconds(big.second.ms), big.second.requests, `listChanges reports ${big.second.libRequests} request(s); aim ≤ 2`],
		];
		return [
			`Drive listing/export against the fake Drive, ${latencyMs} ms latency per request; fetch = the provider's connection over a bearer fetch`,
			'',
			...rows.map((row) => `| ${row.join(' | ')} |`),
		].join('\n');
	} finally {
		rmSync(target, { recursive: true, force: true });
	}
}

module.exports = { benchDrive };

if (require.main === module) {
	const started = performance.now();
	benchDrive({
		latencyMs: numberArg('latency', 50),
		files: numberArg('files', 500),
		bigFolders: numberArg('big-folders', 100),
		bigPerFolder: numberArg('big-per-folder', 100),
	})
		.then((table) => {
			console.log(table);
			console.log(`\n(total ${seconds(performance.now() - started)})`);
		})
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		});
}
