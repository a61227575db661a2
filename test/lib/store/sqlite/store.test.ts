import { join } from 'node:path';

import { openStore, sharedStore } from '../../../../lib/store';
import { collectClosedHandles, DRIVERS, useTempDir } from './helpers';

collectClosedHandles();

describe.each(DRIVERS)('the SQLite store with %s', (driver) => {
	const tempDir = useTempDir();

	it('reports which driver it uses and where its file is', async () => {
		const path = join(tempDir(), 'cache.sqlite');
		const store = await openStore({ path, driver });
		expect(store.driver).toBe(driver);
		expect(store.location).toBe(path);
		await store.close();
	});

	it('shares one open store per file across callers, and opens a fresh one after close', async () => {
		const path = join(tempDir(), 'shared.sqlite');
		const first = await sharedStore({ path, driver });
		expect(await sharedStore({ path, driver })).toBe(first);
		await first.close();
		const reopened = await sharedStore({ path, driver });
		expect(reopened).not.toBe(first);
		await reopened.close();
	});
});
