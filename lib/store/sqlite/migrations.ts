import { CacheError } from '../errors';
import type { SqliteDriver } from './driver';

/** One step of the schema; `version` is what `PRAGMA user_version` reads after it ran. */
export interface Migration {
	version: number;
	description: string;
	up(db: SqliteDriver): void;
}

/**
 * The cache holds fingerprints and bookkeeping only — no tokens and no document content.
 *
 * - `sync_state`: one row per source: its key, the committed list cursor (opaque to the cache) and
 *   provider data. Other tables refer to a source by its small integer `source_id`: source keys are
 *   long (provider, account, root), and keeping them out of every item row and B-tree key halves the
 *   index pages a lookup walks through.
 * - `external_items`: the fingerprint of the last ingested version of each item, and the metadata
 *   (name, path, permissions) an index keeps beside its content.
 * - `runs`: one row per run; a run's proposed cursor waits here until its items are committed.
 * - `claims`: which run is emitting which version of an item, so overlapping runs do not both emit it.
 */
const CREATE_CACHE_TABLES = `
CREATE TABLE sync_state (
	source_id INTEGER PRIMARY KEY,
	source_key TEXT NOT NULL UNIQUE,
	provider TEXT NOT NULL,
	committed_cursor TEXT,
	committed_at TEXT,
	committed_run_id INTEGER,
	last_success_at TEXT,
	provider_state TEXT,
	created_at TEXT NOT NULL
);

CREATE TABLE external_items (
	source_id INTEGER NOT NULL REFERENCES sync_state (source_id),
	external_id TEXT NOT NULL,
	name TEXT,
	path TEXT,
	mime TEXT,
	size INTEGER,
	modified_at TEXT,
	version TEXT,
	hash TEXT,
	content_hash TEXT,
	last_ingested_at TEXT NOT NULL,
	committed_run_id INTEGER,
	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	deleted_at TEXT,
	PRIMARY KEY (source_id, external_id)
) WITHOUT ROWID;

CREATE TABLE runs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	source_id INTEGER NOT NULL REFERENCES sync_state (source_id),
	provider TEXT NOT NULL,
	execution_id TEXT,
	implicit INTEGER NOT NULL DEFAULT 0 CHECK (implicit IN (0, 1)),
	started_at TEXT NOT NULL,
	finished_at TEXT,
	status TEXT NOT NULL CHECK (status IN ('running', 'success', 'partial', 'error')),
	count_processed INTEGER NOT NULL DEFAULT 0,
	count_new INTEGER NOT NULL DEFAULT 0,
	count_changed INTEGER NOT NULL DEFAULT 0,
	count_unchanged INTEGER NOT NULL DEFAULT 0,
	count_deleted INTEGER NOT NULL DEFAULT 0,
	count_skipped INTEGER NOT NULL DEFAULT 0,
	count_failed INTEGER NOT NULL DEFAULT 0,
	count_committed INTEGER NOT NULL DEFAULT 0,
	skipped_by_reason TEXT NOT NULL DEFAULT '{}',
	error_samples TEXT NOT NULL DEFAULT '[]',
	policy TEXT,
	proposed_cursor TEXT,
	proposed_at TEXT,
	listed_items INTEGER,
	cursor_held INTEGER NOT NULL DEFAULT 0 CHECK (cursor_held IN (0, 1)),
	cursor_committed_at TEXT
);
CREATE INDEX runs_by_source ON runs (source_id, id);
CREATE INDEX runs_by_execution ON runs (execution_id, source_id) WHERE execution_id IS NOT NULL;

CREATE TABLE claims (
	source_id INTEGER NOT NULL,
	external_id TEXT NOT NULL,
	run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	fingerprint TEXT NOT NULL,
	emitted INTEGER NOT NULL CHECK (emitted IN (0, 1)),
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (source_id, external_id, run_id)
) WITHOUT ROWID;
CREATE INDEX claims_by_run ON claims (run_id);
`;

