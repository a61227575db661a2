import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route, type OperationHandler } from '../shared/router';
import * as check from './actions/check.operation';
import * as commit from './actions/commit.operation';
import * as forget from './actions/forget.operation';
import * as release from './actions/release.operation';
import * as status from './actions/status.operation';

const operations: Readonly<Record<string, OperationHandler>> = {
	check: check.execute,
	commit: commit.execute,
	release: release.execute,
	status: status.execute,
	forget: forget.execute,
};

export class ConnectorDedup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Connector Dedup',
		name: 'connectorDedup',
		icon: { light: 'file:../../icons/dedup.svg', dark: 'file:../../icons/dedup.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Ingest each document version once: route new, changed, unchanged and deleted items, and commit what was ingested',
		defaults: { name: 'Connector Dedup' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter.operation === 'check' ? [{ type: 'main', displayName: 'New' }, { type: 'main', displayName: 'Changed' }, { type: 'main', displayName: 'Unchanged' }, { type: 'main', displayName: 'Deleted' }] : [{ type: 'main' }] }}`,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'check',
				options: [
					{ name: 'Check', value: 'check', action: 'Route items by what changed', description: 'Route items to New, Changed, Unchanged or Deleted' },
					{ name: 'Commit', value: 'commit', action: 'Record items as ingested', description: 'Record items as ingested, after the ingestion step succeeded' },
					{ name: 'Forget', value: 'forget', action: 'Forget a source', description: "Drop a source's cache and cursor: the next run imports everything again" },
					{
						name: 'Release',
						value: 'release',
						action: 'Hand items back to the next run',
						description: 'Return the claims of items your ingestion could not take, so the next run sends them again',
					},
					{ name: 'Status', value: 'status', action: 'Show sync status per source', description: 'Last run, counts, last error and items known per source' },
				],
			},
			...check.description,
			...commit.description,
			...release.description,
			...status.description,
			...forget.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, operations);
	}
}
