import type { INodeProperties } from 'n8n-workflow';

import * as browse from './browse.operation';
import * as exportOperation from './export.operation';
import * as listChanges from './listChanges.operation';

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
				action: 'Browse the home folder and team space folders',
				description: 'List the home folder, the team space or a folder with paths',
			},
			{
				name: 'List Changes',
				value: 'listChanges',
				action: 'List the changes to the files of a folder',
				description: 'Files new or changed since the last committed run, and deletions; the first run lists everything',
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export listed files as ingestion ready content',
				description: 'Paper docs as Markdown, other files as they are, in the binary property "data"',
			},
		],
	},
	...browse.description,
	...listChanges.description,
	...exportOperation.description,
];
