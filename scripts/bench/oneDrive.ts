/**
 * Benchmark of the OneDrive listing + export pipeline against the fake Microsoft Graph
 * (test/fakes) with 50 ms latency on every request, on the TypeScript sources. The provider
 * connects over a bearer fetch (`connectOneDrive`: its retries and circuit breaker), as the n8n
 * node wires it; listings go through the engine's `listSource` into a store, exports through
 * `runExport` (the org policy's defaults, the size cap and the sha256), as the node runs them.
 *
 *   npm run bench -- onedrive [--latency=50] [--files=500] [--big-folders=100] [--big-per-folder=100]
 *
 * (a) first run of a 500-file folder source (half Word documents, exported as they are): list,
 *     then export every item (each a /content redirect and a download) at concurrency 8 and 1.
 * (b) an unchanged 10,000-file source: run 1 lists and commits everything, run 2 finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { defaultPolicy, describePolicy } from '../../lib/policy';
import { connectOneDrive, oneDriveProvider, type OneDriveConnection, type OneDriveSource } from '../../lib/providers/oneDrive';
import { openStore, type ConnectorStore } from '../../lib/store';
import { listSource, runExport, type ListSourceResult, type RunHost, type RunPolicy } from '../../lib/sync';
import { startFakeGraph, type FakeGraph } from '../../test/fakes/graphApi';
import { numberArg } from './support';

const ACCOUNT = 'bench@contoso.com';

function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init && init.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

interface BenchEnvironment {
	graph: FakeGraph;
	connection: OneDriveConnection;
	store: ConnectorStore;
	close(): Promise<void>;
}

let environments = 0;

async function setUp(): Promise<BenchEnvironment> {
	const graph = await startFakeGraph({ latencyMs: 0 });
	const { access_token } = graph.issueTokens();
	// Circuit breakers are kept per credential for the process: each scenario starts with a closed one.
	const connection = connectOneDrive({ fetch: bearerFetch(access_token), credentialKey: `bench:onedrive:${++environments}` }, graph.origin);
	const dir = mkdtempSync(join(tmpdir(), 'bench-onedrive-cache-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		graph,
		connection,
		store,
		async close() {
			const errors = graph.internalErrors;
			await store.close();
			rmSync(dir, { recursive: true, force: true });
			await graph.close();
			if (errors.length > 0) throw new Error(`fake Graph internal errors: ${JSON.stringify(errors.slice(0, 3))}`);
		},
	};
}

interface ListRun {
	result: ListSourceResult;
	listMs: number;
	listRequests: number;
	commit(): Promise<void>;
}

async function listRun(env: BenchEnvironment, source: OneDriveSource): Promise<ListRun> {
	const sourceKey = oneDriveProvider.sourceKey(ACCOUNT, source);
	const runId = await env.store.runs.start({ sourceKey, provider: oneDriveProvider.id });
	// As List Changes does: the listing workflow owns the source, so Export takes its listed items.
	await env.store.owners.recordListing({ sourceKey, provider: oneDriveProvider.id }, benchHost.scope.owner);
	env.graph.resetRequestLog();
	const started = performance.now();
	const result = await listSource({ store: env.store, provider: oneDriveProvider, connection: env.connection, source, sourceKey, runId });
	const listMs = performance.now() - started;
	const listRequests = env.graph.graphRequests().length;
	if (result.hasMore) throw new Error('listing hit maxItems unexpectedly');
	const commit = async () => {
		await env.store.items.commit((await env.store.items.check(result.items)).map((checked) => checked.item));
	};
	return { result, listMs, listRequests, commit };
}

function seedSmall(graph: FakeGraph, files: number): OneDriveSource {
	const root = graph.addFolder({ name: 'Bench' });
	const folders = Array.from({ length: 10 }, (_, index) => graph.addFolder({ name: `Folder ${index}`, parent: root.id }));
	for (let index = 0; index < files; index++) {
		const parent = folders[index % folders.length].id;
		if (index % 2 === 0) graph.addFile({ name: `Doc ${index}.docx`, parent, content: `Document ${index}\n`.repeat(20) });
		else graph.addFile({ name: `blob-${index}.bin`, parent, content: `binary ${index} `.repeat(64) });
	}
	return { kind: 'folder', driveId: 'me', folderId: root.id, recursive: true };
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
		const source = seedSmall(env.graph, files);
		env.graph.setLatency(latencyMs);
		const started = performance.now();
		const { result, listRequests, listMs, commit } = await listRun(env, source);
		let bytes = 0;
		const results = await runExport({
			store: env.store,
			provider: oneDriveProvider,
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
			if (outcome.output === 'skipped') throw new Error(`${item.path} skipped: ${outcome.json.skip_reason}`);
			exported++;
		}
		const wallMs = performance.now() - started;
		await commit();
		// Requests to the server: Graph calls and the pre-authenticated downloads they redirect to.
		return { items: result.items.length, exported, bytes, wallMs, listMs, listRequests, requests: env.graph.requests.length };
	} finally {
		await env.close();
	}
}

async function unchangedSource(latencyMs: number, folderCount: number, perFolder: number) {
	const env = await setUp();
	try {
		const seedStarted = performance.now();
		const root = env.graph.addFolder({ name: 'Big' });
		for (let f = 0; f < folderCount; f++) {
			const folder = env.graph.addFolder({ name: `Folder ${f}`, parent: root.id });
			for (let i = 0; i < perFolder; i++) env.graph.addFile({ name: `file-${f}-${i}.txt`, parent: folder.id, content: `${f}/${i}` });
		}
		const seedMs = performance.now() - seedStarted;
		const source: OneDriveSource = { kind: 'folder', driveId: 'me', folderId: root.id, recursive: true };
		env.graph.setLatency(latencyMs);
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

export interface OneDriveBenchOptions {
	latencyMs?: number;
	files?: number;
	bigFolders?: number;
	bigPerFolder?: number;
}

export function oneDriveBenchOptions(): Required<OneDriveBenchOptions> {
	return {
		latencyMs: numberArg('latency', 50),
		files: numberArg('files', 500),
		bigFolders: numberArg('big-folders', 100),
		bigPerFolder: numberArg('big-per-folder', 100),
	};
}

export async function benchOneDrive(options: OneDriveBenchOptions = {}): Promise<string> {
	const latencyMs = options.latencyMs ?? 50;
	const files = options.files ?? 500;
	const bigFolders = options.bigFolders ?? 100;
	const bigPerFolder = options.bigPerFolder ?? 100;
	const c8 = await firstRunWithExports(latencyMs, files, 8);
	const c1 = await firstRunWithExports(latencyMs, files, 1);
	const big = await unchangedSource(latencyMs, bigFolders, bigPerFolder);
	const rows = [
		['scenario', 'items', 'wall time', 'requests', 'notes'],
		['---', '---:', '---:', '---:', '---'],
		[`(a) first run, list + export, concurrency 8`, c8.items, seconds(c8.wallMs), c8.requests, `listing ${seconds(c8.listMs)} / ${c8.listRequests} req; ${c8.exported} exported, ${c8.bytes} B`],
		[`(a) first run, list + export, concurrency 1`, c1.items, seconds(c1.wallMs), c1.requests, `listing ${seconds(c1.listMs)} / ${c1.listRequests} req; ${c1.exported} exported, ${c1.bytes} B`],
		[`(a) ratio c1 / c8`, '', `${(c1.wallMs / c8.wallMs).toFixed(2)}×`, `${(c1.requests / c8.requests).toFixed(2)}×`, ''],
		[`(b) ${bigFolders * bigPerFolder}-file source, run 1 (list all, commit)`, big.first.items, seconds(big.first.ms), big.first.requests, `seeding the fake took ${seconds(big.seedMs)}`],
		[`(b) run 2, nothing changed`, big.second.items, seconds(big.second.ms), big.second.requests, `listChanges reports ${big.second.libRequests} request(s); aim ≤ 2`],
	];
	return [
		`OneDrive listing/export against the fake Microsoft Graph, ${latencyMs} ms latency per request (downloads included); connection = connectOneDrive(bearer fetch), exports through runExport`,
		'',
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

if (require.main === module) {
	const started = performance.now();
	benchOneDrive(oneDriveBenchOptions())
		.then((table) => {
			console.log(table);
			console.log(`\n(total ${seconds(performance.now() - started)})`);
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
