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
		default: 'apiKey',
		options: [
			{ name: 'Internal Integration Secret', value: 'apiKey' },
			{ name: 'OAuth2 (Public Integration)', value: 'oAuth2' },
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
				action: 'Browse pages and databases',
				description: "Search the pages and databases shared with the integration, or list a page's child pages and databases",
			},
			{
				name: 'List Changes',
				value: 'listChanges',
				action: 'List the changes to the pages of a source',
				description: 'Pages new or changed since the last committed run, and deletions; the first run lists everything',
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export listed pages as markdown',
				description: 'Each page as Markdown in the binary property "data", database rows with their properties as front-matter',
			},
		],
	},
	...browse.description,
	...listChanges.description,
	...exportOperation.description,
];
