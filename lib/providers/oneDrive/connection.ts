/**
 * The one place the provider talks to Microsoft: Graph over the signed fetch, retried with backoff
 * on 429/503 (honouring Retry-After), other 5xx and dropped connections, and paused by a circuit
 * breaker while Graph keeps failing for the credential.
 */
import { circuitBreakerFor, integrationKey, resilientFetch } from '../../http';
import { microsoftGraphUrl } from '../../settings';
import type { ProviderResilience, ProviderTransport } from '../types';
import { isGraphRetryable } from './errors';
import { GraphClient } from './graph';

export interface OneDriveConnection {
	graph: GraphClient;
}

export const oneDriveResilience: ProviderResilience = {
	isRetryable: isGraphRetryable,
	// Graph throttles per user and app: one credential's 429s must not pause another's.
	breakerKey: (credentialKey) => integrationKey('onedrive', credentialKey),
};

/** `graphUrl` is CONNECTORS_MICROSOFT_GRAPH_URL's (Microsoft's own by default), or a test server's. */
export function connectOneDrive({ fetch, credentialKey }: ProviderTransport, graphUrl = microsoftGraphUrl()): OneDriveConnection {
	const signedFetch = resilientFetch(fetch, {
		isRetryable: oneDriveResilience.isRetryable,
		breaker: circuitBreakerFor(oneDriveResilience.breakerKey(credentialKey), { providerName: 'OneDrive' }),
	});
	return { graph: new GraphClient(signedFetch, `${graphUrl.replace(/\/+$/, '')}/v1.0`) };
}
