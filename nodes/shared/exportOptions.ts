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
