import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ConnectorCache } from '../../../lib/cache';
import type { OrgPolicy } from '../../../lib/policy';
import {
	DEFAULT_MAX_DEPTH,
	DEFAULT_OVERLAP_MINUTES,
	notionProvider,
	parseNotionId,
	type NotionConnection,
	type NotionSource,
} from '../../../lib/providers/notion';
import type { ProviderAccount } from '../../../lib/providers/types';
import { storeOver } from '../../../lib/store';
import { listSource, type ListingOptions } from '../../../lib/sync/listing';
import { connectorCache } from '../../shared/cache';
import { listingRun } from '../../shared/listingRun';
import { toNodeError } from '../../shared/nodeErrors';
import { commaList, positiveNumber } from '../../shared/parameters';
import {
	acquireRunSlot,
	checkAccount,
	policyNarrowingProperty,
	runPolicy,
	type RunPolicy,
} from '../../shared/policy';
import { notionConnectorClient } from '../transport';
import { databaseLocator, pageLocator } from './common.descriptions';

const showFor = (extra: IDataObject = {}) => ({ show: { operation: ['listChanges'], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'pageTree',
		displayOptions: showFor(),
		options: [
			{ name: 'Page Tree', value: 'pageTree', description: 'A page and its sub-pages (and the rows of databases inside it)' },
			{ name: 'Database', value: 'database', description: 'Every row of a database, each a page' },
		],
	},
	{ ...pageLocator('sourcePageId'), description: 'The top page of the tree to import', displayOptions: showFor({ source: ['pageTree'] }) },
	{ ...databaseLocator('sourceDatabaseId'), description: 'The database whose rows to import', displayOptions: showFor({ source: ['database'] }) },
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(),
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
				displayName: 'Max Depth',
				name: 'maxDepth',
				type: 'number',
				default: DEFAULT_MAX_DEPTH,
				typeOptions: { minValue: 0 },
				description: 'How many levels of sub-pages below the top page belong to the source (page tree only)',
			},
			{
				displayName: 'Max Items per Run',
				name: 'maxItems',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description:
					'Stop after this many items; the rest comes on the next run, nothing is dropped. 0 for no limit (ORG_CONNECTORS_MAX_FILES_PER_RUN still applies).',
			},
			{
				displayName: 'Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				default: DEFAULT_OVERLAP_MINUTES,
				typeOptions: { minValue: 1 },
				description:
					'Notion records edit times to the minute: each run looks again this far before the last one, so an edit made in the same minute is never missed (Dedup drops what is unchanged)',
			},
		],
	},
	policyNarrowingProperty(['listChanges']),
];

interface ListParameters {
	/** With the overlap the node asks for: how later runs read the source is part of it. */
	source: NotionSource;
	options: ListingOptions;
}

const positiveInteger = (value: unknown) => {
	const number = positiveNumber(value);
	return number === undefined ? undefined : Math.trunc(number);
};

/** The source and listing options the parameters describe, capped by the policy's files per run. */
export function listParametersOf(ctx: IExecuteFunctions, itemIndex: number, maxFilesPerRun: number | null): ListParameters {
	const raw = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	const overlap = Number(raw.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES);
	const overlapMinutes = Number.isFinite(overlap) && overlap >= 0 ? overlap : DEFAULT_OVERLAP_MINUTES;
	let source: NotionSource;
	if (ctx.getNodeParameter('source', itemIndex) === 'database') {
		const value = ctx.getNodeParameter('sourceDatabaseId', itemIndex, '', { extractValue: true }) as string;
		source = { kind: 'database', databaseId: parseNotionId(value, 'database'), overlapMinutes };
	} else {
		const value = ctx.getNodeParameter('sourcePageId', itemIndex, '', { extractValue: true }) as string;
		const depth = Number(raw.maxDepth ?? DEFAULT_MAX_DEPTH);
		source = {
			kind: 'pageTree',
			pageId: parseNotionId(value, 'page'),
			maxDepth: Number.isFinite(depth) && depth >= 0 ? Math.trunc(depth) : DEFAULT_MAX_DEPTH,
			overlapMinutes,
		};
	}
	const caps = [positiveInteger(raw.maxItems), maxFilesPerRun ?? undefined].filter((cap): cap is number => cap !== undefined);
	return {
		source,
		options: {
			excludeGlobs: commaList(raw.excludeGlobs),
			...(caps.length > 0 ? { maxItems: Math.min(...caps) } : {}),
		},
	};
}

/**
 * The integration's owner and workspace, asked once per credential and execution (one
 * `users/me`) and checked against the policy: a disallowed account fails the node.
 */
export async function checkNotionAccount(ctx: IExecuteFunctions, policy: OrgPolicy, client: NotionConnection): Promise<ProviderAccount> {
	return (await checkAccount(ctx, 'notion', policy, async () => await notionProvider.account(client))) as ProviderAccount;
}

async function listOneSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunPolicy,
	client: NotionConnection,
	cache: ConnectorCache,
): Promise<[INodeExecutionData[], INodeExecutionData[]]> {
	const { source, options } = listParametersOf(ctx, itemIndex, run.policy.maxFilesPerRun);
	const { accountId } = await checkNotionAccount(ctx, run.policy, client);
	const sourceKey = notionProvider.sourceKey(accountId, source);
	return await listingRun(ctx, {
		provider: notionProvider.id,
		providerName: notionProvider.displayName,
		sourceKey,
		itemIndex,
		run,
		cache,
		list: async (runId) =>
			await listSource({ store: storeOver(cache), provider: notionProvider, connection: client, source, sourceKey, runId, options }),
	});
}

/**
 * One item per page new or changed since the source's committed cursor, and one per deletion
 * (archived, trashed, or moved out of the tree); pages the policy refuses go to Skipped. The
 * cursor moves only once Connector Dedup has committed this run's items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const outputs: INodeExecutionData[][] = [[], []];
	const cache = connectorCache();
	let first: RunPolicy;
	let release: () => void;
	try {
		// Before any Notion request: a disabled provider or a bad policy value fails here.
		first = runPolicy(this, 0, 'notion');
		release = acquireRunSlot(cache, 'notion', this.getExecutionId(), first.policy);
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
	try {
		const client = notionConnectorClient(this);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const policy = itemIndex === 0 ? first : runPolicy(this, itemIndex, 'notion');
				const [allowed, skipped] = await listOneSource(this, itemIndex, policy, client, cache);
				outputs[0].push(...allowed);
				outputs[1].push(...skipped);
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				outputs[0].push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
			}
		}
	} finally {
		release();
	}
	return outputs;
}
