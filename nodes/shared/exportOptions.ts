import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
	const { exportIdsDirectly } = ctx.getNodeParameter('exportOptions', 0, {}) as { exportIdsDirectly?: unknown };
	return exportIdsDirectly === true;
}
