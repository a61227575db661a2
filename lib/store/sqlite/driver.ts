import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type * as NodeSqlite from 'node:sqlite';

import { CacheError } from '../errors';
import { corruptCacheError, isSqliteBusy, translateSqliteError, unwritableCacheError } from './errors';
import { CACHE_FILE_NAME } from './location';

export type DriverName = 'better-sqlite3' | 'node:sqlite';
export type DriverChoice = 'auto' | DriverName;
export const DRIVER_NAMES: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

/** What both drivers bind without surprises; booleans become 0/1 and `undefined` becomes NULL. */
export type SqlParam = string | number | bigint | null | Uint8Array | boolean | undefined;
type BoundValue = string | number | bigint | null | Uint8Array;
/** A result row as a plain object (node:sqlite's null-prototype rows are copied). */
export type SqlRow = Record<string, unknown>;

export interface RunResult {
	changes: number;
	lastInsertRowid: number;
}

/** A prepared statement with positional `?` parameters only: the one syntax both drivers read alike. */
export interface PreparedStatement {
	run(...params: SqlParam[]): RunResult;
	get(...params: SqlParam[]): SqlRow | undefined;
	all(...params: SqlParam[]): SqlRow[];
	iterate(...params: SqlParam[]): IterableIterator<SqlRow>;
}

export interface SqliteDriver {
	readonly name: DriverName;
	readonly path: string;
	readonly busyTimeoutMs: number;
	exec(sql: string): void;
	prepare(sql: string): PreparedStatement;
	/** Runs `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws); nested calls join the outer transaction. */
	transaction<T>(fn: () => T): T;
	/**
	 * The same, but waits for another connection's write lock without blocking the event loop:
	 * SQLite's own busy wait would stop every timer of the n8n process for as long as it waits.
	 */
	transactionAsync<T>(fn: () => T): Promise<T>;
	readonly isClosed: boolean;
	close(): void;
}

