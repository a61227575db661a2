/**
 * The connectors' state behind ConnectorStore: a PostgreSQL schema shared by every n8n process
 * (CONNECTORS_CACHE_URL, or n8n's own PostgreSQL), or one SQLite file (CONNECTORS_CACHE_PATH).
 */
import type { PostgresTarget } from './postgres/connection';
import type { PostgresStore } from './postgres/store';
import { chooseStore, type StoreChoice } from './selection';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/store';
import type { ConnectorStore } from './types';

export type { ChangeReason, DedupChange } from './changeDetection';
export * from './constants';
export * from './errors';
export { chooseStore, DEFAULT_CACHE_SCHEMA, type StoreChoice } from './selection';
export * from './types';

/** Where the state lives and how the store behaves. */
export interface StoreOptions extends SqliteStoreOptions {
	/** A PostgreSQL database and schema; else `path`; else chosen from the environment (`chooseStore`). */
	postgres?: PostgresTarget;
	/** Connections per process to PostgreSQL. */
	poolSize?: number;
	/** The environment the choice reads (default process.env). */
	env?: NodeJS.ProcessEnv;
}

function choice(options: StoreOptions): StoreChoice {
	if (options.postgres !== undefined) return { kind: 'postgres', target: options.postgres };
	if (options.path !== undefined) return { kind: 'sqlite', path: options.path };
	return chooseStore(options.env ?? process.env);
}

async function open(chosen: StoreChoice, options: StoreOptions): Promise<SqliteStore | PostgresStore> {
	if (chosen.kind === 'postgres') {
		// Loaded only when chosen: a single n8n on SQLite never loads the PostgreSQL client.
		const { openPostgresStore } = await import('./postgres/store');
		return openPostgresStore({ ...options, target: chosen.target });
	}
	return openSqliteStore({ ...options, path: chosen.path });
}

/** Opens (creating and migrating as needed) the store; the caller closes it. */
export async function openStore(options: StoreOptions = {}): Promise<ConnectorStore> {
	return open(choice(options), options);
}

const sharedStores = new Map<string, Promise<SqliteStore | PostgresStore>>();

function sharedKey(chosen: StoreChoice, options: StoreOptions): string {
	if (chosen.kind === 'sqlite') return `sqlite\u0000${chosen.path}\u0000${options.driver ?? 'auto'}`;
	const { connection, schema } = chosen.target;
	return `postgres\u0000${JSON.stringify([connection.connectionString, connection.host, connection.port, connection.database, connection.user, schema])}`;
}

/**
 * One open store per location for the whole process, reused by every execution. For SQLite:
 * opening costs a migration check and ~40 prepared statements, and with better-sqlite3 12 on Node
 * >= 24.19 a closed database that is later garbage-collected aborts the process
 * (nodejs/node#65446). For PostgreSQL: one bounded pool per process, ended by `closeSharedStores`.
 */
export async function sharedStore(options: StoreOptions = {}): Promise<ConnectorStore> {
	const chosen = choice(options);
	const key = sharedKey(chosen, options);
	const existing = sharedStores.get(key);
	if (existing !== undefined) {
		const store = await existing.catch(() => undefined);
		if (store !== undefined && !store.isClosed) return store;
	}
	const opening = open(chosen, options);
	sharedStores.set(key, opening);
	// A failed open (database down) is not kept: the next execution tries again.
	opening.catch(() => {
		if (sharedStores.get(key) === opening) sharedStores.delete(key);
	});
	return opening;
}

/** Closes every shared store (their pools end), e.g. when the process shuts down. */
export async function closeSharedStores(): Promise<void> {
	const stores = [...sharedStores.values()];
	sharedStores.clear();
	await Promise.all(stores.map(async (opening) => (await opening.catch(() => undefined))?.close()));
}
