import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { NOTION_API_VERSION, notionApiUrl } from '../lib/settings';

export class NotionConnectorApi implements ICredentialType {
	name = 'notionConnectorApi';

	displayName = 'Notion Connector Internal Integration API';

	documentationUrl = 'https://developers.notion.com/docs/create-a-notion-integration';

	icon: Icon = { light: 'file:../icons/notion.svg', dark: 'file:../icons/notion.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Internal Integration Secret',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret of an internal integration. Share the pages and databases to import with the integration in Notion.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: notionApiUrl(),
			url: '/v1/users/me',
			headers: { 'Notion-Version': NOTION_API_VERSION },
		},
	};
}
