import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { driveCredentialOrigins, googleDriveProvider, type DriveConnection, type DriveSource } from '../../../lib/providers/googleDrive';
import { authenticatedFetch } from '../../shared/authenticatedFetch';
import type { ConnectorNode } from '../../shared/connectorOperations';
import { authenticationOf, credentialKey } from '../../shared/credentials';

/** The credential types, by the `authentication` value that selects them. */
export const USER_CONSENT_CREDENTIAL = 'googleDriveConnectorOAuth2Api';
export const SERVICE_ACCOUNT_CREDENTIAL = 'googleDriveConnectorServiceAccountApi';

export type DriveCredentialType = typeof USER_CONSENT_CREDENTIAL | typeof SERVICE_ACCOUNT_CREDENTIAL;

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The credential type the node's `authentication` parameter selects (OAuth2 by default, as before the choice existed). */
export function credentialTypeFor(authentication: unknown): DriveCredentialType {
	return authentication === 'serviceAccount' ? SERVICE_ACCOUNT_CREDENTIAL : USER_CONSENT_CREDENTIAL;
}

export function credentialType(ctx: RequestContext): DriveCredentialType {
	return credentialTypeFor(authenticationOf(ctx, 'oAuth2'));
}

/**
 * The one place this node talks to Google: the provider's Drive connection over the selected
 * credential, every request signed by n8n (OAuth2 refreshed by n8n; a service account's token minted
 * by its credential). Retries and the breaker are the provider's.
 */
export const googleDriveNode: ConnectorNode<DriveConnection, DriveSource> = {
	provider: googleDriveProvider,
	connect(ctx) {
		const type = credentialType(ctx);
		const key = credentialKey(ctx, type);
		return {
			connection: googleDriveProvider.connect({ fetch: authenticatedFetch(ctx, type, driveCredentialOrigins()), credentialKey: key }),
			credentialKey: key,
		};
	},
};
