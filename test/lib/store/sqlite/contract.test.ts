import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DriverName } from '../../../../lib/store/sqlite/driver';
import { describeStoreContract, type StoreUnderTest } from '../contract';
import { collectClosedHandles, DRIVERS, openTestStore } from './helpers';

collectClosedHandles();

/** Each test gets a cache file of its own in a fresh directory. */
function sqliteUnderTest(driver: DriverName): StoreUnderTest {
	let directory = '';
	return {
		setUp: () => {
			directory = mkdtempSync(join(tmpdir(), 'connectors-cache-'));
		},
		open: async (settings) => openTestStore(directory, driver, settings),
		tearDown: () => rmSync(directory, { recursive: true, force: true }),
	};
}

for (const driver of DRIVERS) describeStoreContract(`SQLite (${driver})`, sqliteUnderTest(driver));
