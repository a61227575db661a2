/**
 * Benchmark of the Google Drive listing + export pipeline against the fake Drive (test/fakes) with
 * 50 ms latency on every request, on the TypeScript sources (no `npm run build` needed). The
 * provider connects over a bearer fetch (`connectDrive`: its retries and circuit breaker), as the
 * n8n node wires it; listings go through the engine's `listSource` into a store, and exports
 * through the engine's `runExport` (the org policy's defaults, the size cap and the sha256), as
 * the node's Export runs them.
 *
 *   npm run bench -- drive [--latency=50] [--files=500] [--big-folders=100] [--big-per-folder=100]
 *   node --import tsx scripts/bench/drive.ts [the same options]
 *
 * (a) first run of a 500-file folder source: list, then export every item (streams read to the end)
 *     at concurrency 8 and at concurrency 1, each on a fresh fake + cache.
 * (b) an unchanged 10,000-file source: run 1 lists and commits everything, run 2 finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { defaultPolicy, describePolicy } from '../../lib/policy';
import { connectDrive, googleDriveProvider, type DriveConnection, type DriveSource } from '../../lib/providers/googleDrive';
import { openStore, type ConnectorStore } from '../../lib/store';
import { listSource, runExport, type ListSourceResult, type RunHost, type RunPolicy } from '../../lib/sync';
import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/googleApi';
import { numberArg } from './support';

const ACCOUNT = 'bench@example.com';
const DOC = 'application/vnd.google-apps.document';

function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init && init.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

interface BenchEnvironment {
	google: FakeGoogle;
	connection: DriveConnection;
	store: ConnectorStore;
	latencyMs: number;
	close(): Promise<void>;
}

let environments = 0;

/** A fake Drive at `latencyMs`, a store in a temp dir, and the provider's connection over a bearer fetch. */
async function setUp(latencyMs: number): Promise<BenchEnvironment> {
	const google = await startFakeGoogle({ latencyMs: 0 });
	const { access_token } = google.issueTokens();
	// Circuit breakers are kept per credential for the process: each scenario starts with a closed one.
	const credentialKey = `bench:drive:${++environments}`;
	const connection = connectDrive({ fetch: bearerFetch(access_token), credentialKey }, google.origin);
	const dir = mkdtempSync(join(tmpdir(), 'bench-drive-cache-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
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

interface ListRun {
	result: ListSourceResult;
	listMs: number;
	listRequests: number;
	commit(): Promise<void>;
}

/** One listing run of `source`, timed, with the Drive requests it made; commits what check emits. */
async function listRun(env: BenchEnvironment, source: DriveSource): Promise<ListRun> {
	const provider = googleDriveProvider;
	const sourceKey = provider.sourceKey(ACCOUNT, source);
	const runId = await env.store.runs.start({ sourceKey, provider: provider.id });
	env.google.resetRequestLog();
	const started = performance.now();
	const result = await listSource({ store: env.store, provider, connection: env.connection, source, sourceKey, runId });
	const listMs = performance.now() - started;
	const listRequests = env.google.driveRequests().length;
	if (result.hasMore) throw new Error('listing hit maxItems unexpectedly');
	const commit = async () => {
		await env.store.items.commit((await env.store.items.check(result.items)).map((checked) => checked.item));
	};
	return { result, listMs, listRequests, commit };
}

function seedSmall(google: FakeGoogle, files: number): DriveSource {
	const root = google.addFolder({ name: 'Bench' });
	const folders = Array.from({ length: 10 }, (_, index) => google.addFolder({ name: `Folder ${index}`, parent: root.id }));
	for (let index = 0; index < files; index++) {
		const parent = folders[index % folders.length].id;
		if (index % 2 === 0) google.addFile({ name: `Doc ${index}`, parent, mimeType: DOC, content: `Document ${index}\n`.repeat(20) });
		else google.addFile({ name: `blob-${index}.bin`, parent, mimeType: 'application/octet-stream', content: `binary ${index} `.repeat(64) });
	}
	return { kind: 'folder', folderId: root.id, recursive: true };
}

/** Stands in for n8n's binary store: reads the metered body to the end, as prepareBinaryData does. */
async function drain(data: Readable | Buffer): Promise<number> {
	if (Buffer.isBuffer(data)) return data.length;
	let bytes = 0;
	for await (const chunk of data) bytes += (chunk as Buffer).length;
	return bytes;
}

/** The export node's view of its execution, without n8n: no hints to show, warnings to stderr. */
const benchHost: RunHost = {
	executionId: 'bench',
	logger: { info: () => undefined, warn: (message) => console.error(message) },
	hint: () => undefined,
};

function orgDefaults(): RunPolicy {
	const policy = defaultPolicy();
	return { policy, description: describePolicy(policy), warnings: [] };
}

/** (a) first run: list + export of every item at `concurrency`, on a fresh fake + cache. */
async function firstRunWithExports(latencyMs: number, files: number, concurrency: number) {
	const env = await setUp(latencyMs);
	try {
		const source = seedSmall(env.google, files);
		env.google.setLatency(latencyMs);
		const started = performance.now();
		const { result, listRequests, listMs, commit } = await listRun(env, source);
		let bytes = 0;
		const results = await runExport({
			store: env.store,
			provider: googleDriveProvider,
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
		return { items: result.items.length, exported, bytes, wallMs, listMs, listRequests, requests: env.google.driveRequests().length };
	} finally {
		await env.close();
	}
}

/** (b) an unchanged source of folders × perFolder files: run 1 lists and commits, run 2 finds nothing. */
async function unchangedSource(latencyMs: number, folderCount: number, perFolder: number) {
	const env = await setUp(latencyMs);
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
		const source: DriveSource = { kind: 'folder', folderId: root.id, recursive: true };
		env.google.setLatency(latencyMs);
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

export interface DriveBenchOptions {
	latencyMs?: number;
	files?: number;
	bigFolders?: number;
	bigPerFolder?: number;
}

/** The options given on the command line; absent ones keep their defaults. */
export function driveBenchOptions(): Required<DriveBenchOptions> {
	return {
		latencyMs: numberArg('latency', 50),
		files: numberArg('files', 500),
		bigFolders: numberArg('big-folders', 100),
		bigPerFolder: numberArg('big-per-folder', 100),
	};
}

export async function benchDrive(options: DriveBenchOptions = {}): Promise<string> {
	const latencyMs = options.latencyMs ?? 50;
	const files = options.files ?? 500;
	const bigFolders = options.bigFolders ?? 100;
	const bigPerFolder = options.bigPerFolder ?? 100;
	const c8 = await firstRunWithExports(latencyMs, files, 8);
	const c1 = await firstRunWithExports(latencyMs, files, 1);
	const big = await unchangedSource(latencyMs, bigFolders, bigPerFolder);
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
		`Drive listing/export against the fake Drive, ${latencyMs} ms latency per request; connection = connectDrive(bearer fetch), exports through runExport`,
		'',
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

if (require.main === module) {
	const started = performance.now();
	benchDrive(driveBenchOptions())
		.then((table) => {
			console.log(table);
			console.log(`\n(total ${seconds(performance.now() - started)})`);
		})
		.catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
}