export interface OpenDriverOptions {
	driver?: DriverChoice;
	busyTimeoutMs?: number;
	/** SQLite's page cache for this connection: a fixed cap, whatever the file's size. */
	pageCacheMb?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
export const DEFAULT_PAGE_CACHE_MB = 8;
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/** The slice of either driver's API this module calls. */
interface NativeStatement {
	run(...params: BoundValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
	get(...params: BoundValue[]): unknown;
	all(...params: BoundValue[]): unknown[];
	iterate(...params: BoundValue[]): Iterator<unknown>;
}

interface NativeDatabase {
	exec(sql: string): unknown;
	prepare(sql: string): NativeStatement;
	close(): unknown;
}

const requireOptional = createRequire(__filename);

type BetterSqlite3Constructor = typeof BetterSqlite3;
type NodeSqliteModule = typeof NodeSqlite;

/** Why better-sqlite3 cannot be used in this process, once it failed for a reason other than SQLite's. */
let betterSqlite3Failure: unknown;

function betterSqlite3Unavailable(path: string, failure: unknown): CacheError {
	return new CacheError(
		'cache_driver_unavailable',
		`The better-sqlite3 driver cannot load its native binding (${failureText(failure)}) — reinstall ` +
			"the package with install scripts enabled, or use the 'auto' driver to fall back to node:sqlite.",
		{ path, cause: failure },
	);
}

function loadNodeSqlite(): NodeSqliteModule | { failure: unknown } {
	try {
		return requireOptional('node:sqlite') as NodeSqliteModule;
	} catch (failure) {
		return { failure };
	}
}

function failureText(failure: unknown): string {
	return failure instanceof Error ? failure.message.split('\n')[0] : String(failure);
}

/**
 * better-sqlite3 is usable only when its native binding loads: a Community Nodes install runs
 * `npm install --ignore-scripts`, which leaves the package without it, and the failure shows only
 * when a database is constructed. The real file is opened straight away rather than a throwaway
 * probe: a discarded better-sqlite3 12 handle can abort Node >= 24.19 when collected (nodejs/node#65446).
 */
function nativeBetterSqlite3(path: string, busyTimeoutMs: number): NativeDatabase {
	if (betterSqlite3Failure !== undefined) throw betterSqlite3Unavailable(path, betterSqlite3Failure);
	let loaded: BetterSqlite3Constructor;
	try {
		loaded = requireOptional('better-sqlite3') as BetterSqlite3Constructor;
	} catch (failure) {
		betterSqlite3Failure = failure;
		throw betterSqlite3Unavailable(path, failure);
	}
	let database: BetterSqlite3.Database;
	try {
		database = new loaded(path, { timeout: busyTimeoutMs });
	} catch (error) {
		if (error instanceof loaded.SqliteError) throw error;
		betterSqlite3Failure = error;
		throw betterSqlite3Unavailable(path, error);
	}
	return {
		exec: (sql) => database.exec(sql),
		prepare: (sql) => database.prepare<BoundValue[]>(sql),
		close: () => database.close(),
	};
}

function nativeNodeSqlite(path: string, busyTimeoutMs: number): NativeDatabase {
	const loaded = loadNodeSqlite();
	if ('failure' in loaded) {
		throw new CacheError(
			'cache_driver_unavailable',
			`The node:sqlite driver is not available in Node.js ${process.version} (${failureText(loaded.failure)}) — ` +
				'run n8n on Node.js 22.13 or newer, or install better-sqlite3 with its install scripts.',
			{ path, cause: loaded.failure },
		);
	}
	const database = new loaded.DatabaseSync(path, { timeout: busyTimeoutMs });
	return {
		exec: (sql) => database.exec(sql),
		prepare: (sql) => database.prepare(sql),
		close: () => database.close(),
	};
}

function bind(params: SqlParam[]): BoundValue[] {
	for (let index = 0; index < params.length; index++) {
		const value = params[index];
		if (value === undefined) params[index] = null;
		else if (typeof value === 'boolean') params[index] = value ? 1 : 0;
	}
	return params as BoundValue[];
}

function toNumber(value: number | bigint): number {
	return typeof value === 'bigint' ? Number(value) : value;
}

function isRow(value: unknown): value is SqlRow {
	return typeof value === 'object' && value !== null;
}

class Statement implements PreparedStatement {
	constructor(
		private readonly native: NativeStatement,
		private readonly driver: Driver,
	) {}

	run(...params: SqlParam[]): RunResult {
		try {
			const result = this.native.run(...bind(params));
			return { changes: toNumber(result.changes), lastInsertRowid: toNumber(result.lastInsertRowid) };
		} catch (error) {
			throw this.driver.translate(error);
		}
	}

	get(...params: SqlParam[]): SqlRow | undefined {
		try {
			const row = this.native.get(...bind(params));
			return isRow(row) ? this.driver.plainRow(row) : undefined;
		} catch (error) {
			throw this.driver.translate(error);
		}
	}

	all(...params: SqlParam[]): SqlRow[] {
		try {
			return this.native.all(...bind(params)).filter(isRow).map((row) => this.driver.plainRow(row));
		} catch (error) {
			throw this.driver.translate(error);
		}
	}

	*iterate(...params: SqlParam[]): IterableIterator<SqlRow> {
		let iterator: Iterator<unknown>;
		try {
			iterator = this.native.iterate(...bind(params));
		} catch (error) {
			throw this.driver.translate(error);
		}
		let done = false;
		try {
			for (;;) {
				let next: IteratorResult<unknown>;
				try {
					next = iterator.next();
				} catch (error) {
					done = true;
					throw this.driver.translate(error);
				}
				if (next.done) {
					done = true;
					return;
				}
				if (isRow(next.value)) yield this.driver.plainRow(next.value);
			}
		} finally {
			// A caller that stops early must let go of the statement: better-sqlite3 keeps the connection busy until then.
			if (!done) iterator.return?.();
		}
	}
}

class Driver implements SqliteDriver {
	private transactionDepth = 0;
	private closed = false;
	/** Each SQL text is prepared once per connection and reused. */
	private readonly statements = new Map<string, Statement>();

