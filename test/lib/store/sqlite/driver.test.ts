import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CacheError } from '../../../../lib/store';
import { openDriver, type SqliteDriver } from '../../../../lib/store/sqlite/driver';
import { openSqliteStore } from '../../../../lib/store/sqlite/store';
import { collectClosedHandles, DRIVERS, useTempDir } from './helpers';

collectClosedHandles();

const mode = (path: string) => statSync(path).mode & 0o777;

function expectCacheError(action: () => unknown, code: CacheError['code'], ...fragments: string[]): CacheError {
	let caught: unknown;
	try {
		action();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(CacheError);
	const error = caught as CacheError;
	expect(error.code).toBe(code);
	for (const fragment of fragments) expect(error.message).toContain(fragment);
	return error;
}

describe.each(DRIVERS)('openDriver with %s', (driverName) => {
	const tempDir = useTempDir();
	const opened: SqliteDriver[] = [];
	const open = (path: string, busyTimeoutMs?: number) => {
		const db = openDriver(path, { driver: driverName, busyTimeoutMs });
		opened.push(db);
		return db;
	};
	afterEach(() => {
		while (opened.length > 0) opened.pop()?.close();
	});

	it('reports which driver it opened', () => {
		expect(open(join(tempDir(), 'c.sqlite')).name).toBe(driverName);
	});

	it('turns on WAL, the busy timeout, synchronous=NORMAL, foreign keys and a fixed page cache', () => {
		const db = open(join(tempDir(), 'c.sqlite'), 1234);
		expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
		expect(db.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: 1234 });
		expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
		expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
		expect(db.prepare('PRAGMA cache_size').get()).toEqual({ cache_size: -8 * 1024 });
	});

	it('sizes the page cache as asked', () => {
		const db = openDriver(join(tempDir(), 'c.sqlite'), { driver: driverName, pageCacheMb: 32 });
		opened.push(db);
		expect(db.prepare('PRAGMA cache_size').get()).toEqual({ cache_size: -32 * 1024 });
	});

	it('creates the file 0600 and a missing parent directory 0700', () => {
		const path = join(tempDir(), 'nested', 'deeper', 'c.sqlite');
		const db = open(path);
		db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
		expect(mode(path)).toBe(0o600);
		expect(mode(join(tempDir(), 'nested', 'deeper'))).toBe(0o700);
		expect(mode(`${path}-wal`)).toBe(0o600);
		expect(mode(`${path}-shm`)).toBe(0o600);
	});

	it('tightens an existing cache file that others could read', () => {
		const path = join(tempDir(), 'c.sqlite');
		writeFileSync(path, '');
		chmodSync(path, 0o644);
		open(path);
		expect(mode(path)).toBe(0o600);
	});

	it('returns rows as plain objects and binds booleans as 0/1 and undefined as NULL', () => {
		const db = open(join(tempDir(), 'c.sqlite'));
		db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER, note TEXT)');
		const insert = db.prepare('INSERT INTO t (flag, note) VALUES (?, ?)');
		expect(insert.run(true, undefined)).toEqual({ changes: 1, lastInsertRowid: 1 });
		expect(insert.run(false, 'x')).toEqual({ changes: 1, lastInsertRowid: 2 });
		const row = db.prepare('SELECT flag, note FROM t WHERE id = ?').get(1);
		// Prototype identity differs across Jest's realms; what matters is that rows behave like objects.
		expect(Object.getPrototypeOf(row)).not.toBeNull();
		expect(Object.prototype.hasOwnProperty.call(row, 'flag')).toBe(true);
		expect(row).toEqual({ flag: 1, note: null });
		expect(db.prepare('SELECT flag FROM t ORDER BY id').all()).toEqual([{ flag: 1 }, { flag: 0 }]);
		expect([...db.prepare('SELECT id FROM t ORDER BY id').iterate()]).toEqual([{ id: 1 }, { id: 2 }]);
		expect(db.prepare('SELECT flag FROM t WHERE id = ?').get(99)).toBeUndefined();
	});

	it('commits a transaction, rolls it back when the callback throws, and lets nested calls join it', () => {
		const db = open(join(tempDir(), 'c.sqlite'));
		db.exec('CREATE TABLE t (x)');
		const insert = db.prepare('INSERT INTO t VALUES (?)');
		db.transaction(() => {
			insert.run(1);
			db.transaction(() => insert.run(2));
		});
		expect(() =>
			db.transaction(() => {
				insert.run(3);
				throw new Error('downstream failed');
			}),
		).toThrow('downstream failed');
		expect(db.prepare('SELECT x FROM t ORDER BY x').all()).toEqual([{ x: 1 }, { x: 2 }]);
	});

	it('names the path and says what to do when the file is not a database', () => {
		const path = join(tempDir(), 'c.sqlite');
		writeFileSync(path, 'this is a text file, not SQLite '.repeat(200));
		const error = expectCacheError(() => open(path), 'cache_corrupt', path, 'move it away', 'CONNECTORS_CACHE_PATH');
		expect(error.path).toBe(path);
	});

	it('reports a file with a SQLite header but damaged pages as corrupt once it is read', () => {
		const path = join(tempDir(), 'c.sqlite');
		const damaged = Buffer.alloc(8192, 0x41);
		Buffer.from('SQLite format 3\u0000', 'latin1').copy(damaged);
		writeFileSync(path, damaged);
		expectCacheError(() => openSqliteStore({ path, driver: driverName }).close(), 'cache_corrupt', path, 'move it away');
	});

	it('names the path and says what to do when the directory cannot be created', () => {
		const blocker = join(tempDir(), 'a-file');
		writeFileSync(blocker, '');
		const path = join(blocker, 'c.sqlite');
		expectCacheError(() => open(path), 'cache_unwritable', path, 'CONNECTORS_CACHE_PATH');
	});

	it('says to point at a file when the path is a directory', () => {
		const path = join(tempDir(), 'a-directory');
		mkdirSync(path);
		expectCacheError(() => open(path), 'cache_unwritable', path, 'is a directory');
	});

	it('reports a lock held past the busy timeout as cache_locked, naming the path', () => {
		const path = join(tempDir(), 'c.sqlite');
		const holder = open(path);
		holder.exec('CREATE TABLE t (x)');
		holder.exec('BEGIN IMMEDIATE');
		const waiter = open(path, 100);
		const started = Date.now();
		expectCacheError(() => waiter.transaction(() => undefined), 'cache_locked', path, '100 ms', 'retry');
		expect(Date.now() - started).toBeGreaterThanOrEqual(90);
		holder.exec('ROLLBACK');
		expect(waiter.transaction(() => 'free again')).toBe('free again');
	});

	it('refuses statements after close with a clear error', () => {
		const db = openDriver(join(tempDir(), 'c.sqlite'), { driver: driverName });
		db.close();
		expectCacheError(() => db.exec('SELECT 1'), 'cache_closed', 'open it again');
	});

	it('opens an in-memory database without touching the file system', () => {
		const db = open(':memory:');
		expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
		expect(existsSync(join(process.cwd(), ':memory:'))).toBe(false);
	});
});

describe('openDriver driver choice', () => {
	const tempDir = useTempDir();

	it('picks better-sqlite3 under auto when its native binding loads', () => {
		const db = openDriver(join(tempDir(), 'c.sqlite'));
		expect(db.name).toBe('better-sqlite3');
		db.close();
	});
});
