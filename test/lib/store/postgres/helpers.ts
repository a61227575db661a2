import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import type { StoreSettings } from '../../../../lib/store';
import type { PostgresTarget } from '../../../../lib/store/postgres/connection';
import { openPostgresStore } from '../../../../lib/store/postgres/store';
import { PostgresServer } from '../../../e2e/queue/harness/postgres';

/**
 * One throwaway PostgreSQL per test file (fsync off), started in beforeAll and stopped in afterAll;
 * each test works in a schema of its own. Missing binaries fail the file with what to install.
 */
export function usePostgres(): { target: (schema?: string) => PostgresTarget; server: () => PostgresServer; sql: (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]> } {
	let server: PostgresServer | undefined;
	beforeAll(async () => {
		server = await PostgresServer.start('connectors');
	}, 90_000);
	afterAll(async () => {
		await server?.stop();
	}, 30_000);
	const running = () => {
		if (server === undefined) throw new Error('PostgreSQL did not start (see the beforeAll error above).');
		return server;
	};
	const target = (schema = `test_${randomBytes(6).toString('hex')}`): PostgresTarget => {
		const { host, port, database, user, password } = running().connection;
		return { connection: { host, port, database, user, password }, schema, setting: 'CONNECTORS_CACHE_URL' };
	};
	const sql = async (text: string, values: unknown[] = []) => {
		const client = new Client(target().connection);
		await client.connect();
		try {
			return (await client.query(text, values)).rows as Record<string, unknown>[];
		} finally {
			await client.end();
		}
	};
	return { target, server: running, sql };
}

export async function openTestPostgresStore(target: PostgresTarget, settings: StoreSettings = {}) {
	return openPostgresStore({ target, poolSize: 2, ...settings });
}
