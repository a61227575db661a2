import { join } from 'node:path';

import { openStore, sharedStore } from '../../../../lib/store';
import { openDriver } from '../../../../lib/store/sqlite/driver';
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

	it("waits for another connection's write lock without stopping the event loop", async () => {
		const path = join(tempDir(), 'locked.sqlite');
		const store = await openStore({ path, driver, busyTimeoutMs: 3_000 });
		const other = openDriver(path, { driver });
		other.exec('BEGIN IMMEDIATE');
		let releasedAt = 0;
		const heldFor = 400;
		const started = Date.now();
		// Only a running event loop can fire this: a blocking wait would hold the lock past the store's timeout.
		setTimeout(() => {
			releasedAt = Date.now();
			other.exec('COMMIT');
		}, heldFor);
		try {
			const runId = await store.runs.start({ sourceKey: 'google_drive:alice@example.com:folder-1', provider: 'google_drive' });
			expect(runId).toBeGreaterThan(0);
			expect(releasedAt - started).toBeLessThan(heldFor + 250);
			expect(Date.now()).toBeGreaterThanOrEqual(releasedAt);
		} finally {
			other.close();
			await store.close();
		}
	});

	it('fails with cache_locked once the busy timeout is spent, having kept the event loop running', async () => {
		const path = join(tempDir(), 'held.sqlite');
		const store = await openStore({ path, driver, busyTimeoutMs: 300 });
		const other = openDriver(path, { driver });
		other.exec('BEGIN IMMEDIATE');
		let ticks = 0;
		const ticker = setInterval(() => ticks++, 20);
		try {
			await expect(store.runs.start({ sourceKey: 'notion:ws:page', provider: 'notion' })).rejects.toMatchObject({ code: 'cache_locked' });
			expect(ticks).toBeGreaterThanOrEqual(5);
		} finally {
			clearInterval(ticker);
			other.exec('ROLLBACK');
			other.close();
			await store.close();
		}
	});
});
