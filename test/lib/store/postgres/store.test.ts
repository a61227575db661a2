import { Client } from 'pg';

import { CacheError, openStore } from '../../../../lib/store';
import { describeTarget } from '../../../../lib/store/postgres/connection';
import { ADVISORY_LOCK_CLASS, PG_LATEST_SCHEMA_VERSION } from '../../../../lib/store/postgres/migrations';
import { openPostgresStore } from '../../../../lib/store/postgres/store';
import { items, SOURCE } from '../helpers';
import { emitted, listRun } from '../contract/support';
import { openTestPostgresStore, usePostgres } from './helpers';

const postgres = usePostgres();

describe('the PostgreSQL store', () => {
	it('migrates once when several processes open a new schema at the same moment', async () => {
		const target = postgres.target();
		const stores = await Promise.all(Array.from({ length: 4 }, async () => await openTestPostgresStore(target)));
		const applied = await postgres.sql(`SELECT version FROM "${target.schema}".schema_migrations ORDER BY version`);
		// Each version recorded once: a second process that migrated too would have failed on the primary key or added rows.
		expect(applied).toEqual(Array.from({ length: PG_LATEST_SCHEMA_VERSION }, (_, index) => ({ version: index + 1 })));
		await Promise.all(stores.map(async (store) => await store.close()));
	});

	it('refuses a schema migrated by a newer version of the package', async () => {
		const target = postgres.target();
		await (await openTestPostgresStore(target)).close();
		await postgres.sql(`INSERT INTO "${target.schema}".schema_migrations (version, description) VALUES (99, 'future')`);
		await expect(openTestPostgresStore(target)).rejects.toMatchObject({ code: 'cache_too_new' });
	});

	it('lets exactly one of several workers checking the same versions at once emit each of them', async () => {
		const target = postgres.target();
		const stores = await Promise.all(Array.from({ length: 4 }, async () => await openTestPostgresStore(target)));
		for (let round = 0; round < 5; round++) {
			const list = items(200, { version: String(round + 1), hash: `md5-${round + 1}` });
			const runs = await Promise.all(stores.map(async (store, index) => await listRun(store, list, `r${round}-${index}`)));
			const results = await Promise.all(stores.map(async (store, index) => await store.items.check(runs[index].items)));
			const emittedIds = results.flatMap((checked) => emitted(checked).map((result) => result.item.external_id));
			expect(emittedIds.sort()).toEqual(list.map((entry) => entry.external_id).sort());
			await Promise.all(stores.map(async (store, index) => await store.items.commit(emitted(results[index]).map((result) => result.item))));
			expect(await stores[0].cursors.committed(SOURCE)).toMatch(new RegExp(`^r${round}-`));
		}
		await Promise.all(stores.map(async (store) => await store.close()));
	}, 60_000);

	it('does not emit again a version another worker commits while it checks', async () => {
		const target = postgres.target();
		const [one, two] = await Promise.all([openTestPostgresStore(target), openTestPostgresStore(target)]);
		for (let round = 0; round < 10; round++) {
			const list = items(300, { version: `v${round}`, hash: `md5-v${round}` });
			const first = await listRun(one, list, `a${round}`);
			const second = await listRun(two, list, `b${round}`);
			const checked = await one.items.check(first.items);
			// The second check races the first run's commit.
			const [late] = await Promise.all([two.items.check(second.items), one.items.commit(checked.map((result) => result.item))]);
			const again = emitted(late);
			// Whatever the second saw as new it saw before the commit: it can only be nothing.
			expect(again).toHaveLength(0);
			await two.items.commit(again.map((result) => result.item));
			expect(await one.cursors.committed(SOURCE)).toBe(`b${round}`);
		}
		await Promise.all([one.close(), two.close()]);
	}, 60_000);

	it('checks and commits 5,000 items in a handful of round trips', async () => {
		const store = await openTestPostgresStore(postgres.target());
		const { items: listed } = await listRun(store, items(5000), 'a');
		const query = jest.spyOn(Client.prototype, 'query');
		try {
			const checked = await store.items.check(listed);
			const checkTrips = query.mock.calls.length;
			query.mockClear();
			await store.items.commit(checked.map((result) => result.item));
			const commitTrips = query.mock.calls.length;
			expect(emitted(checked)).toHaveLength(5000);
			// About ten statements for the batch, plus the settling of its run (cursor, status) on commit.
			expect({ checkTrips, commitTrips }).toEqual({ checkTrips: expect.any(Number), commitTrips: expect.any(Number) });
			expect(checkTrips).toBeLessThanOrEqual(12);
			expect(commitTrips).toBeLessThanOrEqual(20);
		} finally {
			query.mockRestore();
			await store.close();
		}
	}, 60_000);

	it('takes a two-key advisory lock outside the keys n8n uses', () => {
		expect(ADVISORY_LOCK_CLASS).toBeGreaterThan(1009);
		expect(ADVISORY_LOCK_CLASS).toBeLessThan(2 ** 31);
	});

	it('names the setting and never the password when the database refuses the login', async () => {
		const target = postgres.target();
		const secret = 'not-the-password-4c1f';
		const wrong = { ...target, connection: { ...target.connection, password: secret } };
		const error = await openPostgresStore({ target: wrong }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(CacheError);
		expect(error).toMatchObject({ code: 'cache_unreachable' });
		expect(String((error as Error).message)).toContain('CONNECTORS_CACHE_URL');
		expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, cause: (error as Error).cause })).not.toContain(secret);
	});

	it('names the setting and the address, without the password, when nothing listens there', async () => {
		const secret = 'secret-9d2e';
		const error = await openPostgresStore({
			target: {
				connection: { connectionString: `postgres://n8n:${secret}@127.0.0.1:1/n8n?sslmode=disable` },
				schema: 'n8n_connectors',
				setting: 'CONNECTORS_CACHE_URL',
			},
		}).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ code: 'cache_unreachable' });
		expect((error as Error).message).toMatch(/Cannot reach .*postgres:\/\/n8n@127\.0\.0\.1:1\/n8n .*CONNECTORS_CACHE_URL/);
		expect(`${(error as Error).message}${(error as Error).stack ?? ''}`).not.toContain(secret);
	});

	it('says what permission is missing when the user may not create the schema', async () => {
		await postgres.sql(`DO $$ BEGIN CREATE ROLE reader LOGIN PASSWORD 'reader-pw'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
		await postgres.sql(`REVOKE CREATE ON DATABASE connectors FROM PUBLIC`);
		const target = postgres.target();
		const reader = { ...target, connection: { ...target.connection, user: 'reader', password: 'reader-pw' } };
		const error = await openPostgresStore({ target: reader }).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ code: 'cache_unwritable' });
		expect((error as Error).message).toMatch(/grant it CREATE on the database .*CONNECTORS_CACHE_SCHEMA/);
		expect((error as Error).message).not.toContain('reader-pw');
	});

	it('opens n8n’s own PostgreSQL in schema n8n_connectors when n8n runs on it, and names its settings when the login fails', async () => {
		const { host, port, database, user, password } = postgres.server().connection;
		const env = { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: host, DB_POSTGRESDB_PORT: String(port), DB_POSTGRESDB_DATABASE: database, DB_POSTGRESDB_USER: user, DB_POSTGRESDB_PASSWORD: password, EXECUTIONS_MODE: 'queue' };
		const store = await openStore({ env });
		try {
			expect(store.location).toBe(`postgres://${user}@${host}:${port}/${database} (schema n8n_connectors)`);
			await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive' });
			expect(await postgres.sql('SELECT source_key FROM n8n_connectors.sync_state')).toEqual([{ source_key: SOURCE }]);
		} finally {
			await store.close();
		}
		const error = await openStore({ env: { ...env, DB_POSTGRESDB_PASSWORD: 'wrong-pw-77' } }).catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(/refused the login .*DB_POSTGRESDB_\*/);
		expect((error as Error).message).not.toContain('wrong-pw-77');
	});

	it('describes where the state lives without the password', () => {
		expect(describeTarget({ connection: { connectionString: 'postgres://u:pw@db:5433/x?password=pw' }, schema: 's', setting: 'X' })).toBe(
			'postgres://u@db:5433/x (schema s)',
		);
		expect(describeTarget({ connection: { host: 'db', port: 5432, database: 'n8n', user: 'n8n', password: 'pw' }, schema: 'n8n_connectors', setting: 'X' })).toBe(
			'postgres://n8n@db:5432/n8n (schema n8n_connectors)',
		);
	});
});
