import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { connectorCache } from '../../shared/cache';

export const sourceKeyParameter = (operations: string[], required: boolean): INodeProperties => ({
	displayName: 'Source Key',
	name: 'sourceKey',
	type: 'string',
	default: '',
	required,
	placeholder: 'google_drive:alice@example.com:folder:1AbC…',
	description: required
		? 'The source_key of the source to forget (as on its items)'
		: 'The source_key of one source; leave empty for every source',
	displayOptions: { show: { operation: operations } },
});

export const description: INodeProperties[] = [sourceKeyParameter(['status'], false)];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const sourceKey = (this.getNodeParameter('sourceKey', 0, '') as string).trim();
	const cache = connectorCache();
	const sources = cache.status(sourceKey || undefined);
	return [
		sources.map((source) => ({
			json: {
				source_key: source.sourceKey,
				provider: source.provider,
				last_run: source.lastRun as unknown as IDataObject,
				last_run_status: source.lastRun?.status ?? null,
				last_error: source.lastError as unknown as IDataObject,
				last_synced_at: source.lastSuccessAt,
				cursor_committed_at: source.cursorCommittedAt,
				items_known: source.itemsKnown,
				items_deleted: source.itemsDeleted,
				items_in_flight: source.itemsInFlight,
				cache_driver: cache.driverName,
			},
			pairedItem: { item: 0 },
		})),
	];
}
