import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { microsoftGraphUrl, microsoftLoginUrl } from '../lib/settings';

export class MicrosoftOneDriveConnectorOAuth2Api implements ICredentialType {
	name = 'microsoftOneDriveConnectorOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft OneDrive Connector OAuth2 API';

	documentationUrl = 'https://learn.microsoft.com/en-us/entra/identity-platform/quickstart-register-app';

	icon: Icon = { light: 'file:../icons/oneDrive.svg', dark: 'file:../icons/oneDrive.dark.svg' };

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Tenant',
			name: 'tenantId',
			type: 'string',
			default: 'common',
			required: true,
			description:
				'Who may sign in: "common" (work, school and personal accounts), "organizations" (work and school only), or your directory (tenant) ID or domain to allow only your organisation',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `=${microsoftLoginUrl()}/{{$self["tenantId"]}}/oauth2/v2.0/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `=${microsoftLoginUrl()}/{{$self["tenantId"]}}/oauth2/v2.0/token`,
		},
		{
			// Read-only and delegated: the connector lists and downloads as the signed-in user; offline_access issues a refresh token.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'Files.Read.All Sites.Read.All offline_access User.Read',
		},
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: 'response_mode=query' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `${microsoftGraphUrl()}/v1.0`,
			url: '/me',
			qs: { $select: 'id,mail,userPrincipalName' },
		},
	};
}
