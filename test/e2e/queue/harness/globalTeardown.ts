import type { QueueCluster } from './cluster';
import { RUNNING_CLUSTER } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
	const cluster = (globalThis as Record<symbol, unknown>)[RUNNING_CLUSTER] as QueueCluster | undefined;
	if (!cluster) return;
	const started = Date.now();
	const steps = Object.entries(await cluster.stop()).map(([step, seconds]) => `${step} at ${seconds} s`);
	process.stderr.write(`Queue cluster stopped in ${Math.round((Date.now() - started) / 1000)} s: ${steps.join(', ')}\n`);
}
