/**
 * Which store holds the connectors' state, from the environment every n8n process shares:
 * `CONNECTORS_CACHE_URL` (PostgreSQL, named explicitly), else `CONNECTORS_CACHE_PATH` (a SQLite
 * file), else n8n's own PostgreSQL when n8n runs on it (`DB_TYPE=postgresdb`, its `DB_POSTGRESDB_*`)
 * in a schema of the package's own, else a SQLite file beside n8n's data. In queue mode a SQLite
 * file is refused unless the administrator says it is on one host on purpose.
 */
import { existsSync, readFileSync } from 'node:fs';

import type { ConnectionOptions } from 'node:tls';

import { CacheError } from './errors';
import type { PostgresTarget } from './postgres/connection';
import { resolveCachePath } from './sqlite/location';

export const DEFAULT_CACHE_SCHEMA = 'n8n_connectors';

export type StoreChoice = { kind: 'postgres'; target: PostgresTarget } | { kind: 'sqlite'; path: string };

const TRUE_VALUES = new Set(['true', '1', 'yes']);

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const value = env[name]?.trim();
	return value === undefined || value === '' ? undefined : value;
}

/** n8n reads every setting also from `<NAME>_FILE` (a file holding the value, e.g. a Docker secret). */
function n8nSetting(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const direct = setting(env, name);
	if (direct !== undefined) return direct;
	const file = setting(env, `${name}_FILE`);
	if (file === undefined) return undefined;
	try {
		return readFileSync(file, 'utf8').trim();
	} catch {
		throw new CacheError('cache_unreachable', `Cannot read ${name}_FILE (${file}) — make it readable for the user n8n runs as.`);
	}
}

function schemaFrom(env: NodeJS.ProcessEnv): string {
	const schema = setting(env, 'CONNECTORS_CACHE_SCHEMA') ?? DEFAULT_CACHE_SCHEMA;
	if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
		throw new CacheError(
			'cache_refused',
			`CONNECTORS_CACHE_SCHEMA "${schema}" is not a plain PostgreSQL name — use letters, digits and _ (at most 63), e.g. ${DEFAULT_CACHE_SCHEMA}.`,
		);
	}
	return schema;
}

/** A certificate setting holds the PEM itself or the path of a file with it, as n8n's own do. */
function pem(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
	return existsSync(value) ? readFileSync(value, 'utf8') : value;
}

/** n8n's SSL settings for its PostgreSQL, read the same way n8n reads them. */
function n8nSsl(env: NodeJS.ProcessEnv): ConnectionOptions | undefined {
	const ca = pem(n8nSetting(env, 'DB_POSTGRESDB_SSL_CA'));
	const cert = pem(n8nSetting(env, 'DB_POSTGRESDB_SSL_CERT'));
	const key = pem(n8nSetting(env, 'DB_POSTGRESDB_SSL_KEY'));
	const rejectUnauthorized = setting(env, 'DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED')?.toLowerCase() !== 'false';
	const enabled = TRUE_VALUES.has(setting(env, 'DB_POSTGRESDB_SSL_ENABLED')?.toLowerCase() ?? '');
	if (!enabled && ca === undefined && cert === undefined && key === undefined && rejectUnauthorized) return undefined;
	return { ca, cert, key, rejectUnauthorized };
}

function n8nTarget(env: NodeJS.ProcessEnv): PostgresTarget {
	const portText = n8nSetting(env, 'DB_POSTGRESDB_PORT') ?? '5432';
	const port = Number(portText);
	if (!Number.isInteger(port) || port <= 0 || port > 65535) {
		throw new CacheError('cache_refused', `DB_POSTGRESDB_PORT "${portText}" is not a port number — fix n8n's database settings.`);
	}
	const ssl = n8nSsl(env);
	return {
		connection: {
			host: n8nSetting(env, 'DB_POSTGRESDB_HOST') ?? 'localhost',
			port,
			database: n8nSetting(env, 'DB_POSTGRESDB_DATABASE') ?? 'n8n',
			user: n8nSetting(env, 'DB_POSTGRESDB_USER') ?? 'postgres',
			password: n8nSetting(env, 'DB_POSTGRESDB_PASSWORD') ?? '',
			...(ssl === undefined ? {} : { ssl }),
		},
		schema: schemaFrom(env),
		setting: 'n8n’s DB_POSTGRESDB_* settings (or set CONNECTORS_CACHE_URL to another database)',
	};
}

function urlTarget(url: string, env: NodeJS.ProcessEnv): PostgresTarget {
	if (!/^postgres(ql)?:\/\//i.test(url)) {
		throw new CacheError(
			'cache_refused',
			'CONNECTORS_CACHE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database) — or unset it to use CONNECTORS_CACHE_PATH.',
		);
	}
	return { connection: { connectionString: url }, schema: schemaFrom(env), setting: 'CONNECTORS_CACHE_URL' };
}

export function queueMode(env: NodeJS.ProcessEnv): boolean {
	return setting(env, 'EXECUTIONS_MODE')?.toLowerCase() === 'queue';
}

/** Where this process keeps the connectors' state; throws a CacheError that says what to set. */
export function chooseStore(env: NodeJS.ProcessEnv = process.env): StoreChoice {
	const url = setting(env, 'CONNECTORS_CACHE_URL');
	if (url !== undefined) return { kind: 'postgres', target: urlTarget(url, env) };
	const explicitPath = setting(env, 'CONNECTORS_CACHE_PATH');
	if (explicitPath === undefined && setting(env, 'DB_TYPE')?.toLowerCase() === 'postgresdb') {
		return { kind: 'postgres', target: n8nTarget(env) };
	}
	const path = resolveCachePath(env);
	if (queueMode(env) && !TRUE_VALUES.has(setting(env, 'CONNECTORS_CACHE_ALLOW_LOCAL')?.toLowerCase() ?? '')) {
		throw new CacheError(
			'cache_refused',
			`n8n runs in queue mode (EXECUTIONS_MODE=queue), where every worker must share the connectors' state, but it would be ` +
				`the local SQLite file ${path}. Unset CONNECTORS_CACHE_PATH to use n8n's own PostgreSQL (DB_TYPE=postgresdb), or set ` +
				'CONNECTORS_CACHE_URL=postgres://… — or CONNECTORS_CACHE_ALLOW_LOCAL=true if every worker runs on this one host.',
			{ path },
		);
	}
	return { kind: 'sqlite', path };
}
