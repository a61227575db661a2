import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_DEPTH, DEFAULT_OVERLAP_MINUTES, DEFAULT_RECONCILE_MINUTES, parseNotionId, type NotionSource } from '../../../lib/providers/notion';
import type { ListingOptions } from '../../../lib/sync';
import { listChangesOperation } from '../../shared/connectorOperations';
import { maxItemsOption, permissionsOf, permissionsOption } from '../../shared/listingOptions';
import { commaList, positiveNumber } from '../../shared/parameters';
import { policyNarrowingProperty } from '../../shared/policy';
import { notionNode } from '../transport';
import { databaseLocator, pageLocator } from './common.descriptions';

/** The full re-walk's default interval, in the hours the parameter takes. */
const DEFAULT_REWALK_HOURS = DEFAULT_RECONCILE_MINUTES / 60;

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'pageTree',
		options: [
			{ name: 'Page Tree', value: 'pageTree', description: 'A page and its sub-pages (and the rows of databases inside it)' },
			{ name: 'Database', value: 'database', description: 'Every row of a database, each a page' },
		],
	},
	{ ...pageLocator('sourcePageId'), description: 'The top page of the tree to import', displayOptions: { show: { source: ['pageTree'] } } },
	{ ...databaseLocator('sourceDatabaseId'), description: 'The database whose rows to import', displayOptions: { show: { source: ['database'] } } },
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Exclude Paths',
				name: 'excludeGlobs',
				type: 'string',
				default: '',
				placeholder: '/Archive/**, **/Drafts/**',
				description: 'Comma-separated glob patterns on paths from the source root (page titles); matching pages are left out',
			},
			{
				displayName: 'Full Re-Walk Every (Hours)',
				name: 'rewalkHours',
				type: 'number',
				default: DEFAULT_REWALK_HOURS,
				typeOptions: { minValue: 1 },
				description:
					"How often a run walks the whole page tree block by block, to catch what Notion's search does not show; it costs about one request per page and block with children, so a large workspace may want it weekly (168)",
			},
			{
				displayName: 'Max Depth',
				name: 'maxDepth',
				type: 'number',
				default: DEFAULT_MAX_DEPTH,
				typeOptions: { minValue: 0 },
				description: 'How many levels of sub-pages below the top page belong to the source (page tree only)',
			},
			maxItemsOption,
			{
				displayName: 'Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				default: DEFAULT_OVERLAP_MINUTES,
				typeOptions: { minValue: 1 },
				description:
					'Notion records edit times to the minute: each run looks again this far before the last one, so an edit made in the same minute is never missed (Dedup drops what is unchanged)',
			},
			{
				...permissionsOption,
				description:
					'Whether pages carry who may read them (permissions): their workspace and, when published to the web, anyone with the link. Notion names no readers, and a publish is not stamped as an edit: it shows when the page is next edited or re-walked.',
			},
		],
	},
	policyNarrowingProperty,
];

export const description = updateDisplayOptions({ show: { operation: ['listChanges'] } }, properties);

const positiveInteger = (value: unknown) => {
	const number = positiveNumber(value);
	return number === undefined ? undefined : Math.trunc(number);
};

/** The page tree (with its depth) or database the parameters describe, and how later runs read it. */
export function sourceOf(ctx: IExecuteFunctions, itemIndex: number): NotionSource {
	const raw = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	const overlap = Number(raw.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES);
	const overlapMinutes = Number.isFinite(overlap) && overlap >= 0 ? overlap : DEFAULT_OVERLAP_MINUTES;
	const rewalkHours = positiveNumber(raw.rewalkHours);
	// At least an hour, also for a workflow imported as JSON: a re-walk on every run would cost the whole tree each time.
	const reconcile = rewalkHours === undefined ? {} : { reconcileMinutes: Math.max(1, rewalkHours) * 60 };
	if (ctx.getNodeParameter('source', itemIndex) === 'database') {
		const value = ctx.getNodeParameter('sourceDatabaseId', itemIndex, '', { extractValue: true }) as string;
		return { kind: 'database', databaseId: parseNotionId(value, 'database'), overlapMinutes, ...reconcile };
	}
	const value = ctx.getNodeParameter('sourcePageId', itemIndex, '', { extractValue: true }) as string;
	const depth = Number(raw.maxDepth ?? DEFAULT_MAX_DEPTH);
	return {
		kind: 'pageTree',
		pageId: parseNotionId(value, 'page'),
		maxDepth: Number.isFinite(depth) && depth >= 0 ? Math.trunc(depth) : DEFAULT_MAX_DEPTH,
		overlapMinutes,
		...reconcile,
	};
}

/** Exclude globs, the node's cap on items per run, and Permissions (on unless switched off). */
export function listingOptionsOf(ctx: IExecuteFunctions, itemIndex: number): ListingOptions {
	const raw = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	const maxItems = positiveInteger(raw.maxItems);
	return { excludeGlobs: commaList(raw.excludeGlobs), ...(maxItems === undefined ? {} : { maxItems }), permissions: permissionsOf(raw) };
}

/**
 * One item per page new or changed since the source's committed cursor, and one per deletion
 * (archived, trashed, or moved out of the tree); pages the policy refuses go to Skipped. The
 * cursor moves only once Connector Dedup has committed this run's items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listChangesOperation(this, { ...notionNode, sourceOf, listingOptionsOf });
}
