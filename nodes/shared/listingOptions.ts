/** The List Changes options every file provider's node offers, described and read once. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ListingOptions } from '../../lib/sync';
import { commaList, positiveNumber } from './parameters';

export const maxItemsOption: INodeProperties = {
	displayName: 'Max Items per Run',
	name: 'maxItems',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description:
		'Stop after this many items; the rest comes on the next run, nothing is dropped. 0 for no limit (ORG_CONNECTORS_MAX_FILES_PER_RUN still applies).',
};

export const permissionsOption: INodeProperties = {
	displayName: 'Permissions',
	name: 'permissions',
	type: 'boolean',
	default: true,
	description:
		'Whether items carry who may read them (permissions), read in the same listing requests where the provider offers it. Switch off for an account that may not read sharing, or to list in fewer requests.',
};

/** Whether List Changes asks for permissions: on unless switched off. */
export function permissionsOf(options: IDataObject): boolean {
	return options.permissions !== false;
}

/**
 * The Options collection of a file source: include types (with examples of the provider's own
 * types), exclude paths, max items, and Permissions where the provider's listing can read them.
 */
export function fileListingOptions(typeExamples: string, { permissions = false }: { permissions?: boolean } = {}): INodeProperties {
	return {
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Types',
				name: 'includeTypes',
				type: 'string',
				default: '',
				placeholder: typeExamples,
				description: 'Comma-separated extensions or MIME types (wildcards allowed); empty for all',
			},
			{
				displayName: 'Exclude Paths',
				name: 'excludeGlobs',
				type: 'string',
				default: '',
				placeholder: '/Archive/**, **/*.tmp',
				description: 'Comma-separated glob patterns on paths from the source root; matching files are left out',
			},
			maxItemsOption,
			...(permissions ? [permissionsOption] : []),
		],
	};
}

/** Include types, exclude globs and the node's cap on items per run, as `fileListingOptions` describes them. */
export function fileListingOptionsOf(ctx: IExecuteFunctions, itemIndex: number): ListingOptions {
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	return {
		includeMimeTypes: commaList(options.includeTypes),
		excludeGlobs: commaList(options.excludeGlobs),
		maxItems: positiveNumber(options.maxItems),
	};
}

/** As `fileListingOptionsOf`, with Permissions (for a provider whose listing reads them). */
export function fileListingOptionsWithPermissionsOf(ctx: IExecuteFunctions, itemIndex: number): ListingOptions {
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	return { ...fileListingOptionsOf(ctx, itemIndex), permissions: permissionsOf(options) };
}
