import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { assertProviderEnabled, loadPolicy } from '../../../lib/policy';
import { notionProvider, parseNotionId, type NotionBrowseQuery } from '../../../lib/providers/notion';
import { notionConnectorClient } from '../transport';
import { pageLocator } from './common.descriptions';

const showFor = (browseWhat?: string[]) => ({
	show: { operation: ['browse'], ...(browseWhat ? { browseWhat } : {}) },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Browse',
		name: 'browseWhat',
		type: 'options',
		default: 'search',
		displayOptions: showFor(),
		options: [
			{ name: 'Search', value: 'search', description: 'Pages and databases shared with the integration' },
			{ name: "Page's Children", value: 'children', description: 'The child pages and databases of a page' },
		],
	},
	{
		displayName: 'Search Text',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'Handbook',
		description: 'Words in the title; empty for everything the integration can see',
		displayOptions: showFor(['search']),
	},
	{
		displayName: 'Object Type',
		name: 'objectType',
		type: 'options',
		default: 'all',
		displayOptions: showFor(['search']),
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Page', value: 'page' },
			{ name: 'Database', value: 'database' },
		],
	},
	{ ...pageLocator('parentPageId'), description: 'The page whose child pages and databases to list', displayOptions: showFor(['children']) },
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['browse'], returnAll: [false] } },
	},
];

/** What the browse parameters ask Notion for. */
export function browseQueryOf(ctx: IExecuteFunctions, itemIndex: number): NotionBrowseQuery {
	if (ctx.getNodeParameter('browseWhat', itemIndex) === 'children') {
		const value = ctx.getNodeParameter('parentPageId', itemIndex, '', { extractValue: true }) as string;
		return { kind: 'children', pageId: parseNotionId(value, 'page') };
	}
	const query = (ctx.getNodeParameter('query', itemIndex, '') as string).trim();
	const objectType = ctx.getNodeParameter('objectType', itemIndex, 'all') as string;
	return {
		kind: 'search',
		...(query ? { query } : {}),
		...(objectType === 'page' || objectType === 'database' ? { objectType } : {}),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	assertProviderEnabled(loadPolicy(), 'notion');
	const query = browseQueryOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const entries = await notionProvider.browse(notionConnectorClient(this), { ...query, limit });
	return entries.map((entry) => ({
		json: { provider: 'notion', ...entry } as IDataObject,
		pairedItem: { item: itemIndex },
	}));
}
