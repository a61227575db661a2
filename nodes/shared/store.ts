import { sharedStore } from '../../lib/store';
import type { ConnectorStore } from '../../lib/store/types';

/** The process-wide connectors' state (CONNECTORS_CACHE_PATH, default inside n8n's user folder). */
export async function connectorStore(): Promise<ConnectorStore> {
	return await sharedStore();
}
