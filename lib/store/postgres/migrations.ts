/**
 * The PostgreSQL schema, in versioned steps recorded in `schema_migrations`. Every process that
 * opens the store runs them under one transaction-level advisory lock (a two-key class of the
 * package's own: n8n itself uses single keys 1001–1009), so workers starting together migrate once;
 * a transaction-level lock also holds behind PgBouncer in transaction mode.
 */
import { CacheError } from '../errors';
import type { Client } from './connection';
import { type PgContext, quoteIdentifier, rows, transaction } from './context';

/** First key of every advisory lock the store takes ('nc' + 'ec': external connectors). */
export const ADVISORY_LOCK_CLASS = 0x6e63_6563;
export const MIGRATION_LOCK = 0;

export interface PgMigration {
	version: number;
	description: string;
	/** SQL with `{schema}` standing for the quoted schema name. */
	sql: string;
}

/**
 * Same tables as the SQLite store (lib/store/sqlite/migrations.ts), plus `leases`: one row per
 * (source, item, version) saying which run emits that version until when. A claim is one
 * conditional upsert on it whose WHERE reads the row's newest committed state, so two workers can
 * never both claim a version. A committed version keeps its row (marked committed) for ten minutes so that a check
 * that read the item before that commit does not emit it again.
 */
const CREATE_TABLES = `
CREATE TABLE {schema}.sync_state (
	source_id bigserial PRIMARY KEY,
	source_key text NOT NULL UNIQUE,
	provider text NOT NULL,
	committed_cursor text,
	committed_at text,
	committed_run_id bigint,
	last_success_at text,
	provider_state text,
	created_at text NOT NULL
);

CREATE TABLE {schema}.external_items (
	source_id bigint NOT NULL REFERENCES {schema}.sync_state (source_id),
	external_id text NOT NULL,
	name text,
	path text,
	mime text,
	size bigint,
	modified_at text,
	version text,
	hash text,
	content_hash text,
	last_ingested_at text NOT NULL,
	committed_run_id bigint,
	deleted smallint NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	deleted_at text,
	PRIMARY KEY (source_id, external_id)
);

CREATE TABLE {schema}.runs (
	id bigserial PRIMARY KEY,
	source_id bigint NOT NULL REFERENCES {schema}.sync_state (source_id),
	provider text NOT NULL,
	execution_id text,
	implicit smallint NOT NULL DEFAULT 0 CHECK (implicit IN (0, 1)),
	started_at text NOT NULL,
	finished_at text,
	status text NOT NULL CHECK (status IN ('running', 'success', 'partial', 'error')),
	count_processed bigint NOT NULL DEFAULT 0,
	count_new bigint NOT NULL DEFAULT 0,
	count_changed bigint NOT NULL DEFAULT 0,
	count_unchanged bigint NOT NULL DEFAULT 0,
	count_deleted bigint NOT NULL DEFAULT 0,
	count_skipped bigint NOT NULL DEFAULT 0,
	count_failed bigint NOT NULL DEFAULT 0,
	count_committed bigint NOT NULL DEFAULT 0,
	skipped_by_reason text NOT NULL DEFAULT '{}',
	error_samples text NOT NULL DEFAULT '[]',
	policy text,
	proposed_cursor text,
	proposed_at text,
	listed_items bigint,
	cursor_held smallint NOT NULL DEFAULT 0 CHECK (cursor_held IN (0, 1)),
	cursor_committed_at text,
	-- Which worker ran it (host:pid), for the audit trail of a queue-mode cluster.
	worker text
);
CREATE INDEX runs_by_source ON {schema}.runs (source_id, id);
CREATE INDEX runs_by_execution ON {schema}.runs (execution_id, source_id) WHERE execution_id IS NOT NULL;

CREATE TABLE {schema}.claims (
	source_id bigint NOT NULL,
	external_id text NOT NULL,
	run_id bigint NOT NULL REFERENCES {schema}.runs (id) ON DELETE CASCADE,
	fingerprint text NOT NULL,
	emitted smallint NOT NULL CHECK (emitted IN (0, 1)),
	expires_at bigint NOT NULL,
	PRIMARY KEY (source_id, external_id, run_id)
);
CREATE INDEX claims_by_run ON {schema}.claims (run_id);

CREATE TABLE {schema}.leases (
	source_id bigint NOT NULL,
	external_id text NOT NULL,
	fingerprint text NOT NULL,
	run_id bigint NOT NULL,
	expires_at bigint NOT NULL,
	committed smallint NOT NULL DEFAULT 0 CHECK (committed IN (0, 1)),
	PRIMARY KEY (source_id, external_id, fingerprint)
);
CREATE INDEX leases_by_run ON {schema}.leases (run_id) WHERE committed = 0;

CREATE TABLE {schema}.run_slots (
	provider text NOT NULL,
	execution_id text NOT NULL,
	host text NOT NULL,
	pid integer NOT NULL,
	holders integer NOT NULL CHECK (holders >= 0),
	acquired_at text NOT NULL,
	expires_at bigint NOT NULL,
	PRIMARY KEY (provider, execution_id)
);
`;

