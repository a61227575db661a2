/**
 * Benchmark of the Google Drive listing + export pipeline against the fake Drive (test/fakes) with
 * 50 ms latency on every request, on the TypeScript sources (no `npm run build` needed). The
 * provider connects over a bearer fetch (`connectDrive`: its retries and circuit breaker), as the
 * n8n node wires it; listings go through the engine's `listSource` into a store, and exports
 * through the engine's `runExport` (the org policy's defaults, the size cap and the sha256), as
 * the node's Export runs them.
 *
 *   npm run bench -- drive [--latency=50] [--files=500] [--big-folders=100] [--big-per-folder=100]
 *                          [--tree-folders=500] [--tree-per-folder=20] [--drive-files=100000]
 *   node --import tsx scripts/bench/drive.ts [the same options]
 *
 * (a) first run of a 500-file folder source: list, then export every item (streams read to the end)
 *     at the node's default of 16 parallel downloads, at 32 and at 1, each on a fresh fake + cache.
 * (b) first listing of a 10,000-file tree of 500 folders in a shared drive, three ways: the walk of
 *     earlier releases (one query per folder, one at a time), the batched walk a folder source gets
 *     (50 folders a query, 8 at once) and the corpus listing a shared-drive source gets.
 * (c) a shared drive of 100,000 files: its first (corpus) listing, requests, wall time and the
 *     process's RSS growth (the fake Drive runs in this process too); and a 50-file folder in it
 *     listed by both plans, the walk and the corpus.
 * (d) an unchanged 10,000-file source: run 1 lists and commits everything, run 2 finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { defaultPolicy, describePolicy } from '../../lib/policy';
import { connectDrive, googleDriveProvider, type DriveConnection, type DriveSource } from '../../lib/providers/googleDrive';
import { DriveListingApi, type WalkShape } from '../../lib/providers/googleDrive/listing/driveApi';
import { emptyState } from '../../lib/providers/googleDrive/listing/state';
import { listSubtree } from '../../lib/providers/googleDrive/listing/subtree';
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
	// As List Changes does: the listing workflow owns the source, so Export takes its listed items.
	await env.store.owners.recordListing({ sourceKey, provider: provider.id }, benchHost.scope.owner);
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
	scope: { owner: 'workflow:bench', workflowId: 'bench', admin: false },
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

/** The tree of (b): `topFolders` folders under `parent`, each with the rest of `folders` shared out below it, `perFolder` files in every folder. */
function seedTree(google: FakeGoogle, parent: string, folders: number, perFolder: number): number {
	const top = Math.max(1, Math.round(Math.sqrt(folders)));
	let made = 0;
	const fill = (folderId: string, label: string) => {
		for (let index = 0; index < perFolder; index++) google.addFile({ name: `${label}-${index}.txt`, parent: folderId, mimeType: 'text/plain', content: label });
	};
	const tops = Array.from({ length: Math.min(top, folders) }, (_, index) => {
		made++;
		const folder = google.addFolder({ name: `Top ${index}`, parent });
		fill(folder.id, `t${index}`);
		return folder.id;
	});
	for (let index = 0; made < folders; index++, made++) {
		const folder = google.addFolder({ name: `Sub ${index}`, parent: tops[index % tops.length] });
		fill(folder.id, `s${index}`);
	}
	return made * perFolder;
}

/** A walk of the subtree under `folderId` with the given shape, outside the engine: its requests and time. */
async function walkWith(env: BenchEnvironment, folderId: string, driveId: string, shape: WalkShape, corpus = false) {
	env.google.resetRequestLog();
	const started = performance.now();
	const api = new DriveListingApi(env.connection.drive, () => undefined, undefined, shape);
	if (corpus) await api.loadCorpus(driveId);
	const items = await listSubtree(api, emptyState(folderId, driveId, true), folderId, 'bench');
	return { items: items.length, ms: performance.now() - started, requests: api.requests };
}

/** (b) the three plans over one 10,000-file tree of 500 folders in a shared drive. */
async function listingPlans(latencyMs: number, folders: number, perFolder: number) {
	const env = await setUp(latencyMs);
	try {
		const team = env.google.addSharedDrive({ name: 'Team' });
		const tree = env.google.addFolder({ name: 'Tree', parent: team.id });
		const files = seedTree(env.google, tree.id, folders, perFolder);
		env.google.setLatency(latencyMs);
		const perFolderWalk = await walkWith(env, tree.id, team.id, { foldersPerQuery: 1, parallelism: 1 });
		const batched = await listRun(env, { kind: 'folder', folderId: tree.id, recursive: true });
		const corpus = await listRun(env, { kind: 'sharedDrive', driveId: team.id });
		return { files, perFolderWalk, batched, corpus };
	} finally {
		await env.close();
	}
}

