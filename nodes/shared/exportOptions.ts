/** Export options every connector node offers, described and read once. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const passMetadataOnlyOption: INodeProperties = {
	displayName: 'Pass Through Metadata-Only Changes',
	name: 'passMetadataOnly',
	type: 'boolean',
	default: false,
	description:
		'Whether items Connector Dedup found changed only in name, path or permissions (content_changed is false) leave on the main output without a download or binary, so the next step updates the index\'s metadata instead of embedding the same content again',
};

export function passMetadataOnlyOf(ctx: IExecuteFunctions): boolean {
	return (ctx.getNodeParameter('exportOptions', 0, {}) as IDataObject).passMetadataOnly === true;
}

/** The Export option for ids its workflow's listings never emitted (a spreadsheet of ids, a search result). */
export function exportIdsDirectlyOption(providerName: string, itemNoun: string): INodeProperties {
	return {
		displayName: 'Export IDs Directly',
		name: 'exportIdsDirectly',
		type: 'boolean',
		default: false,
		description:
			`Whether to export ${itemNoun}s whose ID this workflow's List Changes never emitted. Their name, type, size and path (from the root of the drive or workspace) are then read from ${providerName}, and the org policy's rules apply to those, not to the item JSON. Off: such items go to Skipped as unknown_source_item.`,
	};
}

/** Whether the Export node was asked to export ids directly (the option of every connector's Export). */
export function exportsIdsDirectly(ctx: IExecuteFunctions): boolean {
	return (ctx.getNodeParameter('exportOptions', 0, {}) as IDataObject).exportIdsDirectly === true;
}
