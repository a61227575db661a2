/**
 * Moving over: copies an existing SQLite cache into an empty PostgreSQL schema — sources with their
 * committed cursors and provider state, every item's last ingested version, run records, open
 * claims and what the listings saw of each item — so the first run on PostgreSQL goes on where the last run on SQLite stopped.
 *
 *   node dist/lib/store/copyToPostgres.js [--from=<cache file>] [--to=postgres://…]
 *
 * Without `--from` it reads `CONNECTORS_CACHE_PATH` (or the default file in n8n's user folder);
 * without `--to`, the database the nodes would use (`CONNECTORS_CACHE_URL`, else n8n's own
 * `DB_POSTGRESDB_*` with `DB_TYPE=postgresdb`), in `CONNECTORS_CACHE_SCHEMA`. Stop the workflows
 * that use the connectors while it runs.
 */
import { existsSync } from 'node:fs';

import type { Client } from './postgres/connection';
import type { PostgresTarget } from './postgres/connection';
import { transaction } from './postgres/context';
import { CacheError } from './errors';
import { chooseStore } from './selection';
import { openDriver, type SqliteDriver, type SqlRow } from './sqlite/driver';
import { resolveCachePath } from './sqlite/location';
import { migrate } from './sqlite/migrations';

/** Rows read from SQLite and written to PostgreSQL per statement. */
const PAGE = 5000;

export interface CopySummary {
	from: string;
	to: string;
	sources: number;
	items: number;
	runs: number;
	claims: number;
	/** What the listings saw of each item, which Export checks the policy against. */
	listedItems: number;
	/** Which workflows own each source, so every workflow keeps the sources it had. */
	sourceOwners: number;
}

const TABLES = {
	sync_state: ['source_id', 'source_key', 'provider', 'committed_cursor', 'committed_at', 'committed_run_id', 'last_success_at', 'provider_state', 'created_at'],
	runs: [
		'id', 'source_id', 'provider', 'execution_id', 'implicit', 'started_at', 'finished_at', 'status', 'count_processed', 'count_new',
		'count_changed', 'count_unchanged', 'count_deleted', 'count_skipped', 'count_failed', 'count_committed', 'skipped_by_reason', 'noted_by_reason',
		'error_samples', 'policy', 'proposed_cursor', 'proposed_at', 'listed_items', 'cursor_held', 'cursor_committed_at',
	],
	external_items: [
		'source_id', 'external_id', 'name', 'path', 'mime', 'size', 'modified_at', 'version', 'hash', 'content_hash', 'permissions',
		'last_ingested_at', 'committed_run_id', 'deleted', 'deleted_at',
	],
	claims: ['source_id', 'external_id', 'run_id', 'fingerprint', 'emitted', 'expires_at'],
	listed_items: ['source_id', 'external_id', 'name', 'path', 'mime', 'size', 'version', 'listed_at'],
	listing_snapshots: ['source_id', 'snapshot', 'state', 'written_at'],
	listing_entries: ['source_id', 'snapshot', 'field', 'entry_key', 'value'],
	listing_pending: ['source_id', 'snapshot', 'external_id', 'sort_key', 'item'],
	source_owners: ['source_id', 'owner', 'listed', 'granted_at'],
} as const;

const KEYS: Record<keyof typeof TABLES, string> = {
	sync_state: 'source_id',
	runs: 'id',
	external_items: 'source_id, external_id',
	claims: 'source_id, external_id, run_id',
	listed_items: 'source_id, external_id',
	listing_snapshots: 'source_id, snapshot',
	listing_entries: 'source_id, snapshot, field, entry_key',
	listing_pending: 'source_id, snapshot, external_id',
	source_owners: 'source_id, owner',
};

/** Column types for UNNEST: what is not text is a number. */
const NUMERIC = new Set(['source_id', 'committed_run_id', 'id', 'implicit', 'size', 'deleted', 'run_id', 'emitted', 'expires_at', 'listed_items', 'cursor_held', 'snapshot', 'listed']);
const BINARY = new Set(['sort_key']);

function columnType(column: string): string {
	if (BINARY.has(column)) return 'bytea[]';
	return NUMERIC.has(column) || column.startsWith('count_') ? 'bigint[]' : 'text[]';
}

function plain(value: unknown): unknown {
	if (value instanceof Uint8Array) return Buffer.from(value);
	return typeof value === 'bigint' ? Number(value) : value;
}

