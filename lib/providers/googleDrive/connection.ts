/**
 * The one place the provider talks to Google: the Drive client and the signed fetch behind it,
 * retried with backoff on rate limits and server errors and paused while Drive keeps failing.
 */
import { adaptiveConcurrencyFor, circuitBreakerFor, integrationKey, resilientFetch, type AdaptiveConcurrency } from '../../http';
import { googleApiUrl, googleSheetsApiUrl } from '../../settings';
import type { ProviderResilience, ProviderTransport } from '../types';
import { createDriveClient, type DriveClient } from './client';
import { isGoogleRetryable } from './errors';

export interface DriveConnection {
	drive: DriveClient;
	/** The same signed, retried fetch, for URLs outside the API such as a file's export links. */
	signedFetch: typeof fetch;
	/** The API base URL the client talks to; export links on it are accepted beside Google's hosts. */
	apiUrl: string;
	/** The Sheets API base URL, which reads every tab of a workbook (same signed fetch). */
	sheetsUrl: string;
	/** Downloads at once for this credential: halved on Drive's rate limits, grown again on successes. */
	downloads: AdaptiveConcurrency;
}

/**
 * Drive's per-user quota (12,000 queries a minute) sustains a few dozen downloads at once: the
 * adaptive limit starts at the cap of 32 (the node's Parallel Downloads, 16 by default, binds
 * first) and only a rate limit brings it down.
 */
export const DRIVE_DOWNLOADS = { initial: 32, max: 32 } as const;

export const driveResilience: ProviderResilience = {
	isRetryable: isGoogleRetryable,
	// Per credential: one account's run of 429s must not pause another's.
	breakerKey: (credentialKey) => integrationKey('google_drive', credentialKey),
};

/**
 * `apiUrl` is CONNECTORS_GOOGLE_API_URL's (Google's own by default), or a test server's; Sheets
 * requests go to Google's Sheets host with Google's own API, else to that same server.
 */
export function connectDrive(
	{ fetch, credentialKey }: ProviderTransport,
	apiUrl = googleApiUrl(),
	sheetsUrl = apiUrl === googleApiUrl() ? googleSheetsApiUrl() : apiUrl,
): DriveConnection {
	const key = driveResilience.breakerKey(credentialKey);
	const downloads = adaptiveConcurrencyFor(key, DRIVE_DOWNLOADS);
	const signedFetch = resilientFetch(fetch, {
		isRetryable: driveResilience.isRetryable,
		breaker: circuitBreakerFor(key, { providerName: 'Google Drive' }),
		// Only rate limits reach here as 403s (isGoogleRetryable): each one tells the downloads to slow down.
		onRetry: ({ status, startedAt }) => {
			if (status === 429 || status === 403) downloads.backOff(startedAt);
		},
	});
	return { drive: createDriveClient({ fetch: signedFetch, apiUrl }), signedFetch, downloads, apiUrl, sheetsUrl: sheetsUrl.replace(/\/+$/, '') };
}
