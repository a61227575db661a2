import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { dropboxApiUrl } from '../lib/settings';

/** Read-only: the connector lists, resolves shared links and downloads; it never writes to Dropbox. */
export const DROPBOX_SCOPES = [
	'account_info.read',
	'files.metadata.read',
	'files.content.read',
	'sharing.read',
	// For team spaces: the member's team and its team folders.
	'team_data.member',
	'team_info.read',
].join(' ');

export class DropboxConnectorOAuth2Api implements ICredentialType {
	name = 'dropboxConnectorOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Dropbox Connector OAuth2 API';

	documentationUrl = 'https://developers.dropbox.com/oauth-guide';

	icon: Icon = { light: 'file:../icons/dropbox.svg', dark: 'file:../icons/dropbox.dark.svg' };

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://www.dropbox.com/oauth2/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `${dropboxApiUrl()}/oauth2/token`,
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: DROPBOX_SCOPES },
		{
			// Offline access: Dropbox issues a refresh token, so scheduled runs keep working after the 4-hour access token expires.
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'token_access_type=offline',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: dropboxApiUrl(),
			url: '/2/users/get_current_account',
			method: 'POST',
		},
	};
}
