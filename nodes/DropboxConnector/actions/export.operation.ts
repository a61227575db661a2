import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { exportOperation } from '../../shared/connectorOperations';
import { exportIdsDirectlyOption, passMetadataOnlyOption } from '../../shared/exportOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { dropboxNode } from '../transport';

/** The most downloads at once, whatever the parameter says (the editor's cap does not bind a workflow's JSON). */
const MAX_CONCURRENCY = 16;
const DEFAULT_CONCURRENCY = 4;

const properties: INodeProperties[] = [
	{
		displayName: 'Formats',
		name: 'exportFormats',
		type: 'collection',
		placeholder: 'Override a Format',
		default: {},
		options: [
			{
				displayName: 'Paper Doc Format',
				name: 'paper',
				type: 'options',
				default: 'md',
				options: [
					{ name: 'Markdown', value: 'md' },
					{ name: 'Plain Text', value: 'txt' },
					{ name: 'HTML', value: 'html' },
				],
				description: 'Format for Dropbox Paper docs; ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS still applies',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			exportIdsDirectlyOption('Dropbox', 'file'),
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

/** Each listed file as ingestion-ready content in the binary property `data`: Paper docs exported (Markdown by default), other files as they are. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await exportOperation(this, {
		...dropboxNode,
		formatOverridesOf: (ctx, itemIndex) => ctx.getNodeParameter('exportFormats', itemIndex, {}) as Record<string, string | undefined>,
		concurrencyOf: (ctx) => {
			const { concurrency = DEFAULT_CONCURRENCY } = ctx.getNodeParameter('exportOptions', 0, {}) as { concurrency?: number };
			return Math.min(MAX_CONCURRENCY, Math.max(1, Math.trunc(Number(concurrency)) || DEFAULT_CONCURRENCY));
		},
	});
}
