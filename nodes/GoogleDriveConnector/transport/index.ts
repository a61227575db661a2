import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { createDriveClient, type DriveClient } from '../../../lib/providers/googleDrive/client';
import { googleApiUrl } from '../../../lib/settings';
import { authenticatedFetch } from '../../shared/authenticatedFetch';

export const CREDENTIAL_TYPE = 'googleDriveConnectorOAuth2Api';

/** The one place this node talks to Google: the Drive client, signed and refreshed by n8n. */
export function driveClient(ctx: IExecuteFunctions | ILoadOptionsFunctions): DriveClient {
	return createDriveClient({ fetch: authenticatedFetch(ctx, CREDENTIAL_TYPE), apiUrl: googleApiUrl() });
}
