import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { exportOperation } from '../../shared/connectorOperations';
import { exportIdsDirectlyOption, passMetadataOnlyOption } from '../../shared/exportOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { DEFAULT_MAX_FILES_PER_PAGE, type NotionExportOptions } from '../../../lib/providers/notion';
import { notionNode } from '../transport';

export const DEFAULT_CONCURRENCY = 3;
/** The most pages at once, whatever the parameter says: all share the integration's ~3 requests per second. */
const MAX_CONCURRENCY = 10;
/** The most files one page may attach, whatever the parameter says. */
const MAX_FILES_PER_PAGE = 100;

const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attach Files',
				name: 'attachFiles',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the images and files hosted by Notion that a page shows as extra binary properties file_0, file_1, …',
			},
			exportIdsDirectlyOption('Notion', 'page'),
			{
				displayName: 'Content Source',
				name: 'contentSource',
				type: 'options',
				default: 'markdown',
				options: [
					{
						name: 'Markdown Endpoint',
						value: 'markdown',
						description: "Notion's page-as-Markdown API: about two requests a page; the block tree where Notion refuses it",
					},
					{ name: 'Block Tree', value: 'blocks', description: 'Every block read one level at a time: about ten requests a page' },
				],
				description: 'Where the page content is read from; both give the same Markdown (see README for the few differences)',
			},
			{
				displayName: 'Max Files per Page',
				name: 'maxFilesPerPage',
				type: 'number',
				default: DEFAULT_MAX_FILES_PER_PAGE,
				typeOptions: { minValue: 1, maxValue: MAX_FILES_PER_PAGE },
				displayOptions: { show: { attachFiles: [true] } },
				description: 'The most files attached to one page; the others are listed in attachments_skipped with the reason attachment_limit',
			},
			{
				displayName: 'Pages at Once',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				description: "How many pages are fetched at once; all share the integration's ~3 requests per second",
			},
			passMetadataOnlyOption,
		],
	},
	policyNarrowingProperty,
];

export const description = updateDisplayOptions({ show: { operation: ['export'] } }, properties);

interface ExportOptions {
	attachFiles?: boolean;
	maxFilesPerPage?: number;
	contentSource?: string;
	concurrency?: number;
}

/**
 * Each listed page as Markdown in the binary property `data` (database rows with their
 * properties as front-matter), a few pages at a time; refused pages go to the Skipped
 * output with a reason. One failing page does not stop the others.
 */
function options(ctx: IExecuteFunctions): ExportOptions {
	return ctx.getNodeParameter('exportOptions', 0, {}) as ExportOptions;
}

/** Pages exported at once, clamped here: the editor's bounds do not hold for a workflow imported as JSON. */
export function concurrencyOf(ctx: IExecuteFunctions): number {
	return Math.min(MAX_CONCURRENCY, Math.max(1, Math.trunc(Number(options(ctx).concurrency)) || DEFAULT_CONCURRENCY));
}

/** The provider's export options from the node's; a Content Source other than Block Tree reads the Markdown endpoint. */
export function exportOptionsOf(ctx: IExecuteFunctions): NotionExportOptions & Record<string, unknown> {
	return {
		attachFiles: options(ctx).attachFiles === true,
		contentSource: options(ctx).contentSource === 'blocks' ? 'blocks' : 'markdown',
		// Clamped here too: the editor's bounds do not hold for a workflow imported as JSON.
		maxFilesPerPage: Math.min(MAX_FILES_PER_PAGE, Math.max(1, Math.trunc(Number(options(ctx).maxFilesPerPage)) || DEFAULT_MAX_FILES_PER_PAGE)),
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await exportOperation(this, {
		...notionNode,
		concurrencyOf,
		providerOptionsOf: exportOptionsOf,
	});
}