/** Samples the process's RSS every 20 ms while `work` runs; the peak above the RSS at the start. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
	const before = process.memoryUsage().rss;
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	try {
		const value = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { value, growthMb: (peak - before) / 1024 / 1024 };
	} finally {
		clearInterval(timer);
	}
}

/** (c) a shared drive of `files` files (100 a folder) and a 50-file folder in it. */
async function bigSharedDrive(latencyMs: number, files: number) {
	const env = await setUp(latencyMs);
	try {
		const seedStarted = performance.now();
		const team = env.google.addSharedDrive({ name: 'Archive' });
		const small = env.google.addFolder({ name: 'Small', parent: team.id });
		const smallFiles = seedTree(env.google, small.id, 5, 10);
		const bulk = env.google.addFolder({ name: 'Bulk', parent: team.id });
		seedTree(env.google, bulk.id, Math.ceil((files - smallFiles) / 100), 100);
		const seedMs = performance.now() - seedStarted;
		env.google.setLatency(latencyMs);
		global.gc?.();
		const whole = await peakRssGrowth(async () => await listRun(env, { kind: 'sharedDrive', driveId: team.id }));
		const smallWalk = await walkWith(env, small.id, team.id, { foldersPerQuery: 50, parallelism: 8 });
		const smallCorpus = await walkWith(env, small.id, team.id, { foldersPerQuery: 50, parallelism: 8 }, true);
		return { seedMs, whole: { items: whole.value.result.items.length, ms: whole.value.listMs, requests: whole.value.listRequests, rssMb: whole.growthMb }, smallFiles, smallWalk, smallCorpus };
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
	treeFolders?: number;
	treePerFolder?: number;
	driveFiles?: number;
}

/** The options given on the command line; absent ones keep their defaults. */
export function driveBenchOptions(): Required<DriveBenchOptions> {
	return {
		latencyMs: numberArg('latency', 50),
		files: numberArg('files', 500),
		bigFolders: numberArg('big-folders', 100),
		bigPerFolder: numberArg('big-per-folder', 100),
		treeFolders: numberArg('tree-folders', 500),
		treePerFolder: numberArg('tree-per-folder', 20),
		driveFiles: numberArg('drive-files', 100_000),
	};
}

export async function benchDrive(options: DriveBenchOptions = {}): Promise<string> {
	const latencyMs = options.latencyMs ?? 50;
	const files = options.files ?? 500;
	const bigFolders = options.bigFolders ?? 100;
	const bigPerFolder = options.bigPerFolder ?? 100;
	// A warm-up, not reported: the first scenario would otherwise pay for loading and compiling the code.
	await firstRunWithExports(latencyMs, 40, 16);
	const c16 = await firstRunWithExports(latencyMs, files, 16);
	const c32 = await firstRunWithExports(latencyMs, files, 32);
	const c1 = await firstRunWithExports(latencyMs, files, 1);
	const plans = await listingPlans(latencyMs, options.treeFolders ?? 500, options.treePerFolder ?? 20);
	const huge = await bigSharedDrive(latencyMs, options.driveFiles ?? 100_000);
	const big = await unchangedSource(latencyMs, bigFolders, bigPerFolder);
	const exportRow = (label: string, run: typeof c1) => [
		label,
		run.items,
		seconds(run.wallMs),
		run.requests,
		`listing ${seconds(run.listMs)} / ${run.listRequests} req; ${run.exported} exported, ${run.bytes} B`,
	];
	const rows = [
		['scenario', 'items', 'wall time', 'Drive requests', 'notes'],
		['---', '---:', '---:', '---:', '---'],
		exportRow('(a) first run, list + export, 16 parallel downloads (the default)', c16),
		exportRow('(a) first run, list + export, 32 parallel downloads (the cap)', c32),
		exportRow('(a) first run, list + export, 1 at a time', c1),
		['(a) speed-up 16 / 32 over 1', '', `${(c1.wallMs / c16.wallMs).toFixed(2)}× / ${(c1.wallMs / c32.wallMs).toFixed(2)}×`, '', `floor at 16: ${seconds(((c16.requests - c16.listRequests) / 16) * latencyMs + c16.listMs)}`],
		[`(b) ${plans.files}-file tree, per-folder walk (earlier releases)`, plans.perFolderWalk.items, seconds(plans.perFolderWalk.ms), plans.perFolderWalk.requests, 'one children query per folder, one at a time (walk requests only)'],
		[`(b) same tree as a folder source: batched walk`, plans.batched.result.items.length, seconds(plans.batched.listMs), plans.batched.listRequests, '50 folders a query, 8 queries at once; incl. root get + start token'],
		[`(b) same tree as a shared-drive source: corpus listing`, plans.corpus.result.items.length, seconds(plans.corpus.listMs), plans.corpus.listRequests, 'pages of 1,000 over the drive; incl. start token'],
		[`(c) ${options.driveFiles ?? 100_000}-file shared drive, first listing (corpus)`, huge.whole.items, seconds(huge.whole.ms), huge.whole.requests, `peak RSS +${huge.whole.rssMb.toFixed(0)} MB (fake Drive in-process); seeding took ${seconds(huge.seedMs)}`],
		[`(c) ${huge.smallFiles}-file folder in it, batched walk`, huge.smallWalk.items, seconds(huge.smallWalk.ms), huge.smallWalk.requests, 'the plan a folder source gets'],
		[`(c) same folder, corpus listing then local walk`, huge.smallCorpus.items, seconds(huge.smallCorpus.ms), huge.smallCorpus.requests, 'the plan it does not get: pays for the whole drive'],
		[`(d) ${bigFolders * bigPerFolder}-file source, run 1 (list all, commit)`, big.first.items, seconds(big.first.ms), big.first.requests, `seeding the fake took ${seconds(big.seedMs)}`],
		[`(d) run 2, nothing changed`, big.second.items, seconds(big.second.ms), big.second.requests, `listChanges reports ${big.second.libRequests} request(s); aim ≤ 2`],
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
