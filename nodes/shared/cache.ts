import { sharedConnectorCache, type ConnectorCache } from '../../lib/cache';

/** The process-wide cache at CONNECTORS_CACHE_PATH (default inside n8n's user folder). */
export function connectorCache(): ConnectorCache {
	return sharedConnectorCache();
}
