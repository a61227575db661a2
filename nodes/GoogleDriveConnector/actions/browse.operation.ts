import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { googleDriveProvider, parseDriveId, type DriveBrowseQuery } from '../../../lib/providers/googleDrive';
import { browseConnection } from '../../shared/connectorOperations';
import { googleDriveNode } from '../transport';
import { folderLocator, sharedDriveLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Location',
		name: 'location',
		type: 'options',
		default: 'myDrive',
		options: [
			{ name: 'My Drive', value: 'myDrive', description: 'Folders and files at the top of My Drive' },
			{ name: 'Shared Drives', value: 'sharedDrives', description: 'The shared drives the account can see' },
			{ name: 'Folder', value: 'folder', description: "A folder's folders and files" },
			{ name: 'Shared Drive', value: 'sharedDrive', description: 'Folders and files at the top of a shared drive' },
		],
	},
	{ ...folderLocator, displayOptions: { show: { location: ['folder'] } } },
	{ ...sharedDriveLocator, displayOptions: { show: { location: ['sharedDrive'] } } },
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

/** What the browse parameters ask Drive for. */
export function queryOf(ctx: IExecuteFunctions, itemIndex: number): DriveBrowseQuery {
	const location = ctx.getNodeParameter('location', itemIndex) as string;
	const locator = (name: string) => ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string;
	switch (location) {
		case 'sharedDrives':
			return { kind: 'sharedDrives' };
		case 'folder':
			return { kind: 'folder', folderId: parseDriveId(locator('folderId')) };
		case 'sharedDrive':
			return { kind: 'sharedDrive', driveId: parseDriveId(locator('driveId'), 'shared drive') };
		default:
			return { kind: 'myDrive' };
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const query = queryOf(this, itemIndex);
	const connection = await browseConnection(this, googleDriveNode);
	const results: INodeExecutionData[] = [];
	let pageToken: string | undefined;
	do {
		const page = await googleDriveProvider.browse(connection, { ...query, pageToken });
		for (const entry of page.entries) {
			if (results.length >= limit) break;
			results.push({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } });
		}
		pageToken = page.nextPageToken;
	} while (pageToken && results.length < limit);
	return results;
}
