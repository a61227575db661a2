import { randomBytes } from 'node:crypto';

import type { FakeNotion } from '../../fakes/notionApi';
import type { CredentialFixture } from './n8n';
import { NODE_TYPES } from './paths';
import type { NodeSpec } from './workflows';

export const NOTION_API_CREDENTIAL = { id: 'notionApiCred001', name: 'Notion secret (fake)' };
export const NOTION_OAUTH2_CREDENTIAL = { id: 'notionOAuthCred1', name: 'Notion OAuth2 (fake)' };

/** The environment that points n8n's Notion clients (and the OAuth2 credential's URLs) at the fake. */
export function notionEnvironment(notion: FakeNotion): NodeJS.ProcessEnv {
	return { CONNECTORS_NOTION_API_URL: notion.url };
}

/** A Notion Connector API credential holding an internal integration secret. */
export function notionApiCredential(notion: FakeNotion, secret: string = notion.token): CredentialFixture {
	return { ...NOTION_API_CREDENTIAL, type: 'notionConnectorApi', data: { apiKey: secret } };
}

export interface NotionOAuth2Tokens {
	access_token: string;
	refresh_token: string;
}

/**
 * A connected Notion Connector OAuth2 credential, as n8n stores it after "Connect my account":
 * the public integration's client credentials and the token Notion granted.
 */
export function notionOAuth2Credential(
	notion: FakeNotion,
	tokens: NotionOAuth2Tokens = issueNotionOAuth2Tokens(notion),
): CredentialFixture {
	return {
		...NOTION_OAUTH2_CREDENTIAL,
		type: 'notionConnectorOAuth2Api',
		data: {
			clientId: notion.clientId,
			clientSecret: notion.clientSecret,
			oauthTokenData: {
				...tokens,
				token_type: 'bearer',
				bot_id: notion.bot.id,
				workspace_id: notion.workspace.id,
				workspace_name: notion.workspace.name,
			},
		},
	};
}

/** An access token and a refresh token the fake accepts, as its token endpoint would grant them. */
export function issueNotionOAuth2Tokens(notion: FakeNotion): NotionOAuth2Tokens {
	const refreshToken = `nrt_${randomBytes(20).toString('hex')}`;
	notion.seedRefreshToken(refreshToken);
	return { access_token: notion.issueToken(), refresh_token: refreshToken };
}

export const notionApiCredentials = { notionConnectorApi: NOTION_API_CREDENTIAL };
export const notionOAuth2Credentials = { notionConnectorOAuth2Api: NOTION_OAUTH2_CREDENTIAL };

/** A Notion Connector step; `authentication` picks the credential (the internal integration secret by default). */
export function notionNode(
	name: string,
	parameters: Record<string, unknown>,
	options: { authentication?: 'apiKey' | 'oAuth2'; onError?: string } = {},
): NodeSpec {
	const authentication = options.authentication ?? 'apiKey';
	return {
		name,
		type: NODE_TYPES.notionConnector,
		parameters: { authentication, ...parameters },
		credentials: authentication === 'oAuth2' ? notionOAuth2Credentials : notionApiCredentials,
		onError: options.onError,
	};
}

/** A resource locator value as the editor stores it. */
export function locator(mode: 'list' | 'url' | 'id', value: string): Record<string, unknown> {
	return { __rl: true, mode, value };
}
