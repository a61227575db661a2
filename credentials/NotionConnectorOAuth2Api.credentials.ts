import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { NOTION_API_VERSION, notionApiUrl } from '../lib/settings';

export class NotionConnectorOAuth2Api implements ICredentialType {
	name = 'notionConnectorOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Notion Connector OAuth2 API';

	documentationUrl = 'https://developers.notion.com/docs/authorization#public-integration-auth-flow-set-up';

	icon: Icon = { light: 'file:../icons/notion.svg', dark: 'file:../icons/notion.dark.svg' };

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `${notionApiUrl()}/v1/oauth/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `${notionApiUrl()}/v1/oauth/token`,
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: 'owner=user' },
		{
			// Notion wants the client id and secret in a Basic header on the token request.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: notionApiUrl(),
			url: '/v1/users/me',
			headers: { 'Notion-Version': NOTION_API_VERSION },
		},
	};
}
