import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { assertSourceInScope } from '../../../lib/sync';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';
import { sourceKeyParameter } from './status.operation';

export const description: INodeProperties[] = [sourceKeyParameter(['forget'], true)];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const sourceKey = (this.getNodeParameter('sourceKey', 0) as string).trim();
	if (!sourceKey) {
		throw new NodeOperationError(this.getNode(), 'Source Key is empty', {
			description: "Name the source to forget; Status lists this workflow's source keys.",
		});
	}
	const store = await connectorStore();
	// Only a source of this workflow (or any, for a workflow in CONNECTORS_STATE_ADMIN_WORKFLOWS).
	await withinScope(this, assertSourceInScope(store, stateScope(this), sourceKey));
	const forgotten = await store.forget(sourceKey);
	return [
		[
			{
				json: {
					source_key: forgotten.sourceKey,
					items_removed: forgotten.items,
					runs_removed: forgotten.runs,
					claims_removed: forgotten.claims,
					cursor_removed: forgotten.hadCursor,
				},
				pairedItem: { item: 0 },
			},
		],
	];
}
