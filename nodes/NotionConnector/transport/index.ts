import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { originOf } from '../../../lib/http';
import { notionProvider, type NotionConnection, type NotionSource } from '../../../lib/providers/notion';
import { notionApiUrl } from '../../../lib/settings';
import { authenticatedFetch } from '../../shared/authenticatedFetch';
import type { ConnectorNode } from '../../shared/connectorOperations';
import { authenticationOf, credentialKey } from '../../shared/credentials';

/** The credential types, by the `authentication` value that selects them. */
export const INTEGRATION_SECRET_CREDENTIAL = 'notionConnectorApi';
export const PUBLIC_INTEGRATION_CREDENTIAL = 'notionConnectorOAuth2Api';

export type NotionCredentialType = typeof INTEGRATION_SECRET_CREDENTIAL | typeof PUBLIC_INTEGRATION_CREDENTIAL;

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The credential type the node's `authentication` parameter selects (an internal integration secret by default). */
export function credentialTypeFor(authentication: unknown): NotionCredentialType {
	return authentication === 'oAuth2' ? PUBLIC_INTEGRATION_CREDENTIAL : INTEGRATION_SECRET_CREDENTIAL;
}

export function credentialType(ctx: RequestContext): NotionCredentialType {
	return credentialTypeFor(authenticationOf(ctx, 'apiKey'));
}

/**
 * The one place this node talks to Notion: the provider's client over the selected credential,
 * every request signed (and, for OAuth2, refreshed and saved) by n8n. All executions using one
 * credential share one throttle (Notion's ~3 requests per second per integration) and one breaker.
 */
export const notionNode: ConnectorNode<NotionConnection, NotionSource> = {
	provider: notionProvider,
	connect(ctx) {
		const type = credentialType(ctx);
		const key = credentialKey(ctx, type);
		return { connection: notionProvider.connect({ fetch: authenticatedFetch(ctx, type, [originOf(notionApiUrl())]), credentialKey: key }), credentialKey: key };
	},
};
