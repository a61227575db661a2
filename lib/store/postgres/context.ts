/**
 * What every part of the PostgreSQL store shares: the pool, the schema-qualified table names, the
 * store's settings, and the transactions each call runs in.
 */
import type { Pool } from 'pg';

import { DEFAULT_BATCH_SIZE, DEFAULT_KEPT_RUNS_PER_SOURCE, DEFAULT_LEASE_MS } from '../constants';
import { CacheError } from '../errors';
import type { StoreSettings } from '../types';
import { type Client, isRetryable, type PostgresTarget, translatePostgresError } from './connection';

/** Transactions that lost a deadlock or serialization race run again this many times. */
const TRANSACTION_ATTEMPTS = 5;

export interface PgContext {
	readonly pool: Pool;
	readonly target: PostgresTarget;
	/** The database and schema, without the password, for messages. */
	readonly location: string;
	/** `"schema".table`. */
	table(name: string): string;
	readonly leaseMs: number;
	readonly batchSize: number;
	readonly keptRunsPerSource: number;
	/**
	 * The injected clock in ms, or null: SQL then reads the database's clock, so that leases and run
	 * slots mean the same on every worker whatever their own clocks say.
	 */
	clockParam(): number | null;
	nowIso(): string;
	closed: boolean;
}

/** The SQL for "now in ms since the epoch", from the injected clock parameter or the database's clock. */
export function nowMs(param: string): string {
	return `COALESCE(${param}::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`;
}

export function quoteIdentifier(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

export function createContext(pool: Pool, target: PostgresTarget, location: string, settings: StoreSettings = {}): PgContext {
	const schema = quoteIdentifier(target.schema);
	const now = settings.now;
	return {
		pool,
		target,
		location,
		table: (name) => `${schema}.${name}`,
		leaseMs: settings.leaseMs ?? DEFAULT_LEASE_MS,
		batchSize: Math.max(1, settings.batchSize ?? DEFAULT_BATCH_SIZE),
		keptRunsPerSource: Math.max(1, settings.keptRunsPerSource ?? DEFAULT_KEPT_RUNS_PER_SOURCE),
		clockParam: () => (now === undefined ? null : now()),
		nowIso: () => new Date(now === undefined ? Date.now() : now()).toISOString(),
		closed: false,
	};
}

function assertOpen(context: PgContext): void {
	if (context.closed) {
		throw new CacheError('cache_closed', `The connectors' store ${context.location} is closed — open it again.`, { path: context.location });
	}
}

/**
 * Runs `body` in one READ COMMITTED transaction on a pooled connection. A deadlock or serialization
 * failure rolls back and runs `body` again, so `body` must not keep state from a failed attempt.
 */
export async function transaction<T>(context: PgContext, body: (client: Client) => Promise<T>): Promise<T> {
	assertOpen(context);
	for (let attempt = 1; ; attempt++) {
		let client: Client;
		try {
			client = await context.pool.connect();
		} catch (error) {
			throw translatePostgresError(error, context.target);
		}
		try {
			// A batch probes ~5,000 keys: by index, never by hashing or scanning a table that may hold millions
			// of rows — nor one its statistics still call empty while a first import fills it.
			await client.query('BEGIN; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_seqscan = off');
			const result = await body(client);
			await client.query('COMMIT');
			client.release();
			return result;
		} catch (error) {
			const rolledBack = await client.query('ROLLBACK').then(
				() => true,
				() => false,
			);
			client.release(rolledBack ? undefined : true);
			if (attempt < TRANSACTION_ATTEMPTS && isRetryable(error)) continue;
			throw translatePostgresError(error, context.target);
		}
	}
}

/** One statement outside a transaction (reads). */
export async function query(context: PgContext, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
	assertOpen(context);
	try {
		return (await context.pool.query(sql, values)).rows as Record<string, unknown>[];
	} catch (error) {
		throw translatePostgresError(error, context.target);
	}
}

export async function rows(client: Client, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
	return (await client.query(sql, values)).rows as Record<string, unknown>[];
}

/** The source's id, registering the source on first sight. */
export async function registerSource(context: PgContext, client: Client, sourceKey: string, provider: string): Promise<number> {
	const ids = await registerSources(context, client, [[sourceKey, provider]]);
	return ids.get(sourceKey) ?? 0;
}

/** Ids of the sources, registering those seen for the first time: two statements whatever their number. */
export async function registerSources(
	context: PgContext,
	client: Client,
	sources: readonly (readonly [sourceKey: string, provider: string])[],
): Promise<Map<string, number>> {
	const keys = sources.map(([key]) => key);
	await client.query(
		`INSERT INTO ${context.table('sync_state')} (source_key, provider, created_at)
		 SELECT key, provider, $3 FROM UNNEST($1::text[], $2::text[]) AS s(key, provider) ORDER BY key
		 ON CONFLICT (source_key) DO NOTHING`,
		[keys, sources.map(([, provider]) => provider), context.nowIso()],
	);
	const found = await rows(client, `SELECT source_id, source_key FROM ${context.table('sync_state')} WHERE source_key = ANY($1::text[])`, [keys]);
	return new Map(found.map((row) => [String(row.source_key), Number(row.source_id)]));
}
