/** SQLite's failures as CacheErrors that name the file and say what to do next. */
import { CacheError } from '../errors';

/** The SQLite result-code families the cache treats differently. */
type SqliteFailure = 'busy' | 'corrupt' | 'unwritable' | 'full';

// Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
const FAILURE_BY_PRIMARY_CODE: ReadonlyMap<number, SqliteFailure> = new Map([
	[3, 'unwritable'], // SQLITE_PERM
	[5, 'busy'], // SQLITE_BUSY
	[6, 'busy'], // SQLITE_LOCKED
	[8, 'unwritable'], // SQLITE_READONLY
	[10, 'unwritable'], // SQLITE_IOERR
	[11, 'corrupt'], // SQLITE_CORRUPT
	[13, 'full'], // SQLITE_FULL
	[14, 'unwritable'], // SQLITE_CANTOPEN
	[26, 'corrupt'], // SQLITE_NOTADB
]);

const FAILURE_BY_CODE_NAME: ReadonlyMap<string, SqliteFailure> = new Map([
	['SQLITE_PERM', 'unwritable'],
	['SQLITE_BUSY', 'busy'],
	['SQLITE_LOCKED', 'busy'],
	['SQLITE_READONLY', 'unwritable'],
	['SQLITE_IOERR', 'unwritable'],
	['SQLITE_CORRUPT', 'corrupt'],
	['SQLITE_FULL', 'full'],
	['SQLITE_CANTOPEN', 'unwritable'],
	['SQLITE_NOTADB', 'corrupt'],
]);

function hasProperty<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
	return typeof value === 'object' && value !== null && key in value;
}

/** SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock. */
export function isSqliteBusy(error: unknown): boolean {
	return sqliteFailure(error) === 'busy';
}

/** Reads the failure family from a better-sqlite3 (`code: 'SQLITE_BUSY'`) or node:sqlite (`errcode: 5`) error. */
function sqliteFailure(error: unknown): SqliteFailure | undefined {
	if (hasProperty(error, 'errcode') && typeof error.errcode === 'number') {
		return FAILURE_BY_PRIMARY_CODE.get(error.errcode & 0xff);
	}
	if (hasProperty(error, 'code') && typeof error.code === 'string' && error.code.startsWith('SQLITE_')) {
		const primary = error.code.split('_').slice(0, 2).join('_');
		return FAILURE_BY_CODE_NAME.get(primary);
	}
	return undefined;
}

function detailOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export function corruptCacheError(path: string, cause: unknown): CacheError {
	return new CacheError(
		'cache_corrupt',
		`Cache file ${path} is not a valid SQLite database (${detailOf(cause)}) — move it away or set ` +
			'CONNECTORS_CACHE_PATH to a new file; the next run re-imports everything.',
		{ path, cause },
	);
}

export function lockedCacheError(path: string, busyTimeoutMs: number, cause: unknown): CacheError {
	return new CacheError(
		'cache_locked',
		`Cache file ${path} stayed locked by another execution for more than ${busyTimeoutMs} ms — retry the ` +
			'execution; if it keeps happening, check that no other program holds the file open or raise the busy timeout.',
		{ path, cause },
	);
}

export function unwritableCacheError(path: string, cause: unknown): CacheError {
	return new CacheError(
		'cache_unwritable',
		`Cannot write the cache file ${path} (${detailOf(cause)}) — make its directory writable for the user ` +
			'n8n runs as, or set CONNECTORS_CACHE_PATH to a writable location.',
		{ path, cause },
	);
}

function fullDiskCacheError(path: string, cause: unknown): CacheError {
	return new CacheError(
		'cache_unwritable',
		`Cannot write the cache file ${path}: the disk is full (${detailOf(cause)}) — free some space, or set ` +
			'CONNECTORS_CACHE_PATH to a file on another disk.',
		{ path, cause },
	);
}

/** Turns a driver error into a `CacheError` naming the file; errors the cache has no advice for pass through. */
export function translateSqliteError(error: unknown, path: string, busyTimeoutMs: number): unknown {
	if (error instanceof CacheError) return error;
	switch (sqliteFailure(error)) {
		case 'busy':
			return lockedCacheError(path, busyTimeoutMs, error);
		case 'corrupt':
			return corruptCacheError(path, error);
		case 'unwritable':
			return unwritableCacheError(path, error);
		case 'full':
			return fullDiskCacheError(path, error);
		default:
			return error;
	}
}
