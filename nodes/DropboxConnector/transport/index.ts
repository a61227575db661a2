import { originOf } from '../../../lib/http';
import { dropboxProvider, type DropboxConnection, type DropboxSource } from '../../../lib/providers/dropbox';
import { dropboxApiUrl, dropboxContentUrl } from '../../../lib/settings';
import { authenticatedFetch } from '../../shared/authenticatedFetch';
import type { ConnectorNode } from '../../shared/connectorOperations';
import { credentialKey } from '../../shared/credentials';

export const CREDENTIAL_TYPE = 'dropboxConnectorOAuth2Api';

/**
 * The one place this node talks to Dropbox: the provider's connection over the node's credential,
 * every request signed and refreshed by n8n (retries and the breaker are the provider's).
 */
export const dropboxNode: ConnectorNode<DropboxConnection, DropboxSource> = {
	provider: dropboxProvider,
	connect(ctx) {
		const key = credentialKey(ctx, CREDENTIAL_TYPE);
		return {
			connection: dropboxProvider.connect({ fetch: authenticatedFetch(ctx, CREDENTIAL_TYPE, [originOf(dropboxApiUrl()), originOf(dropboxContentUrl())]), credentialKey: key }),
			credentialKey: key,
		};
	},
};
