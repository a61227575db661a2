/** The pool one process keeps to PostgreSQL, and PostgreSQL's failures as CacheErrors naming the setting. */
import { Pool, type PoolClient, type PoolConfig, types } from 'pg';

import { CacheError } from '../errors';

/** Where the state lives: connection settings, the schema, and which setting named them (for messages). */
export interface PostgresTarget {
	connection: Pick<PoolConfig, 'host' | 'port' | 'database' | 'user' | 'password' | 'ssl' | 'connectionString'>;
	/** The schema holding the connectors' tables; created when missing. */
	schema: string;
	/** The environment variables that chose this database, named in errors (`CONNECTORS_CACHE_URL`, `DB_POSTGRESDB_*`). */
	setting: string;
}

/** Connections per process: check and commit hold one each, run slots and status one more. */
export const DEFAULT_POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 30_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (value: string) => Number(value);

/** Ids and counts fit a double; reading them as numbers keeps rows alike in both stores. */
const numericTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID || oid === NUMERIC_OID ? toNumber : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export function openPool(target: PostgresTarget, size = DEFAULT_POOL_SIZE): Pool {
	const pool = new Pool({
		...target.connection,
		max: size,
		connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
		idleTimeoutMillis: IDLE_TIMEOUT_MS,
		// An idle pool must not keep n8n (or a CLI) from exiting.
		allowExitOnIdle: true,
		application_name: 'n8n-nodes-external-connectors',
		types: numericTypes,
	});
	// A connection dropped while idle is replaced on next use; without a listener it would crash the process.
	pool.on('error', () => undefined);
	return pool;
}

/** `postgres://user@host:port/database (schema s)` — never the password. */
export function describeTarget(target: PostgresTarget): string {
	const { connection, schema } = target;
	if (connection.connectionString !== undefined) return `${redactUrl(connection.connectionString)} (schema ${schema})`;
	const user = connection.user === undefined ? '' : `${connection.user}@`;
	return `postgres://${user}${connection.host ?? 'localhost'}:${connection.port ?? 5432}/${connection.database ?? ''} (schema ${schema})`;
}

/** A connection URL without its password or query (which may carry one, e.g. `?password=`). */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.password = '';
		parsed.search = '';
		return parsed.toString().replace(/\/$/, '');
	} catch {
		return 'postgres://(unparsable URL)';
	}
}

function hasProperty<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
	return typeof value === 'object' && value !== null && key in value;
}

function sqlState(error: unknown): string | undefined {
	return hasProperty(error, 'code') && typeof error.code === 'string' ? error.code : undefined;
}

/** Serialization failures and deadlocks: the transaction can run again as it is. */
export function isRetryable(error: unknown): boolean {
	const code = sqlState(error);
	return code === '40001' || code === '40P01';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The server's message minus anything that could quote a connection string. */
function safeDetail(error: unknown, secrets: readonly string[]): string {
	let message = error instanceof Error ? error.message : String(error);
	for (const secret of secrets) if (secret !== '') message = message.split(secret).join('***');
	return message.replace(/postgres(ql)?:\/\/[^\s]+/gi, (url) => redactUrl(url));
}

/**
 * Turns a driver error into a CacheError that names the setting to fix; the password and any URL
 * with credentials are cut from the message, and the original error is not kept as the cause
 * (pg errors can carry the connection settings).
 */
export function translatePostgresError(error: unknown, target: PostgresTarget): unknown {
	if (error instanceof CacheError) return error;
	const code = sqlState(error);
	const where = describeTarget(target);
	const secrets = [String(target.connection.password ?? ''), target.connection.connectionString ?? ''];
	const detail = safeDetail(error, secrets);
	if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P03')) {
		return new CacheError(
			'cache_unreachable',
			`Cannot reach the connectors' PostgreSQL database ${where} (${detail}) — check ${target.setting}, and that the server accepts connections from this host.`,
			{ path: where },
		);
	}
	if (code === '28P01' || code === '28000') {
		return new CacheError(
			'cache_unreachable',
			`PostgreSQL refused the login to ${where} (${detail}) — check the user and password in ${target.setting}.`,
			{ path: where },
		);
	}
	if (code === '3D000') {
		return new CacheError('cache_unreachable', `The database of ${where} does not exist (${detail}) — create it, or fix ${target.setting}.`, {
			path: where,
		});
	}
	if (code === '42501') {
		return new CacheError(
			'cache_unwritable',
			`The database user has no permission for the connectors' state in ${where} (${detail}) — grant it CREATE on the ` +
				`database (or create schema ${target.schema} owned by it), or set CONNECTORS_CACHE_SCHEMA to a schema it owns.`,
			{ path: where },
		);
	}
	if (code === '53100' || code === '53200') {
		return new CacheError('cache_unwritable', `The PostgreSQL server of ${where} is out of disk or memory (${detail}) — free space on it.`, {
			path: where,
		});
	}
	if (error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message)) {
		return new CacheError(
			'cache_unreachable',
			`Cannot reach the connectors' PostgreSQL database ${where} (${detail}) — check ${target.setting}, and that the server is up.`,
			{ path: where },
		);
	}
	if (error instanceof Error && (code !== undefined || /password|SASL|SSL/i.test(error.message))) {
		return new CacheError('cache_unwritable', `The connectors' PostgreSQL database ${where} failed: ${detail} — check ${target.setting}.`, {
			path: where,
		});
	}
	return error;
}

export type Client = PoolClient;