	constructor(
		readonly name: DriverName,
		readonly path: string,
		readonly busyTimeoutMs: number,
		private readonly native: NativeDatabase,
	) {}

	translate(error: unknown): unknown {
		return translateSqliteError(error, this.path, this.busyTimeoutMs);
	}

	plainRow(row: SqlRow): SqlRow {
		// node:sqlite rows have a null prototype; callers expect ordinary objects.
		return Object.getPrototypeOf(row) === null ? { ...row } : row;
	}

	private assertOpen(): void {
		if (this.closed) {
			throw new CacheError('cache_closed', `Cache file ${this.path} was already closed — open it again.`, {
				path: this.path,
			});
		}
	}

	exec(sql: string): void {
		this.assertOpen();
		try {
			this.native.exec(sql);
		} catch (error) {
			throw this.translate(error);
		}
	}

	prepare(sql: string): PreparedStatement {
		this.assertOpen();
		let statement = this.statements.get(sql);
		if (statement === undefined) {
			try {
				statement = new Statement(this.native.prepare(sql), this);
			} catch (error) {
				throw this.translate(error);
			}
			this.statements.set(sql, statement);
		}
		return statement;
	}

	transaction<T>(fn: () => T): T {
		if (this.transactionDepth > 0) return fn();
		this.exec('BEGIN IMMEDIATE');
		return this.inTransaction(fn);
	}

	async transactionAsync<T>(fn: () => T): Promise<T> {
		if (this.transactionDepth > 0) return fn();
		const deadline = Date.now() + this.busyTimeoutMs;
		for (let attempt = 0; ; attempt++) {
			const busy = this.tryBegin();
			if (busy === null) return this.inTransaction(fn);
			if (Date.now() >= deadline) throw this.translate(busy);
			await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
		}
	}

	/** BEGIN IMMEDIATE without SQLite's blocking wait: null once begun, or the busy error. */
	private tryBegin(): unknown {
		this.assertOpen();
		this.native.exec('PRAGMA busy_timeout = 0');
		try {
			this.native.exec('BEGIN IMMEDIATE');
			return null;
		} catch (error) {
			if (isSqliteBusy(error)) return error;
			throw this.translate(error);
		} finally {
			this.native.exec(`PRAGMA busy_timeout = ${Math.trunc(this.busyTimeoutMs)}`);
		}
	}

	private inTransaction<T>(fn: () => T): T {
		this.transactionDepth++;
		try {
			const result = fn();
			this.exec('COMMIT');
			return result;
		} catch (error) {
			try {
				this.native.exec('ROLLBACK');
			} catch {
				// SQLite already rolled back (e.g. after SQLITE_FULL); the original error is the one to report.
			}
			throw error;
		} finally {
			this.transactionDepth--;
		}
	}

