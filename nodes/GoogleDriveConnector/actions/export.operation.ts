import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import pLimit from 'p-limit';

import type { ConnectorItem } from '../../../lib/items';
import { PolicySkipError, checkFile, resolveExportFormat, type OrgPolicy } from '../../../lib/policy';
import {
	DEFAULT_EXPORT_FORMATS,
	googleDriveProvider,
	isGoogleNative,
	validateOverrides,
	type DriveConnection,
	type DriveExportChoices,
	type ExportFormatOverrides,
} from '../../../lib/providers/googleDrive';
import { meteredBody } from '../../../lib/sync/content';
import { connectorCache } from '../../shared/cache';
import { exportFailure, routeExportResults } from '../../shared/exportOutputs';
import { settleFailed } from '../../shared/failures';
import { toNodeError } from '../../shared/nodeErrors';
import { ProgressLog } from '../../shared/progress';
import {
	acquireRunSlot,
	policyHints,
	policyNarrowingProperty,
	runPolicy,
	settleSkipped,
	type SkippedItem,
} from '../../shared/policy';
import { driveConnection } from '../transport';
import { checkDriveAccount } from './listChanges.operation';

export const BINARY_PROPERTY = 'data';

const format = (name: string, displayName: string, options: Array<[string, string]>, fallback: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	default: fallback,
	options: options.map(([label, value]) => ({ name: label, value })),
	description: `Format for ${displayName.replace(' Format', 's')}; ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS still applies`,
});

export const description: INodeProperties[] = [
	{
		displayName: 'Formats',
		name: 'exportFormats',
		type: 'collection',
		placeholder: 'Override a Format',
		default: {},
		displayOptions: { show: { operation: ['export'] } },
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
		displayOptions: { show: { operation: ['export'] } },
		options: [
			{
				displayName: 'Parallel Downloads',
				name: 'concurrency',
				type: 'number',
				default: 4,
				typeOptions: { minValue: 1, maxValue: 16 },
				description: 'How many files are downloaded at once',
			},
		],
	},
	policyNarrowingProperty(['export']),
];

function skipped(item: IDataObject, itemIndex: number, skipReason: string, skipDetail: string): INodeExecutionData {
	return { json: { ...item, skip_reason: skipReason, skip_detail: skipDetail }, pairedItem: { item: itemIndex } };
}

interface ExportContext {
	policy: OrgPolicy;
	connection: DriveConnection;
}

/** Format overrides the org policy does not allow, for the node's warnings (each falls back to its default, or skips). */
function ignoredFormatOverrides(policy: OrgPolicy, formats: ExportFormatOverrides): string[] {
	return (Object.keys(formats) as Array<keyof ExportFormatOverrides>).flatMap((kind) => {
		const decision = resolveExportFormat(policy, formats[kind], DEFAULT_EXPORT_FORMATS[kind]);
		if (decision.allowed && decision.ignoredOverride !== undefined) {
			return [`The org policy does not allow ${decision.ignoredOverride}: Google ${kind}s are exported as ${decision.format} instead`];
		}
		return decision.allowed ? [] : [`Google ${kind}s go to Skipped: ${decision.skipDetail}`];
	});
}

/** The format a Google-native file will be exported to, for the file-type rule (its MIME names no file type). */
function plannedExportFormat(policy: OrgPolicy, choices: DriveExportChoices | undefined, formats: ExportFormatOverrides): string | undefined {
	if (choices === undefined) return undefined;
	const decision = resolveExportFormat(policy, formats[choices.kind], choices.default);
	return decision.allowed ? decision.format : undefined;
}

