import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { DriveExportOptions } from '../../../lib/providers/googleDrive';
import { exportOperation } from '../../shared/connectorOperations';
import { exportIdsDirectlyOption, passMetadataOnlyOption } from '../../shared/exportOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { googleDriveNode } from '../transport';

/**
 * The most downloads at once, whatever the parameter says (the editor's cap does not bind a
 * workflow's JSON); within it the provider's adaptive limit slows down on Drive's rate limits.
 */
const MAX_CONCURRENCY = 32;
const DEFAULT_CONCURRENCY = 16;

const format = (name: string, displayName: string, options: Array<[string, string]>, fallback: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	default: fallback,
	options: options.map(([label, value]) => ({ name: label, value })),
	description: `Format for ${displayName.replace(' Format', 's')}; ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS still applies`,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Formats',
		name: 'exportFormats',
		type: 'collection',
		placeholder: 'Override a Format',
		default: {},
		options: [
			format('document', 'Google Doc Format', [['Markdown', 'md'], ['Plain Text', 'txt'], ['PDF', 'pdf'], ['HTML', 'html'], ['Word', 'docx']], 'txt'),
			format('spreadsheet', 'Google Sheet Format', [['CSV', 'csv'], ['TSV', 'tsv'], ['PDF', 'pdf'], ['Excel', 'xlsx']], 'csv'),
			format('presentation', 'Google Slides Format', [['PDF', 'pdf'], ['Plain Text', 'txt'], ['PowerPoint', 'pptx']], 'pdf'),
		],
	},
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			exportIdsDirectlyOption('Google Drive', 'file'),
			{
				displayName: 'Include Hidden Sheets',
				name: 'includeHiddenSheets',
				type: 'boolean',
				default: false,
				description: "Whether a Google Sheet's hidden tabs are exported too (CSV, TSV); by default only the tabs a person sees",
			},
			{
				displayName: 'Parallel Downloads',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				description: 'How many files are downloaded at most at once (up to 32); fewer while Google Drive answers with rate limits',
			},
			passMetadataOnlyOption,
		],
	},
	policyNarrowingProperty,
];

function exportOptions(ctx: IExecuteFunctions): { concurrency?: number; includeHiddenSheets?: boolean } {
	return ctx.getNodeParameter('exportOptions', 0, {}) as { concurrency?: number; includeHiddenSheets?: boolean };
}

export const description = updateDisplayOptions({ show: { operation: ['export'] } }, properties);

/**
 * Each listed file as ingestion-ready content in the binary property `data`: Google Docs, Sheets
 * (every tab) and Slides exported (per-type format overrides within the org policy), other files as they are.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await exportOperation(this, {
		...googleDriveNode,
		formatOverridesOf: (ctx, itemIndex) => ctx.getNodeParameter('exportFormats', itemIndex, {}) as Record<string, string | undefined>,
		concurrencyOf: (ctx) => {
			const { concurrency = DEFAULT_CONCURRENCY } = exportOptions(ctx);
			return Math.min(MAX_CONCURRENCY, Math.max(1, Math.trunc(Number(concurrency)) || DEFAULT_CONCURRENCY));
		},
		providerOptionsOf: (ctx) => ({ includeHiddenSheets: exportOptions(ctx).includeHiddenSheets === true }) satisfies DriveExportOptions,
	});
}
