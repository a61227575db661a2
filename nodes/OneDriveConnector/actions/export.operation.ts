import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { exportOperation } from '../../shared/connectorOperations';
import { exportIdsDirectlyOption, passMetadataOnlyOption } from '../../shared/exportOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { oneDriveNode } from '../transport';

/** The most downloads at once, whatever the parameter says (the editor's cap does not bind a workflow's JSON). */
const MAX_CONCURRENCY = 16;
const DEFAULT_CONCURRENCY = 4;

const format = (name: string, displayName: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	default: '',
	options: [
		{ name: 'As Is', value: '' },
		{ name: 'PDF', value: 'pdf' },
	],
	description: `${what} as they are, or converted to PDF by Microsoft Graph; ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS still applies to PDF`,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Formats',
		name: 'exportFormats',
		type: 'collection',
		placeholder: 'Override a Format',
		default: {},
		options: [
			format('document', 'Word Format', 'Word documents (docx, doc, odt, rtf)'),
			format('spreadsheet', 'Excel Format', 'Excel workbooks (xlsx, xls, ods)'),
			format('presentation', 'PowerPoint Format', 'PowerPoint presentations (pptx, ppt, odp)'),
		],
	},
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			exportIdsDirectlyOption('OneDrive', 'file'),
			{
				displayName: 'Parallel Downloads',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				description: 'How many files are downloaded at once',
			},
			passMetadataOnlyOption,
		],
	},
	policyNarrowingProperty,
];

export const description = updateDisplayOptions({ show: { operation: ['export'] } }, properties);

/**
 * Each listed file as ingestion-ready content in the binary property `data`: files as they are,
 * Office files as PDF where the node or the org policy asks; OneNote notebooks to Skipped.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await exportOperation(this, {
		...oneDriveNode,
		formatOverridesOf: (ctx, itemIndex) => ctx.getNodeParameter('exportFormats', itemIndex, {}) as Record<string, string | undefined>,
		concurrencyOf: (ctx) => {
			const { concurrency = DEFAULT_CONCURRENCY } = ctx.getNodeParameter('exportOptions', 0, {}) as { concurrency?: number };
			return Math.min(MAX_CONCURRENCY, Math.max(1, Math.trunc(Number(concurrency)) || DEFAULT_CONCURRENCY));
		},
	});
}
