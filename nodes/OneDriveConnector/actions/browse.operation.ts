import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { InvalidInputError } from '../../../lib/errors';
import { isShareUrl, oneDriveProvider, parseDriveId, parseFolderRef, type OneDriveBrowseQuery } from '../../../lib/providers/oneDrive';
import { browseConnection } from '../../shared/connectorOperations';
import { oneDriveNode } from '../transport';
import { driveLocator, folderLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Location',
		name: 'location',
		type: 'options',
		default: 'myDrive',
		options: [
			{ name: 'Folder', value: 'folder', description: "A folder's folders and files, with paths" },
			{ name: 'My OneDrive', value: 'myDrive', description: 'Folders and files at the top of your OneDrive' },
			{ name: 'Shared Link', value: 'share', description: 'The item a OneDrive or SharePoint share link points at' },
			{ name: 'SharePoint Sites', value: 'sites', description: 'SharePoint sites whose name matches a search' },
			{ name: 'Site Libraries', value: 'siteDrives', description: "A SharePoint site's document libraries" },
		],
	},
	{
		displayName: 'Search',
		name: 'siteSearch',
		type: 'string',
		default: '',
		placeholder: 'Marketing',
		description: 'Part of the site name; empty for every site the account can see',
		displayOptions: { show: { location: ['sites'] } },
	},
	{
		displayName: 'Site ID',
		name: 'siteId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE',
		description: 'The `ID` of a site from SharePoint Sites',
		displayOptions: { show: { location: ['siteDrives'] } },
	},
	{ ...driveLocator, displayOptions: { show: { location: ['folder'] } } },
	{ ...folderLocator, displayOptions: { show: { location: ['folder'] } } },
	{
		displayName: 'Link',
		name: 'shareUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://contoso.sharepoint.com/:f:/s/Marketing/EbC…',
		displayOptions: { show: { location: ['share'] } },
	},
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

/** What the browse parameters ask Graph for. */
export function queryOf(ctx: IExecuteFunctions, itemIndex: number): OneDriveBrowseQuery {
	const location = ctx.getNodeParameter('location', itemIndex) as string;
	const locator = (name: string) => ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string;
	switch (location) {
		case 'sites':
			return { kind: 'sites', text: ctx.getNodeParameter('siteSearch', itemIndex, '') as string };
		case 'siteDrives': {
			const siteId = (ctx.getNodeParameter('siteId', itemIndex, '') as string).trim();
			if (siteId === '') throw new InvalidInputError('No site ID given', 'Browse SharePoint Sites first and copy the ID of the site.');
			return { kind: 'siteDrives', siteId };
		}
		case 'folder': {
			const folder = parseFolderRef(locator('folderId'));
			if (isShareUrl(folder)) return { kind: 'share', url: folder };
			return { kind: 'folder', driveId: parseDriveId(locator('driveId')), folderId: folder };
		}
		case 'share': {
			const url = (ctx.getNodeParameter('shareUrl', itemIndex, '') as string).trim();
			if (!isShareUrl(url)) throw new InvalidInputError(`"${url}" is not a link`, 'Paste a link from Share → Copy link in OneDrive or SharePoint.');
			return { kind: 'share', url };
		}
		default:
			return { kind: 'myDrive' };
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const query = queryOf(this, itemIndex);
	const connection = await browseConnection(this, oneDriveNode);
	const results: INodeExecutionData[] = [];
	let pageToken: string | undefined;
	do {
		const page = await oneDriveProvider.browse(connection, query.kind === 'share' ? query : { ...query, pageToken });
		for (const entry of page.entries) {
			if (results.length >= limit) break;
			results.push({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } });
		}
		pageToken = page.nextPageToken;
	} while (pageToken && results.length < limit);
	return results;
}