/** What the source's listings last emitted of each item, so Export checks the org policy against the provider's metadata. */
const CREATE_LISTED_ITEMS = `
CREATE TABLE {schema}.listed_items (
	source_id bigint NOT NULL REFERENCES {schema}.sync_state (source_id),
	external_id text NOT NULL,
	name text NOT NULL,
	path text NOT NULL,
	mime text,
	size bigint,
	version text,
	listed_at text NOT NULL,
	PRIMARY KEY (source_id, external_id)
);
`;

/** Listing snapshots as rows, as in the SQLite store (lib/store/sqlite/migrations.ts, version 4). */
const CREATE_LISTING_SNAPSHOTS = `
CREATE TABLE {schema}.listing_snapshots (
	source_id bigint NOT NULL REFERENCES {schema}.sync_state (source_id),
	snapshot bigint NOT NULL,
	state text NOT NULL,
	written_at text NOT NULL,
	PRIMARY KEY (source_id, snapshot)
);

CREATE TABLE {schema}.listing_entries (
	source_id bigint NOT NULL,
	snapshot bigint NOT NULL,
	field text NOT NULL,
	entry_key text NOT NULL,
	value text NOT NULL,
	PRIMARY KEY (source_id, snapshot, field, entry_key)
);

CREATE TABLE {schema}.listing_pending (
	source_id bigint NOT NULL,
	snapshot bigint NOT NULL,
	external_id text NOT NULL,
	sort_key bytea NOT NULL,
	item text NOT NULL,
	PRIMARY KEY (source_id, snapshot, external_id)
);
CREATE INDEX listing_pending_in_order ON {schema}.listing_pending (source_id, snapshot, sort_key);
`;

/** The workflows that may use each source (lib/store/sqlite/migrations.ts, `source_owners`). */
const CREATE_SOURCE_OWNERS = `
CREATE TABLE {schema}.source_owners (
	source_id bigint NOT NULL REFERENCES {schema}.sync_state (source_id),
	owner text NOT NULL,
	listed smallint NOT NULL CHECK (listed IN (0, 1)),
	granted_at text NOT NULL,
	PRIMARY KEY (source_id, owner)
);
CREATE INDEX source_owners_by_owner ON {schema}.source_owners (owner, source_id);
`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
	{ version: 1, description: 'sync_state, external_items, runs, claims, leases and run_slots', sql: CREATE_TABLES },
	{ version: 2, description: 'listed_items for the export policy check', sql: CREATE_LISTED_ITEMS },
	{ version: 3, description: 'listing snapshots as rows: one per entry and per owed item', sql: CREATE_LISTING_SNAPSHOTS },
	{
		version: 4,
		description: 'external_items.permissions, so Check tells a sharing change from a content change',
		sql: 'ALTER TABLE {schema}.external_items ADD COLUMN permissions text;',
	},
	{ version: 5, description: 'source_owners: which workflows may use each source', sql: CREATE_SOURCE_OWNERS },
	{
		version: 6,
		description: 'runs.noted_by_reason: items exported with a note (a fallback taken), per code',
		sql: "ALTER TABLE {schema}.runs ADD COLUMN noted_by_reason text NOT NULL DEFAULT '{}';",
	},
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

async function appliedVersion(client: Client, schema: string): Promise<number> {
	const found = await rows(client, `SELECT COALESCE(MAX(version), 0) AS version FROM ${schema}.schema_migrations`);
	return Number(found[0]?.version ?? 0);
}

/** Creates the schema when missing and brings it to the newest version, once across every process. */
export async function migratePostgres(context: PgContext, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<{ from: number; to: number }> {
	const schema = quoteIdentifier(context.target.schema);
	const latest = migrations.length;
	return transaction(context, async (client) => {
		await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK_CLASS, MIGRATION_LOCK]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
		await client.query(
			`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
		);
		const from = await appliedVersion(client, schema);
		if (from > latest) {
			throw new CacheError(
				'cache_too_new',
				`The connectors' schema ${context.location} has version ${from}, but this version of n8n-nodes-external-connectors ` +
					`knows versions up to ${latest} — update the package on every n8n process, or set CONNECTORS_CACHE_SCHEMA to a new schema.`,
				{ path: context.location },
			);
		}
		for (const migration of migrations) {
			if (migration.version <= from) continue;
			await client.query(migration.sql.split('{schema}').join(schema));
			await client.query(`INSERT INTO ${schema}.schema_migrations (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
		}
		return { from, to: Math.max(from, latest) };
	});
}
