import { originOf } from '../../../lib/http';
import { microsoftGraphUrl } from '../../../lib/settings';
import { oneDriveProvider, type OneDriveConnection, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { authenticatedFetch } from '../../shared/authenticatedFetch';
import type { ConnectorNode } from '../../shared/connectorOperations';
import { credentialKey } from '../../shared/credentials';

export const CREDENTIAL_TYPE = 'microsoftOneDriveConnectorOAuth2Api';

/**
 * The one place this node talks to Microsoft: the provider's Graph connection over the node's
 * credential, every request signed and refreshed by n8n (retries and the breaker are the provider's).
 */
export const oneDriveNode: ConnectorNode<OneDriveConnection, OneDriveSource> = {
	provider: oneDriveProvider,
	connect(ctx) {
		const key = credentialKey(ctx, CREDENTIAL_TYPE);
		return {
			connection: oneDriveProvider.connect({ fetch: authenticatedFetch(ctx, CREDENTIAL_TYPE, [originOf(microsoftGraphUrl())]), credentialKey: key }),
			credentialKey: key,
		};
	},
};