/**
 * `run_slots`: one row per (provider, n8n execution) taking part in a run, for the org policy's
 * `ORG_CONNECTORS_MAX_CONCURRENT_RUNS`. `holders` counts the execution's nodes running now; once it
 * drops to 0 the row keeps the slot only while the execution's run is still open, until `expires_at`.
 * `host` and `pid` let a process on the same host free the slot of a process that died.
 */
const CREATE_RUN_SLOTS = `
CREATE TABLE run_slots (
	provider TEXT NOT NULL,
	execution_id TEXT NOT NULL,
	host TEXT NOT NULL,
	pid INTEGER NOT NULL,
	holders INTEGER NOT NULL CHECK (holders >= 0),
	acquired_at TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (provider, execution_id)
) WITHOUT ROWID;
`;

/**
 * `listed_items`: what the source's listings last emitted of each item (the provider's name, path,
 * type and size), so Export checks the org policy against them rather than against item JSON.
 */
const CREATE_LISTED_ITEMS = `
CREATE TABLE listed_items (
	source_id INTEGER NOT NULL REFERENCES sync_state (source_id),
	external_id TEXT NOT NULL,
	name TEXT NOT NULL,
	path TEXT NOT NULL,
	mime TEXT,
	size INTEGER,
	version TEXT,
	listed_at TEXT NOT NULL,
	PRIMARY KEY (source_id, external_id)
) WITHOUT ROWID;
`;

/**
 * A source's listing snapshots as rows rather than one value: `listing_snapshots` holds each
 * snapshot's small provider state, `listing_entries` one row per entry of its maps (a file, a
 * folder, a page), `listing_pending` one row per item still owed, with the key it is owed in order of. A run
 * reads one snapshot's entries page by page and only the owed items it emits, and writes the next
 * snapshot as the committed one's rows plus what changed.
 */
const CREATE_LISTING_SNAPSHOTS = `
CREATE TABLE listing_snapshots (
	source_id INTEGER NOT NULL REFERENCES sync_state (source_id),
	snapshot INTEGER NOT NULL,
	state TEXT NOT NULL,
	written_at TEXT NOT NULL,
	PRIMARY KEY (source_id, snapshot)
) WITHOUT ROWID;

CREATE TABLE listing_entries (
	source_id INTEGER NOT NULL,
	snapshot INTEGER NOT NULL,
	field TEXT NOT NULL,
	entry_key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (source_id, snapshot, field, entry_key)
) WITHOUT ROWID;

CREATE TABLE listing_pending (
	source_id INTEGER NOT NULL,
	snapshot INTEGER NOT NULL,
	external_id TEXT NOT NULL,
	sort_key BLOB NOT NULL,
	item TEXT NOT NULL,
	PRIMARY KEY (source_id, snapshot, external_id)
) WITHOUT ROWID;
CREATE INDEX listing_pending_in_order ON listing_pending (source_id, snapshot, sort_key);
`;

/**
 * `source_owners`: the workflows that may read and change each source's state (`owner` is
 * `workflow:<id>`); `listed` marks an owner that listed the source, as against one that adopted an
 * unowned source by checking items of it.
 */
