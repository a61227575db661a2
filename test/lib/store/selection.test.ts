import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CacheError, chooseStore } from '../../../lib/store';

const N8N_POSTGRES = {
	DB_TYPE: 'postgresdb',
	DB_POSTGRESDB_HOST: 'db.internal',
	DB_POSTGRESDB_PORT: '5433',
	DB_POSTGRESDB_DATABASE: 'n8ndata',
	DB_POSTGRESDB_USER: 'n8nuser',
	DB_POSTGRESDB_PASSWORD: 'hunter2-secret',
};

function refusal(env: NodeJS.ProcessEnv): CacheError {
	try {
		chooseStore(env);
	} catch (error) {
		if (error instanceof CacheError) return error;
		throw error;
	}
	throw new Error('expected the store choice to be refused');
}

describe('chooseStore', () => {
	it('uses CONNECTORS_CACHE_URL first, in CONNECTORS_CACHE_SCHEMA', () => {
		const url = 'postgres://conn:pw@other:5432/state';
		expect(chooseStore({ ...N8N_POSTGRES, CONNECTORS_CACHE_URL: url, CONNECTORS_CACHE_PATH: '/data/c.sqlite', CONNECTORS_CACHE_SCHEMA: 'team_a' })).toEqual({
			kind: 'postgres',
			target: { connection: { connectionString: url }, schema: 'team_a', setting: 'CONNECTORS_CACHE_URL' },
		});
	});

	it('uses n8n’s own PostgreSQL settings in schema n8n_connectors when n8n runs on PostgreSQL and no path is set', () => {
		const chosen = chooseStore({ ...N8N_POSTGRES, EXECUTIONS_MODE: 'queue' });
		expect(chosen).toEqual({
			kind: 'postgres',
			target: {
				connection: { host: 'db.internal', port: 5433, database: 'n8ndata', user: 'n8nuser', password: 'hunter2-secret' },
				schema: 'n8n_connectors',
				setting: expect.stringContaining('DB_POSTGRESDB_*'),
			},
		});
	});

	it('takes n8n’s defaults for what n8n leaves unset', () => {
		expect(chooseStore({ DB_TYPE: 'postgresdb' })).toMatchObject({
			kind: 'postgres',
			target: { connection: { host: 'localhost', port: 5432, database: 'n8n', user: 'postgres', password: '' } },
		});
	});

	it('reads the password from DB_POSTGRESDB_PASSWORD_FILE, as n8n does', () => {
		const folder = mkdtempSync(join(tmpdir(), 'connectors-selection-'));
		try {
			writeFileSync(join(folder, 'pw'), 'from-file\n');
			const chosen = chooseStore({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PASSWORD_FILE: join(folder, 'pw') });
			expect(chosen.kind === 'postgres' && chosen.target.connection.password).toBe('from-file');
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('passes n8n’s SSL options on', () => {
		const pem = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';
		const chosen = chooseStore({ ...N8N_POSTGRES, DB_POSTGRESDB_SSL_CA: pem, DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'false' });
		expect(chosen.kind === 'postgres' && chosen.target.connection.ssl).toEqual({
			ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
			cert: undefined,
			key: undefined,
			rejectUnauthorized: false,
		});
		expect(chooseStore({ ...N8N_POSTGRES, DB_POSTGRESDB_SSL_ENABLED: 'true' })).toMatchObject({
			target: { connection: { ssl: { rejectUnauthorized: true } } },
		});
		expect(chooseStore(N8N_POSTGRES)).not.toHaveProperty('target.connection.ssl');
	});

	it('keeps an explicit CONNECTORS_CACHE_PATH on a single n8n that runs on PostgreSQL', () => {
		expect(chooseStore({ ...N8N_POSTGRES, CONNECTORS_CACHE_PATH: '/data/c.sqlite' })).toEqual({ kind: 'sqlite', path: '/data/c.sqlite' });
	});

	it('uses a SQLite file beside n8n’s data on a single n8n on SQLite', () => {
		expect(chooseStore({ N8N_USER_FOLDER: '/home/node' })).toEqual({ kind: 'sqlite', path: '/home/node/.n8n/external-connectors.sqlite' });
	});

	it('refuses a SQLite file in queue mode, saying what to set', () => {
		const error = refusal({ EXECUTIONS_MODE: 'queue', CONNECTORS_CACHE_PATH: '/data/c.sqlite' });
		expect(error.code).toBe('cache_refused');
		expect(error.message).toMatch(/queue mode .*\/data\/c\.sqlite.*CONNECTORS_CACHE_PATH.*CONNECTORS_CACHE_URL.*CONNECTORS_CACHE_ALLOW_LOCAL=true/);
	});

	it('allows a SQLite file in queue mode when the administrator says it is on one host on purpose', () => {
		expect(chooseStore({ EXECUTIONS_MODE: 'queue', CONNECTORS_CACHE_PATH: '/data/c.sqlite', CONNECTORS_CACHE_ALLOW_LOCAL: 'true' })).toEqual({
			kind: 'sqlite',
			path: '/data/c.sqlite',
		});
	});

	it('refuses a URL that is not PostgreSQL and a schema name that is not plain, without quoting the URL', () => {
		const error = refusal({ CONNECTORS_CACHE_URL: 'mysql://u:topsecret@h/db' });
		expect(error.message).toMatch(/CONNECTORS_CACHE_URL must be a PostgreSQL URL/);
		expect(error.message).not.toContain('topsecret');
		expect(refusal({ ...N8N_POSTGRES, CONNECTORS_CACHE_SCHEMA: 'x"; DROP' }).message).toMatch(/CONNECTORS_CACHE_SCHEMA/);
	});
});