	get isClosed(): boolean {
		return this.closed;
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.native.close();
	}
}

function nodeErrorCode(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
		return error.code;
	}
	return undefined;
}

/**
 * Creates the parent directory (0700) and the file (0600) before SQLite opens it: SQLite would
 * create the file with the process umask, and the cache lists which documents a user can read.
 */
function prepareCacheFile(path: string): void {
	const directory = dirname(path);
	let header: Buffer;
	try {
		if (!existsSync(directory)) {
			mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
			chmodSync(directory, DIRECTORY_MODE);
		}
		closeSync(openSync(path, 'a', FILE_MODE));
		chmodSync(path, FILE_MODE);
		header = readHeader(path);
	} catch (error) {
		const code = nodeErrorCode(error);
		if (code === 'EISDIR') {
			throw new CacheError(
				'cache_unwritable',
				`Cache path ${path} is a directory — set CONNECTORS_CACHE_PATH to a file inside it, such as ${join(path, CACHE_FILE_NAME)}.`,
				{ path, cause: error },
			);
		}
		throw unwritableCacheError(path, error);
	}
	// Checked before SQLite opens it, so a stray file fails with advice rather than deep in a statement.
	if (header.length > 0 && !header.equals(SQLITE_HEADER.subarray(0, header.length))) {
		throw corruptCacheError(path, new Error('file is not a database: it does not start with the SQLite header'));
	}
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

function readHeader(path: string): Buffer {
	const descriptor = openSync(path, 'r');
	try {
		const header = Buffer.alloc(SQLITE_HEADER.length);
		return header.subarray(0, readSync(descriptor, header, 0, header.length, 0));
	} finally {
		closeSync(descriptor);
	}
}

function restrictCompanionFiles(path: string): void {
	for (const suffix of ['-wal', '-shm', '-journal']) {
		try {
			chmodSync(path + suffix, FILE_MODE);
		} catch {
			// Not there yet: SQLite creates them with the main file's mode.
		}
	}
}

function isInMemory(path: string): boolean {
	return path === ':memory:' || path === '';
}

function isUnavailable(error: unknown): boolean {
	return error instanceof CacheError && error.code === 'cache_driver_unavailable';
}

function openNative(path: string, choice: DriverChoice, busyTimeoutMs: number): { name: DriverName; native: NativeDatabase } {
	if (choice === 'better-sqlite3' || (choice === 'auto' && betterSqlite3Failure === undefined)) {
		try {
			return { name: 'better-sqlite3', native: nativeBetterSqlite3(path, busyTimeoutMs) };
		} catch (error) {
			if (choice === 'better-sqlite3' || !isUnavailable(error)) throw error;
		}
	}
	return { name: 'node:sqlite', native: nativeNodeSqlite(path, busyTimeoutMs) };
}

/**
 * Puts the file in WAL mode. Two processes opening a new file at once both hold a read lock while
 * asking for the exclusive one the switch needs, and SQLite answers one of them "busy" at once,
 * without waiting (it would deadlock otherwise). The other's switch lands a moment later: retry
 * until the file is in WAL mode or the busy timeout is spent.
 */
function switchToWal(driver: SqliteDriver, busyTimeoutMs: number): void {
	const deadline = Date.now() + busyTimeoutMs;
	const pause = new Int32Array(new SharedArrayBuffer(4));
	for (;;) {
		// Reading the journal mode is the first statement that touches the file: a non-database fails here.
		if (driver.prepare('PRAGMA journal_mode').get()?.journal_mode === 'wal') return;
		try {
			driver.exec('PRAGMA journal_mode = WAL');
			return;
		} catch (error) {
			if (!(error instanceof CacheError && error.code === 'cache_locked') || Date.now() >= deadline) throw error;
			Atomics.wait(pause, 0, 0, 10 + Math.random() * 20);
		}
	}
}

/**
 * Opens (creating if needed) the cache database with WAL, a busy timeout, `synchronous=NORMAL`
 * and foreign keys on. `auto` picks better-sqlite3 when its native binding loads, else node:sqlite.
 */
export function openDriver(path: string, options: OpenDriverOptions = {}): SqliteDriver {
	const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
	if (!isInMemory(path)) prepareCacheFile(path);

	let opened: { name: DriverName; native: NativeDatabase };
	try {
		opened = openNative(path, options.driver ?? 'auto', busyTimeoutMs);
	} catch (error) {
		throw translateSqliteError(error, path, busyTimeoutMs);
	}
	const { name, native } = opened;
	const driver = new Driver(name, path, busyTimeoutMs, native);
	try {
		driver.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
		if (!isInMemory(path)) switchToWal(driver, busyTimeoutMs);
		else driver.prepare('PRAGMA journal_mode').get();
		driver.exec('PRAGMA synchronous = NORMAL');
		driver.exec('PRAGMA foreign_keys = ON');
		driver.exec(`PRAGMA cache_size = -${Math.max(1, Math.floor((options.pageCacheMb ?? DEFAULT_PAGE_CACHE_MB) * 1024))}`);
	} catch (error) {
		driver.close();
		throw error;
	}
	if (!isInMemory(path)) restrictCompanionFiles(path);
	return driver;
}