const CREATE_SOURCE_OWNERS = `
CREATE TABLE source_owners (
	source_id INTEGER NOT NULL REFERENCES sync_state (source_id),
	owner TEXT NOT NULL,
	listed INTEGER NOT NULL CHECK (listed IN (0, 1)),
	granted_at TEXT NOT NULL,
	PRIMARY KEY (source_id, owner)
) WITHOUT ROWID;
CREATE INDEX source_owners_by_owner ON source_owners (owner, source_id);
`;

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		description: 'external_items, sync_state, runs and claims',
		up: (db) => db.exec(CREATE_CACHE_TABLES),
	},
	{
		version: 2,
		description: 'run_slots for the concurrent-runs limit',
		up: (db) => db.exec(CREATE_RUN_SLOTS),
	},
	{
		version: 3,
		description: 'listed_items for the export policy check',
		up: (db) => db.exec(CREATE_LISTED_ITEMS),
	},
	{
		version: 4,
		description: 'listing snapshots as rows: one per entry and per owed item',
		up: (db) => db.exec(CREATE_LISTING_SNAPSHOTS),
	},
	{
		version: 5,
		description: 'external_items.permissions, so Check tells a sharing change from a content change',
		up: (db) => db.exec('ALTER TABLE external_items ADD COLUMN permissions TEXT'),
	},
	{
		version: 6,
		description: 'source_owners: which workflows may use each source',
		up: (db) => db.exec(CREATE_SOURCE_OWNERS),
	},
	{
		version: 7,
		description: 'runs.noted_by_reason: items exported with a note (a fallback taken), per code',
		up: (db) => db.exec("ALTER TABLE runs ADD COLUMN noted_by_reason TEXT NOT NULL DEFAULT '{}'"),
	},
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: SqliteDriver): number {
	const version = db.prepare('PRAGMA user_version').get()?.user_version;
	return typeof version === 'number' ? version : 0;
}

/** `PRAGMA application_id` of our cache files ("N8EC"), so another application's database is never taken for one. */
export const CACHE_APPLICATION_ID = 0x4e384543;

function userTables(db: SqliteDriver): string[] {
	return db
		.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
		.all()
		.map((row) => String(row.name));
}

function foreignDatabaseError(db: SqliteDriver, what: string): CacheError {
	return new CacheError(
		'cache_foreign_database',
		`${db.path} is not a connectors cache file (${what}) — set CONNECTORS_CACHE_PATH to a file of its own, ` +
			'e.g. external-connectors.sqlite in the n8n user folder; the package never writes into another application\'s database.',
		{ path: db.path },
	);
}

/**
 * Marks a new file as ours and refuses another application's: a file with another application id,
 * or an unmarked one with tables of its own (an unmarked file with our tables is ours, from before
 * files were marked).
 */
export function claimCacheFile(db: SqliteDriver): void {
	db.transaction(() => {
		const id = db.prepare('PRAGMA application_id').get()?.application_id;
		if (id === CACHE_APPLICATION_ID) return;
		if (typeof id === 'number' && id !== 0) throw foreignDatabaseError(db, `its application id is ${id}`);
		const tables = userTables(db);
		if (tables.length > 0 && !tables.includes('sync_state')) {
			throw foreignDatabaseError(db, `it holds tables such as ${tables.slice(0, 3).join(', ')}`);
		}
		db.exec(`PRAGMA application_id = ${CACHE_APPLICATION_ID}`);
	});
}

function assertOrdered(migrations: readonly Migration[]): void {
	migrations.forEach((migration, index) => {
		if (migration.version !== index + 1) {
			throw new Error(`Migration "${migration.description}" has version ${migration.version}, expected ${index + 1}.`);
		}
	});
}

function tooNewError(db: SqliteDriver, found: number, known: number): CacheError {
	return new CacheError(
		'cache_too_new',
		`Cache file ${db.path} has schema version ${found}, but this version of n8n-nodes-external-connectors ` +
			`knows versions up to ${known} — update the package, or set CONNECTORS_CACHE_PATH to a new file.`,
		{ path: db.path },
	);
}

/**
 * Brings the file up to the newest schema, one transaction per migration. Each step re-reads the
 * version inside its transaction, so two processes opening an old file at once migrate it once.
 */
export function migrate(db: SqliteDriver, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
	assertOrdered(migrations);
	claimCacheFile(db);
	const latest = migrations.length;
	const from = schemaVersion(db);
	if (from > latest) throw tooNewError(db, from, latest);
	for (const migration of migrations) {
		if (migration.version <= from) continue;
		db.transaction(() => {
			const current = schemaVersion(db);
			if (current >= migration.version) return;
			migration.up(db);
			db.exec(`PRAGMA user_version = ${migration.version}`);
		});
	}
	return { from, to: Math.max(from, schemaVersion(db)) };
}
