import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { dropboxProvider, parseDropboxFolder, type DropboxBrowseQuery } from '../../../lib/providers/dropbox';
import { browseConnection } from '../../shared/connectorOperations';
import { dropboxNode } from '../transport';
import { folderLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Location',
		name: 'location',
		type: 'options',
		default: 'home',
		options: [
			{ name: 'Home Folder', value: 'home', description: "Folders and files at the top of the account's Dropbox" },
			{ name: 'Team Space', value: 'teamSpace', description: 'Team folders and the member folder at the top of the team space' },
			{ name: 'Folder', value: 'folder', description: "A folder's folders and files" },
		],
	},
	{ ...folderLocator, displayOptions: { show: { location: ['folder'] } } },
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions({ show: { operation: ['browse'] } }, properties);

/** What the browse parameters ask Dropbox for; a malformed folder fails before any request. */
export function queryOf(ctx: IExecuteFunctions, itemIndex: number): DropboxBrowseQuery {
	const location = ctx.getNodeParameter('location', itemIndex) as string;
	if (location === 'teamSpace') return { kind: 'teamSpace' };
	if (location === 'folder') {
		const folder = ctx.getNodeParameter('folder', itemIndex, '', { extractValue: true }) as string;
		parseDropboxFolder(folder);
		return { kind: 'folder', folder };
	}
	return { kind: 'home' };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const query = queryOf(this, itemIndex);
	const connection = await browseConnection(this, dropboxNode);
	const results: INodeExecutionData[] = [];
	let cursor: string | undefined;
	do {
		const page = await dropboxProvider.browse(connection, { ...query, cursor });
		for (const entry of page.entries) {
			if (results.length >= limit) break;
			results.push({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } });
		}
		cursor = page.nextCursor;
	} while (cursor && results.length < limit);
	return results;
}
