import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ConnectorItem } from '../../../lib/items';
import { assertItemsInScope } from '../../../lib/sync';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';
import { checkedItemsOf, checkNodeParameter } from './checkedItems';

export const description: INodeProperties[] = [checkNodeParameter(['commit', 'release'])];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const checked = checkedItemsOf(this, items, 'Commit');
	// Where runs complete: committing settles each item's run, and a run whose every listed item is
	// settled commits its proposed cursor, so the next listChanges starts after it (lib/store).
	const store = await connectorStore();
	const committing = checked as unknown as ConnectorItem[];
	await withinScope(this, assertItemsInScope(store, stateScope(this), committing, { adopt: false }));
	await store.items.commit(committing, { executionId: this.getExecutionId() });
	const committedAt = new Date().toISOString();
	return [
		checked.map((json, index) => ({
			json: { ...json, committed: true, committed_at: committedAt },
			pairedItem: { item: index },
		})),
	];
}
