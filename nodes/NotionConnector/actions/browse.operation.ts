import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { notionProvider, parseNotionId, type NotionBrowseQuery } from '../../../lib/providers/notion';
import { browseConnection } from '../../shared/connectorOperations';
import { notionNode } from '../transport';
import { pageLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Browse',
		name: 'browseWhat',
		type: 'options',
		default: 'search',
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
		displayOptions: { show: { browseWhat: ['search'] } },
	},
	{
		displayName: 'Object Type',
		name: 'objectType',
		type: 'options',
		default: 'all',
		displayOptions: { show: { browseWhat: ['search'] } },
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Page', value: 'page' },
			{ name: 'Database', value: 'database' },
		],
	},
	{ ...pageLocator('parentPageId'), description: 'The page whose child pages and databases to list', displayOptions: { show: { browseWhat: ['children'] } } },
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
	const query = browseQueryOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	// Without a limit the provider reads to the end.
	const limit = returnAll ? {} : { limit: this.getNodeParameter('limit', itemIndex) as number };
	const entries = await notionProvider.browse(await browseConnection(this, notionNode), { ...query, ...limit });
	return entries.map((entry) => ({
		json: { provider: 'notion', ...entry } as IDataObject,
		pairedItem: { item: itemIndex },
	}));
}
