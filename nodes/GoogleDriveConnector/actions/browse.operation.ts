import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { DriveBrowser, type BrowsePage } from '../../../lib/providers/googleDrive/browse';
import { MY_DRIVE_ROOT, parseDriveId } from '../../../lib/providers/googleDrive/ids';
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const location = this.getNodeParameter('location', itemIndex) as string;
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const { drive } = await browseConnection(this, googleDriveNode);
	const browser = new DriveBrowser(drive);

	let listPage: (pageToken?: string) => Promise<BrowsePage>;
	if (location === 'sharedDrives') {
		listPage = async (token) => await browser.listSharedDrives(token);
	} else {
		const folderId =
			location === 'folder'
				? parseDriveId(this.getNodeParameter('folderId', itemIndex, '', { extractValue: true }) as string)
				: location === 'sharedDrive'
					? parseDriveId(
							this.getNodeParameter('driveId', itemIndex, '', { extractValue: true }) as string,
							'shared drive',
						)
					: MY_DRIVE_ROOT;
		listPage = async (token) => await browser.listFolder(folderId, token);
	}

	const results: INodeExecutionData[] = [];
	let pageToken: string | undefined;
	do {
		const page = await listPage(pageToken);
		for (const entry of page.entries) {
			if (results.length >= limit) break;
			results.push({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } });
		}
		pageToken = page.nextPageToken;
	} while (pageToken && results.length < limit);
	return results;
}
