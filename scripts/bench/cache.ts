/**
 * Benchmark of the external_items cache (lib/store) on the built package (`npm run build` first):
 * per store (SQLite through either driver, and PostgreSQL on a throwaway server), seed 1,000,000 committed items, then check 100,000 listed items (90% unchanged,
 * 5% changed, 5% new) and commit what check emitted; the same workload against an empty cache
 * shows that memory does not grow with the cache's size.
 *
 *   npm run bench -- cache [--drivers=better-sqlite3,node:sqlite,postgres] [--seed=1000000] [--items=100000]
 *
 * PostgreSQL 15 runs from /usr/lib/postgresql/15/bin (`bash scripts/dev.sh test` installs it), with
 * fsync off as in the tests; its rows also give the round trips per 5,000-item batch.
 *   node --import tsx scripts/bench/cache.ts [the same options]
 *
 * Each driver × scenario runs in its own process so that its RSS is its own. That process loads
 * this file through tsx, which adds about 15 MB to its peak RSS and 3 MB to its heap; the growth
 * columns are measured from after loading and do not include it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ConnectorItem } from '../../lib/items';
import type * as StoreLib from '../../lib/store';
import type * as DriverLib from '../../lib/store/sqlite/driver';
import type * as MigrationsLib from '../../lib/store/sqlite/migrations';
import type { PostgresConnection } from '../../test/e2e/queue/harness/postgres';
import { stringArg } from './support';

const DIST_STORE = join(__dirname, '..', '..', 'dist', 'lib', 'store');
const SOURCE = 'google_drive:bench@example.com:root';
const CHUNK = 10_000;

function describeItem(index: number, version: string): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: `1AbCdEfGhIjKlMnOpQrStUvWxYz-${index}`,
		source_key: SOURCE,
		name: `Quarterly report ${index}.docx`,
		path: `/Team drive/Reports/${index % 100}/Quarterly report ${index}.docx`,
		parents: [`folder-${index % 100}`],
		mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		size: 10_000 + (index % 5000),
		modified_at: new Date(Date.UTC(2025, 0, 1) + index * 1000).toISOString(),
		created_at: null,
		version,
		hash: `${index.toString(16).padStart(8, '0')}d41d8cd98f00b204e9800998`,
		url: null,
		change: 'upsert',
	};
}

/**
 * The listed item at `position`: 90% unchanged and 5% changed items spread over the seeded range
 * (so lookups are not served from a few hot pages), 5% new ones beyond it.
 */
function listedItem(position: number, seeded: number, count: number): ConnectorItem {
	const bucket = position % 20;
	if (bucket === 19) return describeItem(seeded + position, '1');
	const existing = seeded === 0 ? count + position : (position * 7919) % seeded;
	return describeItem(existing, bucket === 18 ? '2' : '1');
}

/** Items are made chunk by chunk, as n8n hands a node its input, so the bench's own memory stays flat. */
function listedChunk(start: number, seeded: number, count: number, runId: number): ConnectorItem[] {
	const items: ConnectorItem[] = [];
	for (let position = start; position < Math.min(start + CHUNK, count); position++) {
		items.push({ ...listedItem(position, seeded, count), run_id: runId });
	}
	return items;
}

/** The SQLite layer beneath the store, for seeding rows faster than check + commit would. */
type SqliteLib = typeof DriverLib & typeof MigrationsLib;
type SqliteDriverName = DriverLib.DriverName;
/** A SQLite driver, or PostgreSQL (`pg`). */
type DriverName = SqliteDriverName | 'postgres';
const BENCH_SCHEMA = 'bench';
/** check and commit split their calls into transactions of this many items (DEFAULT_BATCH_SIZE). */
const BATCH = 5000;

function seed(sqlite: SqliteLib, path: string, driver: SqliteDriverName, count: number): DriverLib.SqliteDriver {
	const db = sqlite.openDriver(path, { driver });
	sqlite.migrate(db);
	const now = new Date().toISOString();
	db.transaction(() => {
		db.prepare('INSERT INTO sync_state (source_key, provider, created_at) VALUES (?, ?, ?)').run(SOURCE, 'google_drive', now);
		const sourceId = db.prepare('SELECT source_id FROM sync_state WHERE source_key = ?').get(SOURCE)?.source_id as number;
		const insert = db.prepare(`
			INSERT INTO external_items (source_id, external_id, name, path, mime, size, modified_at, version, hash,
				content_hash, last_ingested_at, committed_run_id, deleted, deleted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, 0, NULL)`);
		for (let index = 0; index < count; index++) {
			const item = describeItem(index, '1');
			insert.run(sourceId, item.external_id, item.name, item.path, item.mime, item.size, item.modified_at, item.version, item.hash, now);
		}
	});
	// A cache that has held its rows for a while: the bulk load checkpointed out of the WAL.
	db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
	return db;
}

