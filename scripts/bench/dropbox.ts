/**
 * Benchmark of the Dropbox listing + export pipeline against the fake Dropbox (test/fakes) with
 * 50 ms latency on every request, on the TypeScript sources. The provider connects over a bearer
 * fetch (`connectDropbox`: its retries and circuit breaker), as the n8n node wires it; listings go
 * through the engine's `listSource` into a store, and exports through the engine's `runExport`.
 *
 *   npm run bench -- dropbox [--latency=50] [--files=500] [--big-folders=100] [--big-per-folder=100]
 *
 * (a) first run of a 500-file folder source (a tenth of them Paper docs): list, then export every
 *     item at concurrency 8 and at concurrency 1, each on a fresh fake + cache.
 * (b) an unchanged 10,000-file source: run 1 lists and commits everything, run 2 finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { defaultPolicy, describePolicy } from '../../lib/policy';
import { connectDropbox, dropboxProvider, type DropboxConnection, type DropboxSource } from '../../lib/providers/dropbox';
import { openStore, type ConnectorStore } from '../../lib/store';
import { listSource, runExport, type ListSourceResult, type RunHost, type RunPolicy } from '../../lib/sync';
import { startFakeDropbox, type FakeDropbox } from '../../test/fakes/dropboxApi';
import { numberArg } from './support';

function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init && init.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

interface BenchEnvironment {
	dropbox: FakeDropbox;
	connection: DropboxConnection;
	store: ConnectorStore;
	close(): Promise<void>;
}

let environments = 0;

async function setUp(): Promise<BenchEnvironment> {
	// Pages of 2,000 entries, Dropbox's own largest.
	const dropbox = await startFakeDropbox({ pageSize: 2000 });
	const { access_token } = dropbox.issueTokens();
	// Circuit breakers are kept per credential for the process: each scenario starts with a closed one.
	const credentialKey = `bench:dropbox:${++environments}`;
	const connection = connectDropbox({ fetch: bearerFetch(access_token), credentialKey }, { apiUrl: dropbox.apiUrl, contentUrl: dropbox.contentUrl });
	const dir = mkdtempSync(join(tmpdir(), 'bench-dropbox-cache-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		dropbox,
		connection,
		store,
		async close() {
			const errors = dropbox.internalErrors;
			await store.close();
			rmSync(dir, { recursive: true, force: true });
			await dropbox.close();
			if (errors.length > 0) throw new Error(`fake Dropbox internal errors: ${JSON.stringify(errors.slice(0, 3))}`);
		},
	};
}

interface ListRun {
	result: ListSourceResult;
	listMs: number;
	listRequests: number;
	commit(): Promise<void>;
}

async function listRun(env: BenchEnvironment, source: DropboxSource): Promise<ListRun> {
	const sourceKey = dropboxProvider.sourceKey(env.dropbox.accountId, source);
	const runId = await env.store.runs.start({ sourceKey, provider: dropboxProvider.id });
	// As List Changes does: the listing workflow owns the source, so Export takes its listed items.
	await env.store.owners.recordListing({ sourceKey, provider: dropboxProvider.id }, benchHost.scope.owner);
	env.dropbox.resetRequestLog();
	const started = performance.now();
	const result = await listSource({ store: env.store, provider: dropboxProvider, connection: env.connection, source, sourceKey, runId });
	const listMs = performance.now() - started;
	const listRequests = env.dropbox.requests.length;
	if (result.hasMore) throw new Error('listing hit maxItems unexpectedly');
	const commit = async () => {
		await env.store.items.commit((await env.store.items.check(result.items)).map((checked) => checked.item));
	};
	return { result, listMs, listRequests, commit };
}

function seedSmall(dropbox: FakeDropbox, files: number): DropboxSource {
	dropbox.addFolder('/Bench');
	for (let index = 0; index < 10; index++) dropbox.addFolder(`/Bench/Folder ${index}`);
	for (let index = 0; index < files; index++) {
		const folder = `/Bench/Folder ${index % 10}`;
		if (index % 10 === 0) dropbox.addPaperDoc(`${folder}/Doc ${index}.paper`, `# Document ${index}\n\n${'Some text.\n'.repeat(20)}`);
		else dropbox.addFile(`${folder}/blob-${index}.bin`, `binary ${index} `.repeat(64));
	}
	return { path: '/Bench', namespaceId: null, recursive: true };
}

async function drain(data: Readable | Buffer): Promise<number> {
	if (Buffer.isBuffer(data)) return data.length;
	let bytes = 0;
	for await (const chunk of data) bytes += (chunk as Buffer).length;
	return bytes;
}

const benchHost: RunHost = {
	executionId: 'bench',
	scope: { owner: 'workflow:bench', workflowId: 'bench', admin: false },
	logger: { info: () => undefined, warn: (message) => console.error(message) },
	hint: () => undefined,
};

function orgDefaults(): RunPolicy {
	const policy = defaultPolicy();
	return { policy, description: describePolicy(policy), warnings: [] };
}

async function firstRunWithExports(latencyMs: number, files: number, concurrency: number) {
	const env = await setUp();
	try {
		const source = seedSmall(env.dropbox, files);
		env.dropbox.setLatency(latencyMs);
		const started = performance.now();
		const { result, listRequests, listMs, commit } = await listRun(env, source);
		let bytes = 0;
		const results = await runExport({
			store: env.store,
			provider: dropboxProvider,
			connection: env.connection,
			host: benchHost,
			run: orgDefaults(),
			items: result.items,
			concurrency,
			storeBinary: async (data) => {
				bytes += await drain(data);
			},
		});
		let exported = 0;
		for (const outcome of results) {
			const item = result.items[outcome.index];
			if (outcome.output === 'failed') throw new Error(`${item.path} failed`, { cause: outcome.error });
			if (outcome.output === 'skipped') throw new Error(`${item.path} skipped: ${String(outcome.json.skip_reason)}`);
			exported++;
		}
		const wallMs = performance.now() - started;
		await commit();
		return { items: result.items.length, exported, bytes, wallMs, listMs, listRequests, requests: env.dropbox.requests.length };
	} finally {
		await env.close();
	}
}

async function unchangedSource(latencyMs: number, folderCount: number, perFolder: number) {
	const env = await setUp();
	try {
		const seedStarted = performance.now();
		env.dropbox.addFolder('/Big');
		for (let f = 0; f < folderCount; f++) {
			env.dropbox.addFolder(`/Big/Folder ${f}`);
			for (let i = 0; i < perFolder; i++) env.dropbox.addFile(`/Big/Folder ${f}/file-${f}-${i}.txt`, `${f}/${i}`);
		}
		const seedMs = performance.now() - seedStarted;
		const source: DropboxSource = { path: '/Big', namespaceId: null, recursive: true };
		env.dropbox.setLatency(latencyMs);
		const first = await listRun(env, source);
		await first.commit();
		const second = await listRun(env, source);
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export interface DropboxBenchOptions {
	latencyMs?: number;
	files?: number;
	bigFolders?: number;
	bigPerFolder?: number;
}

export function dropboxBenchOptions(): Required<DropboxBenchOptions> {
	return {
		latencyMs: numberArg('latency', 50),
		files: numberArg('files', 500),
		bigFolders: numberArg('big-folders', 100),
		bigPerFolder: numberArg('big-per-folder', 100),
	};
}

export async function benchDropbox(options: DropboxBenchOptions = {}): Promise<string> {
	const latencyMs = options.latencyMs ?? 50;
	const files = options.files ?? 500;
	const bigFolders = options.bigFolders ?? 100;
	const bigPerFolder = options.bigPerFolder ?? 100;
	const c8 = await firstRunWithExports(latencyMs, files, 8);
	const c1 = await firstRunWithExports(latencyMs, files, 1);
	const big = await unchangedSource(latencyMs, bigFolders, bigPerFolder);
	const rows = [
		['scenario', 'items', 'wall time', 'Dropbox requests', 'notes'],
		['---', '---:', '---:', '---:', '---'],
		[`(a) first run, list + export, concurrency 8`, c8.items, seconds(c8.wallMs), c8.requests, `listing ${seconds(c8.listMs)} / ${c8.listRequests} req; ${c8.exported} exported, ${c8.bytes} B`],
		[`(a) first run, list + export, concurrency 1`, c1.items, seconds(c1.wallMs), c1.requests, `listing ${seconds(c1.listMs)} / ${c1.listRequests} req; ${c1.exported} exported, ${c1.bytes} B`],
		[`(a) ratio c1 / c8`, '', `${(c1.wallMs / c8.wallMs).toFixed(2)}×`, `${(c1.requests / c8.requests).toFixed(2)}×`, ''],
		[`(b) ${bigFolders * bigPerFolder}-file source, run 1 (list all, commit)`, big.first.items, seconds(big.first.ms), big.first.requests, `seeding the fake took ${seconds(big.seedMs)}`],
		[`(b) run 2, nothing changed`, big.second.items, seconds(big.second.ms), big.second.requests, `listChanges reports ${big.second.libRequests} request(s); aim 1`],
	];
	return [
		`Dropbox listing/export against the fake Dropbox, ${latencyMs} ms latency per request; connection = connectDropbox(bearer fetch), exports through runExport`,
		'',
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

if (require.main === module) {
	const started = performance.now();
	benchDropbox(dropboxBenchOptions())
		.then((table) => {
			console.log(table);
			console.log(`\n(total ${seconds(performance.now() - started)})`);
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
