/** The connectors' state behind ConnectorStore: for now one SQLite file (CONNECTORS_CACHE_PATH). */
import { resolveCachePath } from './sqlite/location';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/store';
import type { ConnectorStore } from './types';

export type { ChangeReason, DedupChange } from './changeDetection';
export * from './constants';
export * from './errors';
export * from './types';

/** Where the state lives and how the store behaves. */
export type StoreOptions = SqliteStoreOptions;

/** Opens (creating and migrating as needed) the store; the caller closes it. */
export async function openStore(options: StoreOptions = {}): Promise<ConnectorStore> {
	return openSqliteStore(options);
}

const sharedStores = new Map<string, SqliteStore>();

/**
 * One open store per file and driver for the whole process, reused by every execution: opening
 * costs a migration check and ~40 prepared statements, and with better-sqlite3 12 on Node >= 24.19
 * a closed database or statement that is later garbage-collected aborts the process
 * (nodejs/node#65446) — a store that stays open is never collected.
 */
export async function sharedStore(options: StoreOptions = {}): Promise<ConnectorStore> {
	const path = options.path ?? resolveCachePath();
	const key = `${path}\u0000${options.driver ?? 'auto'}`;
	let store = sharedStores.get(key);
	if (store === undefined || store.isClosed) {
		store = openSqliteStore({ ...options, path });
		sharedStores.set(key, store);
	}
	return store;
}
