import { RUN_SLOT_TTL_MS } from '../store/constants';
import { concurrentRunsError, type OrgPolicy } from '../policy';
import type { ProviderId } from '../providers/types';
import type { ConnectorStore } from '../store/types';

/**
 * Takes one of ORG_CONNECTORS_MAX_CONCURRENT_RUNS slots for the provider, across executions and n8n
 * processes sharing the store, and keeps it renewed while the node runs. Throws a clear error when
 * none is free. The nodes of one execution share its slot. Call the returned release() in a finally.
 */
export async function acquireRunSlot(
	store: ConnectorStore,
	provider: ProviderId,
	executionId: string,
	policy: OrgPolicy,
): Promise<() => Promise<void>> {
	const limit = policy.maxConcurrentRuns;
	if (limit === null) return async () => undefined;
	const result = await store.slots.acquire({ provider, executionId, limit });
	if (!result.acquired) throw concurrentRunsError(policy, provider, result.holders);
	const heartbeat = setInterval(() => {
		// A busy store skips one renewal; the next one (well within the slot's lifetime) catches up.
		store.slots.renew(provider, executionId).catch(() => undefined);
	}, RUN_SLOT_TTL_MS / 4);
	heartbeat.unref();
	let released = false;
	return async () => {
		if (released) return;
		released = true;
		clearInterval(heartbeat);
		await store.slots.release(provider, executionId);
	};
}
