import { driveCredentialOrigins, googleDriveProvider, type DriveConnection, type DriveSource } from '../../../lib/providers/googleDrive';
import { authenticatedFetch } from '../../shared/authenticatedFetch';
import type { ConnectorNode } from '../../shared/connectorOperations';
import { credentialKey } from '../../shared/credentials';

export const CREDENTIAL_TYPE = 'googleDriveConnectorOAuth2Api';

/**
 * The one place this node talks to Google: the provider's Drive connection over the node's
 * credential, every request signed and refreshed by n8n (retries and the breaker are the provider's).
 */
export const googleDriveNode: ConnectorNode<DriveConnection, DriveSource> = {
	provider: googleDriveProvider,
	connect(ctx) {
		const key = credentialKey(ctx, CREDENTIAL_TYPE);
		return {
			connection: googleDriveProvider.connect({ fetch: authenticatedFetch(ctx, CREDENTIAL_TYPE, driveCredentialOrigins()), credentialKey: key }),
			credentialKey: key,
		};
	},
};