async function exportOne(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ policy, connection }: ExportContext,
	formats: ExportFormatOverrides,
): Promise<{ output: 0 | 1; item: INodeExecutionData }> {
	const json = ctx.getInputData()[itemIndex].json;
	const item = json as unknown as ConnectorItem;
	// Deletions pass through, so the next step can remove the document downstream.
	if (item.change === 'deleted') return { output: 0, item: { json, pairedItem: { item: itemIndex } } };
	const choices = googleDriveProvider.exportChoices(item);
	const allowed = checkFile(policy, 'google_drive', {
		path: item.path,
		name: item.name,
		mime: item.mime ?? undefined,
		// A Google file's listed size is not its export's: the cap applies while streaming instead.
		size: isGoogleNative(item.mime) ? undefined : (item.size ?? undefined),
		exportFormat: plannedExportFormat(policy, choices, formats),
	});
	if (!allowed.allowed) return { output: 1, item: skipped(json, itemIndex, allowed.skipReason, allowed.skipDetail) };

	const overrides = validateOverrides(formats);
	let format: string | undefined;
	if (choices !== undefined) {
		const decision = resolveExportFormat(policy, overrides[choices.kind], choices.default);
		if (!decision.allowed) return { output: 1, item: skipped(json, itemIndex, decision.skipReason, `"${item.name}": ${decision.skipDetail}`) };
		format = decision.format;
	}
	const result = await googleDriveProvider.exportItem(connection, { item, format });
	if (result.kind === 'skipped') return { output: 1, item: skipped(json, itemIndex, result.skipReason, result.skipDetail) };
	try {
		const body = meteredBody(result.body, policy, `"${item.name}"`);
		const binary = await ctx.helpers.prepareBinaryData(body.data, result.fileName, result.mimeType);
		return {
			output: 0,
			item: {
				json: {
					...json,
					export_format: result.exportFormat,
					export_mime: result.exportMime,
					content_hash: body.contentHash(),
					export_size: body.bytes(),
				},
				binary: { [BINARY_PROPERTY]: binary },
				pairedItem: { item: itemIndex },
			},
		};
	} catch (error) {
		if (error instanceof PolicySkipError) return { output: 1, item: skipped(json, itemIndex, error.skipReason, error.skipDetail) };
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
}

/**
 * Each listed item as ingestion-ready content in the binary property `data`, streamed
 * into n8n's binary store, a few downloads at a time; refused items go to the Skipped
 * output with a reason. One failing file does not stop the others.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { policy, warnings } = runPolicy(this, 0, 'google_drive');
	warnings.push(...ignoredFormatOverrides(policy, this.getNodeParameter('exportFormats', 0, {}) as ExportFormatOverrides));
	const cache = connectorCache();
	const releaseSlot = acquireRunSlot(cache, 'google_drive', this.getExecutionId(), policy);
	try {
		const outputs = await exportAll.call(this, policy);
		// Refused items are settled for good: counted per reason in their run, which no longer waits for them.
		const skipped = outputs[1].map((entry) => entry.json as unknown as SkippedItem);
		settleSkipped(cache, undefined, skipped, this.getExecutionId());
		policyHints(this, warnings, skipped);
		return outputs;
	} finally {
		releaseSlot();
	}
}

async function exportAll(this: IExecuteFunctions, policy: OrgPolicy): Promise<INodeExecutionData[][]> {
	const context: ExportContext = { policy, connection: driveConnection(this) };
	if (policy.allowedAccountDomains !== null) await checkDriveAccount(this, policy, context.connection);
	const { concurrency = 4 } = this.getNodeParameter('exportOptions', 0, {}) as { concurrency?: number };
	const limit = pLimit(Math.max(1, concurrency));
	const items = this.getInputData();
	const progress = new ProgressLog(this.logger, 'Google Drive export', { total: items.length });
	const settled = await Promise.all(
		items.map(async (_, itemIndex) =>
			await limit(async () => {
				const formats = this.getNodeParameter('exportFormats', itemIndex, {}) as ExportFormatOverrides;
				try {
					const result = await exportOne(this, itemIndex, context, formats);
					const deletion = (items[itemIndex].json as unknown as ConnectorItem).change === 'deleted';
					progress.add(result.output === 1 ? 'skipped' : deletion ? 'deleted' : 'exported');
					return result;
				} catch (error) {
					progress.add('failed');
					return { output: 0 as const, error: exportFailure(this, items[itemIndex].json, error, itemIndex, 'file'), itemIndex };
				}
			}),
		),
	);
	const failures = settled.flatMap((result) => ('error' in result ? [result] : []));
	// Not committed, and the run's cursor held back: the next run lists these files again.
	settleFailed(
		connectorCache(),
		failures.map(({ itemIndex, error }) => ({ item: items[itemIndex].json as unknown as ConnectorItem, message: error.message })),
		this.getExecutionId(),
	);
	progress.done();
	// Outputs keep the input order whatever order the downloads finished in.
	return routeExportResults(settled, items, {
		continueOnFail: this.continueOnFail(),
		errorOutput: this.getNode().onError === 'continueErrorOutput',
	});
}
