/**
 * The org policy as a node reads it: loaded from the environment (and policy file), narrowed by
 * the node's "Restrict Further" parameters. The engine (lib/sync) applies it.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Provider } from '../../lib/items';
import { assertProviderEnabled, describePolicy, loadPolicy, narrowPolicy, type PolicyNarrowing } from '../../lib/policy';
import type { RunPolicy } from '../../lib/sync';

import { commaList, positiveNumber } from './parameters';

export const POLICY_NARROWING_PARAMETER = 'policyNarrowing';

export type { RunPolicy };

/** The "Restrict Further" collection: a workflow can narrow the org policy, never widen it. */
export const policyNarrowingProperty: INodeProperties = {
	displayName: 'Restrict Further',
	name: POLICY_NARROWING_PARAMETER,
	type: 'collection',
	placeholder: 'Add Restriction',
	default: {},
	description: "Narrow the organisation's policy for this node; it can never be widened here",
	options: [
		{
			displayName: 'Allowed Export Formats',
			name: 'allowedExportFormats',
			type: 'string',
			default: '',
			placeholder: 'md, txt',
			description: 'Comma-separated export formats this node may produce',
		},
		{
			displayName: 'Allowed File Types',
			name: 'allowedFileTypes',
			type: 'string',
			default: '',
			placeholder: 'pdf, md, text/*',
			description: 'Comma-separated extensions or MIME patterns; only these are imported',
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

function list(value: unknown): string[] | undefined {
	const entries = commaList(value);
	return entries.length > 0 ? entries : undefined;
}

/** What the node's "Restrict Further" parameters ask for (blank values ask for nothing). */
export function narrowingFromParameters(raw: IDataObject): PolicyNarrowing {
	return {
		allowedFileTypes: list(raw.allowedFileTypes),
		allowedExportFormats: list(raw.allowedExportFormats),
		denyPaths: list(raw.denyPaths),
		maxFileSizeMb: positiveNumber(raw.maxFileSizeMb),
		maxFilesPerRun: positiveNumber(raw.maxFilesPerRun),
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
