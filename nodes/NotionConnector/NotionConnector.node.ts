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
import { INTEGRATION_SECRET_CREDENTIAL, PUBLIC_INTEGRATION_CREDENTIAL } from './transport';

export class NotionConnector implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Notion Connector',
		name: 'notionConnector',
		icon: { light: 'file:../../icons/notion.svg', dark: 'file:../../icons/notion.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Browse Notion and import its pages and databases incrementally into a search or RAG index',
		defaults: { name: 'Notion Connector' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ ['listChanges', 'export'].includes($parameter.operation) ? [{ type: '${NodeConnectionTypes.Main}' }, { type: '${NodeConnectionTypes.Main}', displayName: 'Skipped' }] : ['${NodeConnectionTypes.Main}'] }}`,
		credentials: [
			{ name: INTEGRATION_SECRET_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
			{ name: PUBLIC_INTEGRATION_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, operations);
	}
}
