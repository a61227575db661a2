import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { circuitBreakerFor, resilientFetch } from '../../../lib/http';
import { createDriveClient, type DriveClient } from '../../../lib/providers/googleDrive/client';
import { isGoogleRetryable } from '../../../lib/providers/googleDrive/errors';
import { googleApiUrl } from '../../../lib/settings';
import { authenticatedFetch } from '../../shared/authenticatedFetch';

export const CREDENTIAL_TYPE = 'googleDriveConnectorOAuth2Api';

/**
 * The one place this node talks to Google: the Drive client, signed and
 * refreshed by n8n, retried with backoff on rate limits and server errors, and
 * paused (per process) when Drive keeps failing.
 */
export function driveClient(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	fetch: typeof globalThis.fetch = signedDriveFetch(ctx),
): DriveClient {
	return createDriveClient({ fetch, apiUrl: googleApiUrl() });
}

/** The signed, retrying fetch itself, e.g. for a file's export links. */
export function signedDriveFetch(ctx: IExecuteFunctions | ILoadOptionsFunctions): typeof fetch {
	return resilientFetch(authenticatedFetch(ctx, CREDENTIAL_TYPE), {
		isRetryable: isGoogleRetryable,
		breaker: circuitBreakerFor('google_drive', { providerName: 'Google Drive' }),
	});
}
