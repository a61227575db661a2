/**
 * The one place the provider talks to Google: the Drive client and the signed fetch behind it,
 * retried with backoff on rate limits and server errors and paused while Drive keeps failing.
 */
import { circuitBreakerFor, integrationKey, resilientFetch } from '../../http';
import { googleApiUrl } from '../../settings';
import type { ProviderResilience, ProviderTransport } from '../types';
import { createDriveClient, type DriveClient } from './client';
import { isGoogleRetryable } from './errors';

export interface DriveConnection {
	drive: DriveClient;
	/** The same signed, retried fetch, for URLs outside the API such as a file's export links. */
	signedFetch: typeof fetch;
	/** The API base URL the client talks to; export links on it are accepted beside Google's hosts. */
	apiUrl: string;
}

export const driveResilience: ProviderResilience = {
	isRetryable: isGoogleRetryable,
	// Per credential: one account's run of 429s must not pause another's.
	breakerKey: (credentialKey) => integrationKey('google_drive', credentialKey),
};

/** `apiUrl` is CONNECTORS_GOOGLE_API_URL's (Google's own by default), or a test server's. */
export function connectDrive({ fetch, credentialKey }: ProviderTransport, apiUrl = googleApiUrl()): DriveConnection {
	const signedFetch = resilientFetch(fetch, {
		isRetryable: driveResilience.isRetryable,
		breaker: circuitBreakerFor(driveResilience.breakerKey(credentialKey), { providerName: 'Google Drive' }),
	});
	return { drive: createDriveClient({ fetch: signedFetch, apiUrl }), signedFetch, apiUrl };
}
