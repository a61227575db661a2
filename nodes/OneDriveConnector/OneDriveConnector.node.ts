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

export class OneDriveConnector implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OneDrive Connector',
		name: 'oneDriveConnector',
		icon: { light: 'file:../../icons/oneDrive.svg', dark: 'file:../../icons/oneDrive.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Browse OneDrive and SharePoint and import their documents incrementally into a search or RAG index',
		defaults: { name: 'OneDrive Connector' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ ['export', 'listChanges'].includes($parameter.operation) ? [{ type: '${NodeConnectionTypes.Main}' }, { type: '${NodeConnectionTypes.Main}', displayName: 'Skipped' }] : ['${NodeConnectionTypes.Main}'] }}`,
		credentials: [{ name: 'microsoftOneDriveConnectorOAuth2Api', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, operations);
	}
}
