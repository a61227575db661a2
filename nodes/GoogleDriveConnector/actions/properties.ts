import type { INodeProperties } from 'n8n-workflow';

import * as browse from './browse.operation';
import * as exportOperation from './export.operation';
import * as listChanges from './listChanges.operation';

/** The credential picker, the operation picker and each operation's own parameters. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		default: 'oAuth2',
		options: [
			{ name: 'OAuth2', value: 'oAuth2', description: 'One Google user signs in' },
			{ name: 'Service Account', value: 'serviceAccount', description: 'A service account with domain-wide delegation impersonates a user' },
		],
	},
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
				action: 'Browse drives and folders',
				description: 'List My Drive, shared drives or a folder with paths',
			},
			{
				name: 'List Changes',
				value: 'listChanges',
				action: 'List the changes to the files of a source',
				description: 'Files new or changed since the last committed run, and deletions; the first run lists everything',
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export listed files as ingestion ready content',
				description: 'Docs as text, Sheets as CSV, Slides as PDF, other files as they are, in the binary property "data"',
			},
		],
	},
	...browse.description,
	...listChanges.description,
	...exportOperation.description,
];
