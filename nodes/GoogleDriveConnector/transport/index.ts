import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { googleDriveProvider, type DriveConnection } from '../../../lib/providers/googleDrive';
import { authenticatedFetch, credentialKey } from '../../shared/authenticatedFetch';

export const CREDENTIAL_TYPE = 'googleDriveConnectorOAuth2Api';

/**
 * The one place this node talks to Google: the provider's connection over requests signed and
 * refreshed by n8n for the node's credential.
 */
export function driveConnection(ctx: IExecuteFunctions | ILoadOptionsFunctions): DriveConnection {
	return googleDriveProvider.connect({ fetch: authenticatedFetch(ctx, CREDENTIAL_TYPE), credentialKey: credentialKey(ctx, CREDENTIAL_TYPE) });
}