/** The same rows as `describeItem`, made by the server itself: a million in seconds. */
async function seedPostgres(connection: PostgresConnection, count: number, pg: typeof import('pg')): Promise<void> {
	const client = new pg.Client(connection);
	await client.connect();
	try {
		const now = new Date().toISOString();
		const [sourceRow] = (
			await client.query<{ source_id: number }>(
				`INSERT INTO ${BENCH_SCHEMA}.sync_state (source_key, provider, created_at) VALUES ($1, 'google_drive', $2) RETURNING source_id`,
				[SOURCE, now],
			)
		).rows;
		await client.query(
			`INSERT INTO ${BENCH_SCHEMA}.external_items (source_id, external_id, name, path, mime, size, modified_at, version, hash, last_ingested_at)
			 SELECT $1, '1AbCdEfGhIjKlMnOpQrStUvWxYz-' || i, 'Quarterly report ' || i || '.docx',
				'/Team drive/Reports/' || (i % 100) || '/Quarterly report ' || i || '.docx',
				'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 10000 + (i % 5000),
				to_char(timestamp '2025-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '1',
				lpad(to_hex(i), 8, '0') || 'd41d8cd98f00b204e9800998', $2
			 FROM generate_series(0, $3::int - 1) AS i`,
			[sourceRow.source_id, now, count],
		);
		await client.query(`VACUUM ANALYZE ${BENCH_SCHEMA}.external_items`);
	} finally {
		await client.end();
	}
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** What one driver × scenario runs with; passed to the worker process as JSON. */
interface WorkerConfig {
	driver: DriverName;
	seedItems: number;
	checkItems: number;
	pageCacheMb?: number;
	/** The throwaway server, for `postgres`. */
	postgres?: PostgresConnection;
}

interface Phase {
	phase: string;
	items: number;
	seconds: number;
	peakRssMb: number;
	rssGrowthMb?: number;
	heapAfterGcMb?: number;
	counts?: Record<StoreLib.DedupChange, number>;
	cursorCommitted?: boolean;
	/** Statements sent to PostgreSQL per transaction of BATCH items. */
	roundTripsPerBatch?: number;
}

interface WorkerResult {
	driver: DriverName;
	seedItems: number;
	phases: Phase[];
}

/** One row of the printed table: a phase of one driver × scenario. */
export interface CacheBenchRow extends Phase {
	driver: DriverName;
	seedItems: number;
	growthVsEmptyMb?: number;
}

/** Runs one driver × scenario in this process and returns its phases. */
async function runWorker({ driver, seedItems, checkItems, pageCacheMb, postgres }: WorkerConfig): Promise<WorkerResult> {
	// The built package, as n8n loads it, not the TypeScript sources.
	const load = createRequire(__filename);
	const { openStore } = load(DIST_STORE) as typeof StoreLib;
	const sqlite: SqliteLib = {
		...(load(join(DIST_STORE, 'sqlite', 'driver')) as typeof DriverLib),
		...(load(join(DIST_STORE, 'sqlite', 'migrations')) as typeof MigrationsLib),
	};
	const directory = mkdtempSync(join(tmpdir(), 'connectors-bench-'));
	const path = join(directory, 'cache.sqlite');
	const phases: Phase[] = [];
	const opened: Array<{ close(): void | Promise<void> }> = [];
	try {
		const seedStarted = process.hrtime.bigint();
		let store: StoreLib.ConnectorStore;
		let trips = () => 0;
		if (driver === 'postgres') {
			if (postgres === undefined) throw new Error('the postgres bench needs a server');
			const pg = load('pg') as typeof import('pg');
			const target = { connection: postgres, schema: BENCH_SCHEMA, setting: 'the bench' };
			store = await openStore({ postgres: target });
			await seedPostgres(postgres, seedItems, pg);
			// Every statement the store sends goes through Client#query: count them.
			const query = pg.Client.prototype.query;
			let sent = 0;
			pg.Client.prototype.query = function counted(this: unknown, ...args: unknown[]) {
				sent++;
				return (query as (...a: unknown[]) => unknown).apply(this, args);
			} as typeof query;
			trips = () => sent;
		} else {
			opened.push(seed(sqlite, path, driver, seedItems));
			store = await openStore({ path, driver, pageCacheMb });
		}
		const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
		if (seedItems > 0) phases.push({ phase: 'seed', items: seedItems, seconds: seedSeconds, peakRssMb: rssMb() });
		opened.push(store);
		global.gc?.();
		const baseline = rssMb();
		let peak = baseline;
		const sample = () => {
			peak = Math.max(peak, rssMb());
		};
		const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
			const from = process.hrtime.bigint();
			const result = await fn();
			return [result, Number(process.hrtime.bigint() - from) / 1e9];
		};

		// A pipeline in chunks: check what was listed, ingest (not timed), commit what check emitted.
		const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'bench' });
		await store.cursors.propose(runId, SOURCE, '"bench-cursor"', { listedItems: checkItems });
		const counts: Record<StoreLib.DedupChange, number> = { new: 0, changed: 0, unchanged: 0, deleted: 0 };
		let checkSeconds = 0;
		let commitSeconds = 0;
		let committed = 0;
		let checkTrips = 0;
		let commitTrips = 0;
		let commitBatches = 0;
		for (let start = 0; start < checkItems; start += CHUNK) {
			const chunk = listedChunk(start, seedItems, checkItems, runId);
			let before = trips();
			const [checked, checkTime] = await timed(() => store.items.check(chunk));
			checkTrips += trips() - before;
			checkSeconds += checkTime;
			for (const result of checked) counts[result.change]++;
			const emitted = checked.filter((result) => result.change !== 'unchanged').map((result) => result.item);
			before = trips();
			const [, commitTime] = await timed(() => store.items.commit(emitted));
			commitTrips += trips() - before;
			commitBatches += Math.ceil(emitted.length / BATCH);
			commitSeconds += commitTime;
			committed += emitted.length;
			sample();
		}
		const perBatch = (sent: number, batches: number) => (driver === 'postgres' && batches > 0 ? sent / batches : undefined);
		const checkBatches = Math.ceil(CHUNK / BATCH) * Math.ceil(checkItems / CHUNK);
		phases.push({ phase: 'check', items: checkItems, seconds: checkSeconds, peakRssMb: peak, rssGrowthMb: peak - baseline, counts, roundTripsPerBatch: perBatch(checkTrips, checkBatches) });
		phases.push({ phase: 'commit emitted', items: committed, seconds: commitSeconds, peakRssMb: peak, rssGrowthMb: peak - baseline, roundTripsPerBatch: perBatch(commitTrips, commitBatches) });
		phases.push({
			phase: 'check + commit',
			items: checkItems,
			seconds: checkSeconds + commitSeconds,
			peakRssMb: peak,
			rssGrowthMb: peak - baseline,
			cursorCommitted: (await store.cursors.committed(SOURCE)) !== null,
		});

		let commitAllSeconds = 0;
		const allBefore = trips();
		for (let start = 0; start < checkItems; start += CHUNK) {
			const chunk = listedChunk(start, seedItems, checkItems, runId);
			commitAllSeconds += (await timed(() => store.items.commit(chunk)))[1];
			sample();
		}
		phases.push({
			phase: 'commit all (worst case)',
			items: checkItems,
			seconds: commitAllSeconds,
			peakRssMb: peak,
			rssGrowthMb: peak - baseline,
			roundTripsPerBatch: perBatch(trips() - allBefore, checkBatches),
		});
		// What the engine keeps: V8 grows its heap for the garbage of 100,000 items, but retains none of it.
		global.gc?.();
		for (const phase of phases) phase.heapAfterGcMb = process.memoryUsage().heapUsed / 1024 / 1024;
		return { driver: store.driver as DriverName, seedItems, phases };
	} finally {
		for (const handle of opened) await handle.close();
		rmSync(directory, { recursive: true, force: true });
	}
}

