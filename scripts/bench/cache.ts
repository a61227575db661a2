/**
 * Benchmark of the external_items cache (lib/store, SQLite) on the built package (`npm run build` first):
 * per driver, seed 1,000,000 committed items, then check 100,000 listed items (90% unchanged,
 * 5% changed, 5% new) and commit what check emitted; the same workload against an empty cache
 * shows that memory does not grow with the cache's size.
 *
 *   npm run bench -- cache [--drivers=better-sqlite3,node:sqlite] [--seed=1000000] [--items=100000]
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
type DriverName = DriverLib.DriverName;

function seed(sqlite: SqliteLib, path: string, driver: DriverName, count: number): DriverLib.SqliteDriver {
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

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** What one driver × scenario runs with; passed to the worker process as JSON. */
interface WorkerConfig {
	driver: DriverName;
	seedItems: number;
	checkItems: number;
	pageCacheMb?: number;
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
async function runWorker({ driver, seedItems, checkItems, pageCacheMb }: WorkerConfig): Promise<WorkerResult> {
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
		opened.push(seed(sqlite, path, driver, seedItems));
		const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
		if (seedItems > 0) phases.push({ phase: 'seed', items: seedItems, seconds: seedSeconds, peakRssMb: rssMb() });

		const store = await openStore({ path, driver, pageCacheMb });
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
		for (let start = 0; start < checkItems; start += CHUNK) {
			const chunk = listedChunk(start, seedItems, checkItems, runId);
			const [checked, checkTime] = await timed(() => store.items.check(chunk));
			checkSeconds += checkTime;
			for (const result of checked) counts[result.change]++;
			const emitted = checked.filter((result) => result.change !== 'unchanged').map((result) => result.item);
			const [, commitTime] = await timed(() => store.items.commit(emitted));
			commitSeconds += commitTime;
			committed += emitted.length;
			sample();
		}
		phases.push({ phase: 'check', items: checkItems, seconds: checkSeconds, peakRssMb: peak, rssGrowthMb: peak - baseline, counts });
		phases.push({ phase: 'commit emitted', items: committed, seconds: commitSeconds, peakRssMb: peak, rssGrowthMb: peak - baseline });
		phases.push({
			phase: 'check + commit',
			items: checkItems,
			seconds: checkSeconds + commitSeconds,
			peakRssMb: peak,
			rssGrowthMb: peak - baseline,
			cursorCommitted: (await store.cursors.committed(SOURCE)) !== null,
		});

		let commitAllSeconds = 0;
		for (let start = 0; start < checkItems; start += CHUNK) {
			const chunk = listedChunk(start, seedItems, checkItems, runId);
			commitAllSeconds += (await timed(() => store.items.commit(chunk)))[1];
			sample();
		}
		phases.push({ phase: 'commit all (worst case)', items: checkItems, seconds: commitAllSeconds, peakRssMb: peak, rssGrowthMb: peak - baseline });
		// What the engine keeps: V8 grows its heap for the garbage of 100,000 items, but retains none of it.
		global.gc?.();
		for (const phase of phases) phase.heapAfterGcMb = process.memoryUsage().heapUsed / 1024 / 1024;
		return { driver: store.driver as DriverName, seedItems, phases };
	} finally {
		for (const handle of opened) await handle.close();
		rmSync(directory, { recursive: true, force: true });
	}
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
	const header = ['driver', 'cache rows', 'phase', 'items', 'seconds', 'items/s', 'peak RSS MB', 'RSS growth MB', 'growth vs empty MB', 'heap after GC MB'];
	const lines = rows.map((row) => [
		row.driver,
		row.seedItems.toLocaleString('en-US'),
		row.phase,
		row.items.toLocaleString('en-US'),
		row.seconds.toFixed(2),
		Math.round(row.items / row.seconds).toLocaleString('en-US'),
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
export function benchCache(options: CacheBenchOptions = {}): { rows: CacheBenchRow[]; table: string } {
	const drivers = options.drivers ?? ['better-sqlite3', 'node:sqlite'];
	const seedItems = options.seedItems ?? 1_000_000;
	const checkItems = options.checkItems ?? 100_000;
	const log = options.log ?? (() => undefined);
	const rows: CacheBenchRow[] = [];
	for (const driver of drivers) {
		log(`cache bench: ${driver}, empty cache…`);
		const empty = runInChild({ driver, seedItems: 0, checkItems });
		log(`cache bench: ${driver}, ${seedItems.toLocaleString('en-US')} cached items…`);
		const seeded = runInChild({ driver, seedItems, checkItems });
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
	const { table } = benchCache({ ...cacheBenchOptions(), log: (line) => process.stderr.write(`${line}\n`) });
	process.stdout.write(`${table}\n`);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	});
}
