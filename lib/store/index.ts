/**
 * The connectors' state behind ConnectorStore. For now the SQLite cache behind the asynchronous
 * interface; the store modules replace this adapter.
 */
import { openConnectorCache, sharedConnectorCache, type ConnectorCache, type ConnectorCacheOptions } from '../cache';
import type { ConnectorStore } from './types';

export * from './types';

export function storeOver(cache: ConnectorCache): ConnectorStore {
	return {
		location: cache.path,
		driver: cache.driverName,
		runs: {
			start: async (input) => cache.startRun(input),
			finish: async (runId, input) => cache.finishRun(runId, input),
			get: async (runId) => cache.getRun(runId),
		},
		cursors: {
			committed: async (sourceKey) => cache.getCommittedCursor(sourceKey),
			propose: async (runId, sourceKey, cursor, options) => cache.proposeCursor(runId, sourceKey, cursor, options),
			providerState: async (sourceKey) => cache.getProviderState(sourceKey),
			updateProviderState: async (sourceKey, provider, update) =>
				cache.setProviderState(sourceKey, provider, update(cache.getProviderState(sourceKey))),
		},
		items: {
			check: async (items, options) => cache.check(items, options),
			commit: async (items, options) => cache.commit(items, options),
			release: async (items, options) => cache.release(items, options),
		},
		slots: {
			acquire: async (input) => cache.acquireRunSlot(input),
			renew: async (provider, executionId) => cache.renewRunSlot(provider, executionId),
			release: async (provider, executionId) => cache.releaseRunSlot(provider, executionId),
			holders: async (provider) => cache.runSlots(provider),
		},
		status: async (sourceKey) => cache.status(sourceKey),
		forget: async (sourceKey) => cache.forget(sourceKey),
		close: async () => cache.close(),
	};
}

export function openStore(options: ConnectorCacheOptions = {}): ConnectorStore {
	return storeOver(openConnectorCache(options));
}

/** The process-wide store at CONNECTORS_CACHE_PATH (default inside n8n's user folder). */
export function sharedStore(options: ConnectorCacheOptions = {}): ConnectorStore {
	return storeOver(sharedConnectorCache(options));
}
