import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { properties } from './actions/properties';
import { operations } from './actions/router';
import { route } from '../shared/router';
import { listSearch } from './methods';
import { USER_CONSENT_CREDENTIAL, SERVICE_ACCOUNT_CREDENTIAL } from './transport';

export class GoogleDriveConnector implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Google Drive Connector',
		name: 'googleDriveConnector',
		icon: { light: 'file:../../icons/googleDrive.svg', dark: 'file:../../icons/googleDrive.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Browse Google Drive and import its documents incrementally into a search or RAG index',
		defaults: { name: 'Google Drive Connector' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ ['export', 'listChanges'].includes($parameter.operation) ? [{ type: '${NodeConnectionTypes.Main}' }, { type: '${NodeConnectionTypes.Main}', displayName: 'Skipped' }] : ['${NodeConnectionTypes.Main}'] }}`,
		credentials: [
			{ name: USER_CONSENT_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: SERVICE_ACCOUNT_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['serviceAccount'] } } },
		],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, operations);
	}
}
