/**
 * What every part of the SQLite store shares: the open file, its prepared statements, the store's
 * settings and clock, and the `sync_state` row each source hangs from.
 */
import { DEFAULT_BATCH_SIZE, DEFAULT_KEPT_RUNS_PER_SOURCE, DEFAULT_LEASE_MS } from '../constants';
import type { StoreSettings } from '../types';
import type { SqliteDriver } from './driver';
import { integer, prepareStatements, type Statements } from './statements';

export interface SqliteContext {
	readonly db: SqliteDriver;
	readonly statements: Statements;
	/** The cache file, for messages. */
	readonly path: string;
	readonly leaseMs: number;
	readonly batchSize: number;
	readonly keptRunsPerSource: number;
	now(): number;
	nowIso(): string;
}

export function createContext(db: SqliteDriver, settings: StoreSettings = {}): SqliteContext {
	const now = settings.now ?? Date.now;
	return {
		db,
		statements: prepareStatements(db),
		path: db.path,
		leaseMs: settings.leaseMs ?? DEFAULT_LEASE_MS,
		batchSize: Math.max(1, settings.batchSize ?? DEFAULT_BATCH_SIZE),
		keptRunsPerSource: Math.max(1, settings.keptRunsPerSource ?? DEFAULT_KEPT_RUNS_PER_SOURCE),
		now,
		nowIso: () => new Date(now()).toISOString(),
	};
}

/** The source's id, registering the source on first sight. */
export function registerSource(context: SqliteContext, sourceKey: string, provider: string): number {
	context.statements.ensureSource.run(sourceKey, provider, context.nowIso());
	return integer(context.statements.selectSource.get(sourceKey), 'source_id') ?? 0;
}

/** The source's id, or null when the store has never seen it. */
export function sourceIdOf(context: SqliteContext, sourceKey: string): number | null {
	return integer(context.statements.selectSource.get(sourceKey), 'source_id');
}
