import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT, runScript } from '../../harness/paths';
import { CLUSTER_ENV, QueueCluster } from './cluster';

/** Where the global teardown, in the same process, finds what the setup started. */
export const RUNNING_CLUSTER = Symbol.for('connectors.queueCluster');

/**
 * Once for all queue-mode tests: PostgreSQL, Redis, an n8n main and two
 * workers. Starting them costs about a minute, so the test files share them
 * (one file at a time, see QueueSession).
 */
export default async function globalSetup(): Promise<void> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist/nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` before the queue tests (scripts/dev.sh test does).');
	}
	const started = Date.now();
	const n8nBin = runScript('ensure-n8n.sh');
	const cluster = await QueueCluster.start(n8nBin);
	(globalThis as Record<symbol, unknown>)[RUNNING_CLUSTER] = cluster;
	process.env[CLUSTER_ENV] = JSON.stringify(cluster.describe());
	// The e2e harness's CLI (N8nInstance) runs this n8n.
	process.env.CONNECTORS_E2E_N8N_BIN = n8nBin;
	const steps = Object.entries(cluster.startTimings).map(([step, seconds]) => `${step} at ${seconds} s`);
	process.stderr.write(`\nQueue cluster (PostgreSQL, Redis, n8n main and 2 workers) up in ${Math.round((Date.now() - started) / 1000)} s: ${steps.join(', ')}\n`);
}
