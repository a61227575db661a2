import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sharedStore } from '../../lib/store';
import { collectClosedHandles } from '../lib/store/sqlite/helpers';

/**
 * A fresh connectors' state for every test: `CONNECTORS_CACHE_PATH` in a new directory, so the
 * nodes' process-wide store opens a new file; closed and removed after the test.
 */
export function useCacheFile(): () => string {
	let directory = '';
	let previous: string | undefined;
	beforeEach(() => {
		previous = process.env.CONNECTORS_CACHE_PATH;
		directory = mkdtempSync(join(tmpdir(), 'connectors-nodes-'));
		process.env.CONNECTORS_CACHE_PATH = join(directory, 'external-connectors.sqlite');
	});
	afterEach(async () => {
		await (await sharedStore()).close();
		if (previous === undefined) delete process.env.CONNECTORS_CACHE_PATH;
		else process.env.CONNECTORS_CACHE_PATH = previous;
		rmSync(directory, { recursive: true, force: true });
	});
	// Registered after the close above, so the closed handles are collected once closed.
	collectClosedHandles();
	return () => process.env.CONNECTORS_CACHE_PATH ?? '';
}
