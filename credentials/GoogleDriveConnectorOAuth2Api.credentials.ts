import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { googleApiUrl } from '../lib/settings';

export class GoogleDriveConnectorOAuth2Api implements ICredentialType {
	name = 'googleDriveConnectorOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Google Drive Connector OAuth2 API';

	documentationUrl = 'https://developers.google.com/workspace/drive/api/guides/api-specific-auth';

	icon: Icon = { light: 'file:../icons/googleDrive.svg', dark: 'file:../icons/googleDrive.dark.svg' };

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://accounts.google.com/o/oauth2/v2/auth',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://oauth2.googleapis.com/token',
		},
		{
			// Read-only: the connector lists and downloads, it never writes to Drive.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'https://www.googleapis.com/auth/drive.readonly',
		},
		{
			// offline + consent: Google issues a refresh token, so scheduled runs keep working.
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'access_type=offline&prompt=consent',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: googleApiUrl(),
			url: '/drive/v3/about',
			qs: { fields: 'user(emailAddress,displayName)' },
		},
	};
}
