import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ConnectorItem } from '../../../lib/items';
import { connectorStore } from '../../shared/store';
import { checkedItemsOf, checkNodeParameter } from './checkedItems';

export const description: INodeProperties[] = [checkNodeParameter(['commit', 'release'])];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const checked = checkedItemsOf(this, items, 'Commit');
	// Where runs complete: committing settles each item's run, and a run whose every listed item is
	// settled commits its proposed cursor, so the next listChanges starts after it (lib/store).
	await (await connectorStore()).items.commit(checked as unknown as ConnectorItem[], { executionId: this.getExecutionId() });
	const committedAt = new Date().toISOString();
	return [
		checked.map((json, index) => ({
			json: { ...json, committed: true, committed_at: committedAt },
			pairedItem: { item: index },
		})),
	];
}
