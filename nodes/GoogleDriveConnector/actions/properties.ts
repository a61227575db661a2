import type { INodeProperties } from 'n8n-workflow';

import * as browse from './browse.operation';

/** The operation picker and each operation's own parameters. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'browse',
		options: [
			{
				name: 'Browse',
				value: 'browse',
				action: 'Browse my drive, shared drives or a folder',
				description: 'List My Drive, shared drives or a folder with paths',
			},
		],
	},
	...browse.description,
];
