import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import pLimit from 'p-limit';

import type { ConnectorItem } from '../../../lib/items';
import { PolicySkipError, resolveExportFormat, type OrgPolicy } from '../../../lib/policy';
import { NOTION_PAGE_EXPORT, notionProvider, type NotionConnection, type NotionExportOptions } from '../../../lib/providers/notion';
import type { ExportAttachment } from '../../../lib/providers/types';
import { meteredBody } from '../../../lib/sync/content';
import { connectorCache } from '../../shared/cache';
import { exportFailure, routeExportResults, type Routed } from '../../shared/exportOutputs';
import { settleFailed } from '../../shared/failures';
import { toNodeError } from '../../shared/nodeErrors';
import {
	acquireRunSlot,
	checkListedItem,
	policyHints,
	policyNarrowingProperty,
	runPolicy,
	settleSkipped,
	type SkippedItem,
} from '../../shared/policy';
import { ProgressLog } from '../../shared/progress';
import { notionConnectorClient } from '../transport';
import { checkNotionAccount } from './listChanges.operation';

export const BINARY_PROPERTY = 'data';
export const ATTACHMENT_PREFIX = 'file_';
export const DEFAULT_CONCURRENCY = 3;

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['export'] } },
		options: [
			{
				displayName: 'Attach Files',
				name: 'attachFiles',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the images and files hosted by Notion that a page shows as extra binary properties file_0, file_1, …',
			},
			{
				displayName: 'Pages at Once',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 10 },
				description: "How many pages are fetched at once; all share the integration's ~3 requests per second",
			},
		],
	},
	policyNarrowingProperty(['export']),
];

interface ExportOptions extends NotionExportOptions {
	concurrency?: number;
}

interface ExportContext {
	policy: OrgPolicy;
	client: NotionConnection;
	attachFiles: boolean;
}

function skipped(json: IDataObject, itemIndex: number, skipReason: string, skipDetail: string): Routed {
	return { output: 1, item: { json: { ...json, skip_reason: skipReason, skip_detail: skipDetail }, pairedItem: { item: itemIndex } } };
}

async function attachmentBinaries(ctx: IExecuteFunctions, attachments: readonly ExportAttachment[]): Promise<Record<string, IBinaryData>> {
	const binary: Record<string, IBinaryData> = {};
	// One at a time: pages are already fetched in parallel, and files can be large.
	for (const [index, attachment] of attachments.entries()) {
		const { stream, mime } = await attachment.open();
		binary[`${ATTACHMENT_PREFIX}${index}`] = await ctx.helpers.prepareBinaryData(stream, attachment.name, mime ?? attachment.mime ?? undefined);
	}
	return binary;
}

async function exportOne(ctx: IExecuteFunctions, itemIndex: number, { policy, client, attachFiles }: ExportContext): Promise<Routed> {
	const json = ctx.getInputData()[itemIndex].json;
	const item = json as unknown as ConnectorItem;
	// Deletions pass through, so the next step can remove the document downstream.
	if (item.change === 'deleted') return { output: 0, item: { json, pairedItem: { item: itemIndex } } };
	const allowed = checkListedItem(policy, 'notion', item);
	if (!allowed.allowed) return skipped(json, itemIndex, allowed.skipReason, allowed.skipDetail);
	const choices = notionProvider.exportChoices(item) ?? NOTION_PAGE_EXPORT;
	const format = resolveExportFormat(policy, undefined, choices.default);
	if (!format.allowed) return skipped(json, itemIndex, format.skipReason, format.skipDetail);

	// A cancelled execution stops fetching the page's blocks.
	const exported = await notionProvider.exportItem(client, {
		item,
		format: format.format,
		signal: ctx.getExecutionCancelSignal(),
		options: { attachFiles } satisfies NotionExportOptions,
	});
	if (exported.kind === 'skipped') return skipped(json, itemIndex, exported.skipReason, exported.skipDetail);
	let body: ReturnType<typeof meteredBody>;
	try {
		body = meteredBody(exported.body, policy, item.name);
	} catch (error) {
		if (error instanceof PolicySkipError) return skipped(json, itemIndex, error.skipReason, error.skipDetail);
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
	const data = await ctx.helpers.prepareBinaryData(body.data, exported.fileName, exported.mimeType);
	const files = exported.attachments && exported.attachments.length > 0 ? await attachmentBinaries(ctx, exported.attachments) : {};
	return {
		output: 0,
		item: {
			json: {
				...json,
				export_format: exported.exportFormat,
				export_mime: exported.exportMime,
				content_hash: exported.contentHash ?? body.contentHash(),
				export_size: body.bytes(),
			},
			binary: { [BINARY_PROPERTY]: data, ...files },
			pairedItem: { item: itemIndex },
		},
	};
}

/**
 * Each listed page as Markdown in the binary property `data` (database rows with their
 * properties as front-matter), a few pages at a time; refused pages go to the Skipped
 * output with a reason. One failing page does not stop the others.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const cache = connectorCache();
	let policy: OrgPolicy;
	let warnings: string[];
	let release: () => void;
	try {
		// Before any Notion request: a disabled provider or a bad policy value fails here.
		({ policy, warnings } = runPolicy(this, 0, 'notion'));
		release = acquireRunSlot(cache, 'notion', this.getExecutionId(), policy);
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
	const items = this.getInputData();
	try {
		const progress = new ProgressLog(this.logger, 'Notion export', { total: items.length });
		const { concurrency = DEFAULT_CONCURRENCY, attachFiles = false } = this.getNodeParameter('exportOptions', 0, {}) as ExportOptions;
		const context: ExportContext = { policy, client: notionConnectorClient(this), attachFiles };
		if (policy.allowedAccountDomains !== null || policy.allowedNotionWorkspaces !== null) {
			try {
				await checkNotionAccount(this, policy, context.client);
			} catch (error) {
				throw toNodeError(this.getNode(), error, 0);
			}
		}
		const limit = pLimit(Math.max(1, Math.trunc(concurrency) || DEFAULT_CONCURRENCY));
		const settled = await Promise.all(
			items.map(async (_, itemIndex) =>
				await limit(async (): Promise<Routed> => {
					let routed: Routed;
					try {
						routed = await exportOne(this, itemIndex, context);
					} catch (error) {
						routed = { error: exportFailure(this, items[itemIndex].json, error, itemIndex, 'page'), itemIndex };
					}
					const deletion = (items[itemIndex].json as unknown as ConnectorItem).change === 'deleted';
					progress.add('error' in routed ? 'failed' : routed.output === 1 ? 'skipped' : deletion ? 'deleted' : 'exported');
					return routed;
				}),
			),
		);
		// Not committed, and the run's cursor held back: the next run lists these pages again.
		settleFailed(
			cache,
			settled.flatMap((result) =>
				'error' in result ? [{ item: items[result.itemIndex].json as unknown as ConnectorItem, message: result.error.message }] : [],
			),
			this.getExecutionId(),
		);
		progress.done();
		const outputs = routeExportResults(settled, items, {
			continueOnFail: this.continueOnFail(),
			errorOutput: this.getNode().onError === 'continueErrorOutput',
		});
		// Refused pages are settled for good: counted per reason in their run, which no longer waits for them.
		const skippedItems = outputs[1].map((entry) => entry.json as unknown as SkippedItem);
		settleSkipped(cache, undefined, skippedItems);
		policyHints(this, warnings, skippedItems);
		return outputs;
	} finally {
		release();
	}
}
