import { join } from 'node:path';

import { CacheError } from '../../../../lib/store';
import { openDriver, type SqliteDriver } from '../../../../lib/store/sqlite/driver';
import { CACHE_APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, migrate, schemaVersion } from '../../../../lib/store/sqlite/migrations';
import { openSqliteStore } from '../../../../lib/store/sqlite/store';
import { collectClosedHandles, DRIVERS, useTempDir } from './helpers';

collectClosedHandles();

const tableNames = (db: SqliteDriver) =>
	db
		.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
		.all()
		.map((row) => row.name);

describe.each(DRIVERS)('migrations with %s', (driverName) => {
	const tempDir = useTempDir();
	let db: SqliteDriver | undefined;
	const open = () => {
		db = openDriver(join(tempDir(), 'cache.sqlite'), { driver: driverName });
		return db;
	};
	afterEach(() => {
		db?.close();
		db = undefined;
	});

	it('brings an empty file from version 0 to the latest schema', () => {
		const fresh = open();
		expect(schemaVersion(fresh)).toBe(0);
		expect(migrate(fresh)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
		expect(schemaVersion(fresh)).toBe(LATEST_SCHEMA_VERSION);
		expect(tableNames(fresh)).toEqual([
			'claims', 'external_items', 'listed_items', 'listing_entries', 'listing_pending', 'listing_snapshots', 'run_slots', 'runs', 'source_owners', 'sync_state',
		]);
	});

	it('does nothing when an up-to-date file is opened again, and keeps its rows', () => {
		const first = open();
		migrate(first);
		first.exec("INSERT INTO sync_state (source_key, provider, created_at) VALUES ('s', 'notion', 'now')");
		first.close();
		const again = open();
		expect(migrate(again)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
		expect(again.prepare('SELECT source_key FROM sync_state').all()).toEqual([{ source_key: 's' }]);
	});

	it('upgrades a file written by an older version, running only the missing steps', () => {
		const ran: number[] = [];
		const step = (version: number, sql: string): Migration => ({
			version,
			description: `step ${version}`,
			up: (target) => {
				ran.push(version);
				target.exec(sql);
			},
		});
		const v1 = [step(1, 'CREATE TABLE a (x)')];
		const v2 = [...v1, step(2, 'ALTER TABLE a ADD COLUMN y')];
		migrate(open(), v1);
		db?.close();
		expect(migrate(open(), v2)).toEqual({ from: 1, to: 2 });
		expect(ran).toEqual([1, 2]);
		expect(db?.prepare('SELECT name FROM pragma_table_info(?)').all('a')).toEqual([{ name: 'x' }, { name: 'y' }]);
	});

	it('rolls a failing step back whole, leaving the version where it was', () => {
		const broken: Migration[] = [
			...MIGRATIONS,
			{
				version: LATEST_SCHEMA_VERSION + 1,
				description: 'half done',
				up: (target) => {
					target.exec('CREATE TABLE half_done (x)');
					throw new Error('disk gremlin');
				},
			},
		];
		const target = open();
		expect(() => migrate(target, broken)).toThrow('disk gremlin');
		expect(schemaVersion(target)).toBe(LATEST_SCHEMA_VERSION);
		expect(tableNames(target)).not.toContain('half_done');
	});

	it('refuses a file from a newer version of the package, naming the path and what to do', async () => {
		const path = join(tempDir(), 'cache.sqlite');
		const target = open();
		target.exec(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 3}`);
		target.close();
		db = undefined;
		let caught: unknown;
		try {
			await openSqliteStore({ path, driver: driverName }).close();
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(CacheError);
		expect((caught as CacheError).code).toBe('cache_too_new');
		expect((caught as CacheError).message).toContain(path);
		expect((caught as CacheError).message).toContain('update the package');
	});

	it('marks a new cache file as ours with its application id', () => {
		const fresh = open();
		migrate(fresh);
		expect(fresh.prepare('PRAGMA application_id').get()?.application_id).toBe(CACHE_APPLICATION_ID);
	});

	it('takes an unmarked file with its own tables, written before files were marked, as ours', () => {
		const old = open();
		migrate(old, MIGRATIONS.slice(0, 1));
		old.exec('PRAGMA application_id = 0');
		expect(migrate(old)).toEqual({ from: 1, to: LATEST_SCHEMA_VERSION });
		expect(old.prepare('PRAGMA application_id').get()?.application_id).toBe(CACHE_APPLICATION_ID);
	});

	it.each([
		['an unmarked database with tables of its own', (target: SqliteDriver) => target.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)'), /holds tables such as invoices/],
		['a database with another application id', (target: SqliteDriver) => target.exec('PRAGMA application_id = 1234'), /its application id is 1234/],
	])('refuses %s, adding nothing to it and naming the variable to set', async (_, prepare, reason) => {
		const path = join(tempDir(), 'cache.sqlite');
		prepare(open());
		db?.close();
		db = undefined;
		let caught: unknown;
		try {
			await openSqliteStore({ path, driver: driverName }).close();
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(CacheError);
		expect((caught as CacheError).code).toBe('cache_foreign_database');
		expect((caught as CacheError).message).toMatch(reason);
		expect((caught as CacheError).message).toContain('CONNECTORS_CACHE_PATH');
		const after = open();
		expect(tableNames(after)).not.toContain('sync_state');
		expect(schemaVersion(after)).toBe(0);
	});

	it('keeps the items of a cache written before permissions were recorded, which then learn them once', async () => {
		const path = join(tempDir(), 'cache.sqlite');
		const old = open();
		migrate(old, MIGRATIONS.slice(0, 3));
		old.exec("INSERT INTO sync_state (source_id, source_key, provider, created_at) VALUES (1, 's', 'google_drive', '2025-01-01')");
		old.exec(`INSERT INTO external_items (source_id, external_id, name, path, version, hash, last_ingested_at)
			VALUES (1, 'doc', 'a.txt', '/a.txt', '1', 'md5', '2025-01-01')`);
		db?.close();
		db = undefined;
		const store = openSqliteStore({ path, driver: driverName });
		try {
			const listed = { provider: 'google_drive', external_id: 'doc', source_key: 's', name: 'a.txt', path: '/a.txt', version: '1', hash: 'md5' };
			const [withPermissions] = await store.items.check([{ ...listed, permissions: [{ type: 'anyone', role: 'reader' }] } as never]);
			expect(withPermissions).toMatchObject({ change: 'changed', contentChanged: false, changedFields: ['permissions'] });
			const [without] = await store.items.check([listed as never]);
			expect(without.change).toBe('unchanged');
		} finally {
			await store.close();
		}
	});

	it('keeps the runs of a cache written before export notes were counted, each with none, and counts them from then on', async () => {
		const path = join(tempDir(), 'cache.sqlite');
		const old = open();
		migrate(old, MIGRATIONS.slice(0, 6));
		old.exec("INSERT INTO sync_state (source_id, source_key, provider, created_at) VALUES (1, 's', 'notion', '2025-01-01')");
		old.exec("INSERT INTO runs (id, source_id, provider, started_at, status, skipped_by_reason) VALUES (4, 1, 'notion', '2025-01-01', 'running', '{\"policy_size\":2}')");
		db?.close();
		db = undefined;
		const store = openSqliteStore({ path, driver: driverName });
		try {
			expect(await store.runs.get(4)).toMatchObject({ skippedByReason: { policy_size: 2 }, notedByReason: {} });
			await store.items.note([{ provider: 'notion', external_id: 'p', source_key: 's', run_id: 4 } as never], { code: 'markdown_forbidden' });
			expect((await store.runs.get(4))?.notedByReason).toEqual({ markdown_forbidden: 1 });
		} finally {
			await store.close();
		}
	});

	it('rejects a migration list whose versions are not 1, 2, 3…', () => {
		const gap: Migration[] = [{ version: 2, description: 'skips one', up: () => undefined }];
		expect(() => migrate(open(), gap)).toThrow('expected 1');
	});
});
