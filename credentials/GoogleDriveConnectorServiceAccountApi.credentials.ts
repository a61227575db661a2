import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	DRIVE_READONLY_SCOPE,
	serviceAccountKeyOf,
	serviceAccountToken,
} from '../lib/providers/googleDrive/serviceAccount';
import { ConnectorError } from '../lib/errors';
import { googleApiUrl, googleTokenUrl } from '../lib/settings';

/**
 * The refusal as one sentence with what to do, in a plain Error: n8n shows an error's `code` in place
 * of its message, and passes only the message on through its own errors.
 */
function credentialFailure(error: unknown): Error {
	if (!(error instanceof ConnectorError)) return error instanceof Error ? error : new Error(String(error));
	const { message, hint } = error;
	return new Error(hint && !message.includes(hint) ? `${message} — ${hint}` : message);
}

/**
 * A Google service account with domain-wide delegation: each request carries a token minted by the
 * JWT bearer grant for the impersonated user, read-only. The key stays in n8n's encrypted store.
 */
export class GoogleDriveConnectorServiceAccountApi implements ICredentialType {
	name = 'googleDriveConnectorServiceAccountApi';

	displayName = 'Google Drive Connector Service Account API';

	documentationUrl = 'https://developers.google.com/identity/protocols/oauth2/service-account#delegatingauthority';

	icon: Icon = { light: 'file:../icons/googleDrive.svg', dark: 'file:../icons/googleDrive.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Key Format',
			name: 'keyFormat',
			type: 'options',
			default: 'json',
			options: [
				{ name: 'JSON Key File', value: 'json', description: 'The key file as the Google Cloud console downloads it' },
				{ name: 'Email and Private Key', value: 'fields', description: 'The client_email and private_key of the key file' },
			],
		},
		{
			displayName: 'JSON Key',
			name: 'privateKeyJson',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: '{ "type": "service_account", "client_email": "…", "private_key": "…", … }',
			description: 'The whole JSON key file of the service account',
			displayOptions: { show: { keyFormat: ['json'] } },
		},
		{
			displayName: 'Service Account Email',
			name: 'clientEmail',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'importer@project.iam.gserviceaccount.com',
			displayOptions: { show: { keyFormat: ['fields'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----\\n…\\n-----END PRIVATE KEY-----\\n',
			displayOptions: { show: { keyFormat: ['fields'] } },
		},
		{
			displayName: 'Impersonate User',
			name: 'subject',
			type: 'string',
			default: '',
			placeholder: 'alice@example.com',
			description:
				'The Google Workspace user whose Drive is imported (domain-wide delegation). Empty: the service account itself, which sees only what is shared with it. ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS checks this user.',
		},
		{
			displayName:
				'Allow domain-wide delegation for the service account\'s client ID with the scope https://www.googleapis.com/auth/drive.readonly in the Google Admin console (Security → API controls → Domain-wide delegation).',
			name: 'delegationNotice',
			type: 'notice',
			default: '',
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const subject = typeof credentials.subject === 'string' ? credentials.subject.trim() : '';
		let token: string;
		try {
			// Read-only Drive, fixed: the connector lists and downloads, it never writes; Sheets reads accept it too.
			token = await serviceAccountToken({
				key: serviceAccountKeyOf(credentials),
				subject: subject || undefined,
				scopes: [DRIVE_READONLY_SCOPE],
				tokenUrl: googleTokenUrl(),
			});
		} catch (error) {
			throw credentialFailure(error);
		}
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: googleApiUrl(),
			url: '/drive/v3/about',
			qs: { fields: 'user(emailAddress,displayName)' },
		},
	};
}
