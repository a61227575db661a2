import { sharedStore, type ConnectorStore } from '../../lib/store';

/** The process-wide store at CONNECTORS_CACHE_PATH (default inside n8n's user folder). */
export async function connectorStore(): Promise<ConnectorStore> {
	return await sharedStore();
}
