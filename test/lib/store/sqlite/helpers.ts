import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { DriverName } from '../../../../lib/store/sqlite/driver';
import { openSqliteStore, type SqliteStoreOptions } from '../../../../lib/store/sqlite/store';

export const DRIVERS: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * better-sqlite3 12 built against Node >= 24.19 headers aborts the process when one of its closed
 * Database or Statement objects is finalised by a GC that runs outside JavaScript, e.g. after Jest
 * tore the test file down (nodejs/node#65446). Collecting them from JavaScript right after closing
 * avoids that; suites that open stores call this after each test.
 */
export function collectClosedHandles(): void {
	afterEach(() => collectGarbage());
	afterAll(() => collectGarbage());
}

/** A fresh directory per test, removed afterwards. */
export function useTempDir(): () => string {
	let directory = '';
	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'connectors-cache-'));
	});
	afterEach(() => {
		rmSync(directory, { recursive: true, force: true });
	});
	return () => directory;
}

/** A store over `cache.sqlite` in `directory`. */
export function openTestStore(directory: string, driver: DriverName, options: SqliteStoreOptions = {}) {
	return openSqliteStore({ path: join(directory, 'cache.sqlite'), driver, ...options });
}