/** A throwaway PostgreSQL for the bench; `fresh` empties the bench schema before each scenario. */
async function startBenchPostgres(): Promise<{ fresh(): Promise<PostgresConnection>; stop(): Promise<void> }> {
	const { PostgresServer } = await import('../../test/e2e/queue/harness/postgres');
	const pg = await import('pg');
	const server = await PostgresServer.start('bench');
	return {
		fresh: async () => {
			const client = new pg.Client(server.connection);
			await client.connect();
			await client.query(`DROP SCHEMA IF EXISTS ${BENCH_SCHEMA} CASCADE`);
			await client.end();
			return server.connection;
		},
		stop: async () => await server.stop(),
	};
}

function runInChild(config: WorkerConfig): WorkerResult {
	// The worker is this file, loaded through tsx as this process was.
	const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, `--worker=${JSON.stringify(config)}`], {
		encoding: 'utf8',
		maxBuffer: 16 * 1024 * 1024,
	});
	if (child.status !== 0) {
		throw new Error(`cache bench for ${config.driver} failed (${child.status ?? child.signal}): ${child.stderr}`);
	}
	return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as WorkerResult;
}

export function formatTable(rows: readonly CacheBenchRow[]): string {
	const header = ['store', 'cache rows', 'phase', 'items', 'seconds', 'items/s', 'round trips / 5,000', 'peak RSS MB', 'RSS growth MB', 'growth vs empty MB', 'heap after GC MB'];
	const lines = rows.map((row) => [
		row.driver,
		row.seedItems.toLocaleString('en-US'),
		row.phase,
		row.items.toLocaleString('en-US'),
		row.seconds.toFixed(2),
		Math.round(row.items / row.seconds).toLocaleString('en-US'),
		row.roundTripsPerBatch === undefined ? '' : row.roundTripsPerBatch.toFixed(1),
		row.peakRssMb.toFixed(0),
		row.rssGrowthMb === undefined ? '' : row.rssGrowthMb.toFixed(1),
		row.growthVsEmptyMb === undefined ? '' : row.growthVsEmptyMb.toFixed(1),
		row.heapAfterGcMb === undefined ? '' : row.heapAfterGcMb.toFixed(1),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

export interface CacheBenchOptions {
	drivers?: DriverName[];
	seedItems?: number;
	checkItems?: number;
	log?: (line: string) => void;
}

/** The options given on the command line (`--drivers=`, `--seed=`, `--items=`); absent ones keep their defaults. */
export function cacheBenchOptions(): CacheBenchOptions {
	const seedItems = stringArg('seed');
	const checkItems = stringArg('items');
	return {
		drivers: stringArg('drivers')?.split(',') as DriverName[] | undefined,
		seedItems: seedItems === undefined ? undefined : Number(seedItems),
		checkItems: checkItems === undefined ? undefined : Number(checkItems),
	};
}

/**
 * Runs the cache benchmark per driver and returns one row per driver × scenario × phase;
 * `scripts/bench.ts` calls this. Requires the build (`dist/lib/store`).
 */
export async function benchCache(options: CacheBenchOptions = {}): Promise<{ rows: CacheBenchRow[]; table: string }> {
	const drivers = options.drivers ?? ['better-sqlite3', 'node:sqlite', 'postgres'];
	const seedItems = options.seedItems ?? 1_000_000;
	const checkItems = options.checkItems ?? 100_000;
	const log = options.log ?? (() => undefined);
	const rows: CacheBenchRow[] = [];
	for (const driver of drivers) {
		const server = driver === 'postgres' ? await startBenchPostgres() : undefined;
		let empty: WorkerResult;
		let seeded: WorkerResult;
		try {
			log(`cache bench: ${driver}, empty cache…`);
			empty = runInChild({ driver, seedItems: 0, checkItems, postgres: await server?.fresh() });
			log(`cache bench: ${driver}, ${seedItems.toLocaleString('en-US')} cached items…`);
			seeded = runInChild({ driver, seedItems, checkItems, postgres: await server?.fresh() });
		} finally {
			await server?.stop();
		}
		const emptyGrowth = new Map(empty.phases.map((phase) => [phase.phase, phase.rssGrowthMb]));
		for (const result of [empty, seeded]) {
			for (const phase of result.phases) {
				const growthVsEmptyMb =
					result === seeded && phase.rssGrowthMb !== undefined ? phase.rssGrowthMb - (emptyGrowth.get(phase.phase) ?? 0) : undefined;
				rows.push({ driver: result.driver, seedItems: result.seedItems, ...phase, growthVsEmptyMb });
			}
		}
	}
	return { rows, table: formatTable(rows) };
}

async function main(): Promise<void> {
	const workerArgument = stringArg('worker');
	if (workerArgument !== undefined) {
		const result = await runWorker(JSON.parse(workerArgument) as WorkerConfig);
		// better-sqlite3 12 on Node >= 24.19 aborts when a handle is finalised outside JavaScript, as at
		// exit (nodejs/node#65446): collect the closed handles from here first.
		global.gc?.();
		process.stdout.write(`${JSON.stringify(result)}\n`);
		return;
	}
	const { table } = await benchCache({ ...cacheBenchOptions(), log: (line) => process.stderr.write(`${line}\n`) });
	process.stdout.write(`${table}\n`);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	});
}
