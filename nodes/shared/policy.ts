/**
 * The org policy as the nodes apply it: loaded from the environment (and policy file), narrowed by
 * the node's "Restrict Further" parameters, checked on listed items. One place for every node.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ConnectorItem, Provider } from '../../lib/items';
import {
	assertProviderEnabled,
	checkFile,
	describePolicy,
	loadPolicy,
	narrowPolicy,
	type OrgPolicy,
	type PolicyDecision,
	type PolicyDescription,
	type PolicyNarrowing,
} from '../../lib/policy';

export const POLICY_NARROWING_PARAMETER = 'policyNarrowing';

export interface RunPolicy {
	policy: OrgPolicy;
	/** The effective policy as JSON, for run records and output metadata. */
	description: PolicyDescription;
	/** Narrowing requests the org policy overrides (shown as warnings, never widening it). */
	warnings: string[];
}

/** The "Restrict Further" collection for the given operations: a workflow can narrow the org policy, never widen it. */
export function policyNarrowingProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Restrict Further',
		name: POLICY_NARROWING_PARAMETER,
		type: 'collection',
		placeholder: 'Add Restriction',
		default: {},
		description: "Narrow the organisation's policy for this node; it can never be widened here",
		displayOptions: { show: { operation: operations } },
		options: [
			{
				displayName: 'Allowed File Types',
				name: 'allowedFileTypes',
				type: 'string',
				default: '',
				placeholder: 'pdf, md, text/*',
				description: 'Comma-separated extensions or MIME patterns; only these are imported',
			},
			{
				displayName: 'Allowed Export Formats',
				name: 'allowedExportFormats',
				type: 'string',
				default: '',
				placeholder: 'md, txt',
				description: 'Comma-separated export formats this node may produce',
			},
			{
				displayName: 'Deny Paths',
				name: 'denyPaths',
				type: 'string',
				default: '',
				placeholder: '/HR/**, **/Private/**',
				description: 'Comma-separated glob patterns on paths from the source root; matching items are skipped',
			},
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Larger files are skipped; 0 keeps the org limit',
			},
			{
				displayName: 'Max Files per Run',
				name: 'maxFilesPerRun',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'The rest comes on the next run; 0 keeps the org limit',
			},
		],
	};
}

function list(value: unknown): string[] | undefined {
	const entries = String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	return entries.length > 0 ? entries : undefined;
}

function positive(value: unknown): number | undefined {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : undefined;
}

/** What the node's "Restrict Further" parameters ask for (blank values ask for nothing). */
export function narrowingFromParameters(raw: IDataObject): PolicyNarrowing {
	return {
		allowedFileTypes: list(raw.allowedFileTypes),
		allowedExportFormats: list(raw.allowedExportFormats),
		denyPaths: list(raw.denyPaths),
		maxFileSizeMb: positive(raw.maxFileSizeMb),
		maxFilesPerRun: positive(raw.maxFilesPerRun),
	};
}

/**
 * The effective policy for this node run: the org policy narrowed by the node's parameters.
 * Throws, before any API call, when the provider is disabled or a policy value is bad.
 */
export function runPolicy(ctx: IExecuteFunctions, itemIndex: number, provider: Provider): RunPolicy {
	const org = loadPolicy();
	assertProviderEnabled(org, provider);
	const raw = ctx.getNodeParameter(POLICY_NARROWING_PARAMETER, itemIndex, {}) as IDataObject;
	const { policy, ignored } = narrowPolicy(org, narrowingFromParameters(raw ?? {}));
	return { policy, description: describePolicy(policy), warnings: ignored.map((entry) => entry.message) };
}

/** Path, type and size rules on a listed item. Deletions always pass, so downstream can remove the document. */
export function checkListedItem(policy: OrgPolicy, provider: Provider, item: ConnectorItem): PolicyDecision {
	if (item.change === 'deleted') return { allowed: true };
	return checkFile(policy, provider, { path: item.path, name: item.name, mime: item.mime ?? undefined, size: item.size ?? undefined });
}
