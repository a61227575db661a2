import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { ConnectorItem } from '../../../lib/items';
import { type ConnectorCacheOptions, type DriverName, openConnectorCache } from '../../../lib/cache';

export const DRIVERS: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

export const SOURCE = 'google_drive:alice@example.com:folder-1';
export const OTHER_SOURCE = 'notion:workspace-9:page-2';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * better-sqlite3 12 built against Node >= 24.19 headers aborts the process when one of its closed
 * Database or Statement objects is finalised by a GC that runs outside JavaScript, e.g. after Jest
 * tore the test file down (nodejs/node#65446). Collecting them from JavaScript right after closing
 * avoids that; suites that open caches call this after each test.
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

export function item(externalId: string, overrides: Partial<ConnectorItem> = {}): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: externalId,
		source_key: SOURCE,
		name: `${externalId}.txt`,
		path: `/docs/${externalId}.txt`,
		parents: ['folder-1'],
		mime: 'text/plain',
		size: 100,
		modified_at: '2025-01-01T10:00:00.000Z',
		created_at: '2024-12-01T10:00:00.000Z',
		version: '1',
		hash: `md5-${externalId}-1`,
		url: `https://drive.google.com/file/d/${externalId}/view`,
		change: 'upsert',
		...overrides,
	};
}

export function items(count: number, overrides: Partial<ConnectorItem> = {}): ConnectorItem[] {
	return Array.from({ length: count }, (_, index) => item(`file-${index}`, overrides));
}

/** A clock tests move by hand, for lease expiry. */
export function manualClock(start = Date.parse('2025-03-01T12:00:00.000Z')) {
	let now = start;
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

export function openTestCache(directory: string, driver: DriverName, options: ConnectorCacheOptions = {}) {
	return openConnectorCache({ path: join(directory, 'cache.sqlite'), driver, ...options });
}
