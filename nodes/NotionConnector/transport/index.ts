import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { notionProvider, type NotionConnection } from '../../../lib/providers/notion';
import { authenticatedFetch } from '../../shared/authenticatedFetch';

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
	// `authentication` is not per item: one credential serves the whole execution.
	const authentication = isExecute(ctx)
		? ctx.getNodeParameter('authentication', 0, 'apiKey')
		: ctx.getNodeParameter('authentication', 'apiKey');
	return credentialTypeFor(authentication);
}

function isExecute(ctx: RequestContext): ctx is IExecuteFunctions {
	return typeof (ctx as IExecuteFunctions).getInputData === 'function';
}

/**
 * Which Notion integration the node speaks as, without its secret: the n8n
 * credential's id. All executions using that credential share one throttle
 * (Notion's ~3 requests per second per integration) and one circuit breaker.
 */
export function credentialIdentity(ctx: RequestContext, type: string): string {
	const credential = ctx.getNode().credentials?.[type];
	return `${type}:${credential?.id ?? credential?.name ?? 'unnamed'}`;
}

/**
 * The one place this node talks to Notion: the provider's connection, with every request
 * signed (and, for OAuth2, refreshed and saved) by n8n for the selected credential.
 */
export function notionConnectorClient(ctx: RequestContext): NotionConnection {
	const type = credentialType(ctx);
	return notionProvider.connect({ fetch: authenticatedFetch(ctx, type), credentialKey: credentialIdentity(ctx, type) });
}