/** Pages through a SQLite table in primary-key order, so a million rows never sit in memory at once. */
function* pages(db: SqliteDriver, table: keyof typeof TABLES): Generator<SqlRow[]> {
	const key = KEYS[table].split(', ');
	const columns = TABLES[table].join(', ');
	const first = db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${KEYS[table]} LIMIT ${PAGE}`);
	const after = db.prepare(`SELECT ${columns} FROM ${table} WHERE (${KEYS[table]}) > (${key.map(() => '?').join(', ')}) ORDER BY ${KEYS[table]} LIMIT ${PAGE}`);
	let page = first.all();
	while (page.length > 0) {
		yield page;
		if (page.length < PAGE) return;
		const last = page[page.length - 1];
		page = after.all(...key.map((column) => last[column] as string | number));
	}
}

async function insertPage(client: Client, schema: string, table: keyof typeof TABLES, rows: readonly SqlRow[]): Promise<void> {
	const columns = TABLES[table];
	const unnest = columns.map((column, index) => `$${index + 1}::${columnType(column)}`).join(', ');
	await client.query(
		`INSERT INTO "${schema}".${table} (${columns.join(', ')}) SELECT * FROM UNNEST(${unnest})`,
		columns.map((column) => rows.map((row) => plain(row[column]) ?? null)),
	);
}

/** Copies the SQLite cache at `from` into the (new or empty) schema of `to`; refuses a schema that holds state already. */
export async function copySqliteToPostgres(from: string, to: PostgresTarget): Promise<CopySummary> {
	if (!existsSync(from)) {
		throw new CacheError('cache_refused', `There is no SQLite cache at ${from} — pass --from=<the file CONNECTORS_CACHE_PATH names>.`, { path: from });
	}
	const db = openDriver(from);
	// Imported here: the PostgreSQL client loads only when this runs.
	const { openPostgresStore } = await import('./postgres/store');
	const store = await openPostgresStore({ target: to }).catch((error: unknown) => {
		db.close();
		throw error;
	});
	try {
		migrate(db);
		const context = store.context;
		const schema = to.schema;
		const summary: CopySummary = { from, to: store.location, sources: 0, items: 0, runs: 0, claims: 0, listedItems: 0, sourceOwners: 0 };
		await transaction(context, async (client) => {
			const [existing] = (await client.query(`SELECT (SELECT count(*) FROM "${schema}".sync_state) + (SELECT count(*) FROM "${schema}".runs) AS rows`)).rows as Array<{ rows: number }>;
			if (Number(existing.rows) > 0) {
				throw new CacheError(
					'cache_refused',
					`${store.location} already holds connectors' state — copy into an empty schema (set CONNECTORS_CACHE_SCHEMA to a new one), or drop it first.`,
					{ path: store.location },
				);
			}
			const counted = Object.fromEntries(Object.keys(TABLES).map((table) => [table, 0])) as Record<keyof typeof TABLES, number>;
			for (const table of Object.keys(TABLES) as Array<keyof typeof TABLES>) {
				for (const page of pages(db, table)) {
					await insertPage(client, schema, table, page);
					counted[table] += page.length;
				}
			}
			// The claims a running run holds become its leases, so no worker emits those versions again meanwhile.
			await client.query(
				`INSERT INTO "${schema}".leases (source_id, external_id, fingerprint, run_id, expires_at)
				 SELECT DISTINCT ON (source_id, external_id, fingerprint) source_id, external_id, fingerprint, run_id, expires_at
				 FROM "${schema}".claims WHERE emitted = 1 ORDER BY source_id, external_id, fingerprint, expires_at DESC`,
			);
			// New sources and runs are numbered after the copied ones.
			for (const [table, column] of [['sync_state', 'source_id'], ['runs', 'id']] as const) {
				await client.query(
					`SELECT setval(pg_get_serial_sequence('"${schema}".${table}', '${column}'), COALESCE((SELECT MAX(${column}) FROM "${schema}".${table}), 0) + 1, false)`,
				);
			}
			Object.assign(summary, { sources: counted.sync_state, runs: counted.runs, items: counted.external_items, claims: counted.claims, listedItems: counted.listed_items, sourceOwners: counted.source_owners });
		});
		return summary;
	} finally {
		db.close();
		await store.close();
	}
}

function argument(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((value) => value.startsWith(prefix))?.slice(prefix.length);
}

async function main(): Promise<void> {
	const from = argument('from') ?? resolveCachePath();
	const url = argument('to');
	// Queue mode is where one moves from: the SQLite file is read here, never used as the store.
	const env = { ...process.env, EXECUTIONS_MODE: '', CONNECTORS_CACHE_PATH: undefined, ...(url === undefined ? {} : { CONNECTORS_CACHE_URL: url }) };
	const chosen = chooseStore(env);
	if (chosen.kind !== 'postgres') {
		throw new CacheError('cache_refused', 'No PostgreSQL to copy into: pass --to=postgres://…, or set CONNECTORS_CACHE_URL (or DB_TYPE=postgresdb with n8n’s DB_POSTGRESDB_*).');
	}
	const summary = await copySqliteToPostgres(from, chosen.target);
	process.stdout.write(
		`Copied ${summary.sources} sources, ${summary.items} items, ${summary.runs} runs, ${summary.claims} claims, ${summary.listedItems} listed items and ${summary.sourceOwners} source owners from ${summary.from} to ${summary.to}.\n`,
	);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
