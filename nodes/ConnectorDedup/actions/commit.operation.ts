import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { ConnectorItem } from '../../../lib/items';
import { assertItemsInScope } from '../../../lib/sync';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';
import { pairedItemsFrom } from '../../shared/lineage';

const NODE_TYPE_SUFFIX = '.connectorDedup';

export const description: INodeProperties[] = [
	{
		displayName: 'Check Step',
		name: 'checkNode',
		type: 'string',
		default: '',
		placeholder: 'Connector Dedup',
		description:
			'Name of the Connector Dedup step (operation Check) these items came through. Leave empty to use the nearest one upstream. Items are matched to it through n8n item lineage, so steps in between may replace the item JSON.',
		displayOptions: { show: { operation: ['commit'] } },
	},
];

function isConnectorItem(json: IDataObject): boolean {
	return typeof json.provider === 'string' && typeof json.external_id === 'string' && typeof json.source_key === 'string';
}

/** The upstream check step: named by the user, or the nearest Connector Dedup with operation Check. */
function findCheckNode(ctx: IExecuteFunctions): string {
	const named = (ctx.getNodeParameter('checkNode', 0, '') as string).trim();
	if (named) return named;
	const ancestors = ctx.getParentNodes(ctx.getNode().name, { includeNodeParameters: true });
	const check = ancestors.find(
		(node) => node.type.endsWith(NODE_TYPE_SUFFIX) && (node.parameters as IDataObject | undefined)?.operation === 'check',
	);
	if (!check) {
		throw new NodeOperationError(ctx.getNode(), 'No Connector Dedup step with operation Check found upstream', {
			description: 'Commit records what a Check step emitted: put one before your ingestion, or name it in "Check Step".',
		});
	}
	return check.name;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	let checked: Array<IDataObject | undefined> = items.map((item) => (isConnectorItem(item.json) ? item.json : undefined));
	if (checked.some((json) => json === undefined)) {
		const checkNode = findCheckNode(this);
		const paired = pairedItemsFrom(this, checkNode, items);
		checked = checked.map((json, index) => json ?? paired[index]?.json);
	}
	const missing = checked.findIndex((json) => json === undefined || !isConnectorItem(json));
	if (missing !== -1) {
		throw new NodeOperationError(this.getNode(), `Item ${missing} cannot be traced back to a checked item`, {
			itemIndex: missing,
			description:
				'Keep the connection from the Check step to this one intact (steps in between must keep item lineage), or pass the checked fields through.',
		});
	}
	// Where runs complete: committing settles each item's run, and a run whose every listed item is
	// settled commits its proposed cursor, so the next listChanges starts after it (lib/store).
	const store = await connectorStore();
	const committing = checked as unknown as ConnectorItem[];
	await withinScope(this, assertItemsInScope(store, stateScope(this), committing, { adopt: false }));
	await store.items.commit(committing, { executionId: this.getExecutionId() });
	const committedAt = new Date().toISOString();
	return [
		checked.map((json, index) => ({
			json: { ...(json as IDataObject), committed: true, committed_at: committedAt },
			pairedItem: { item: index },
		})),
	];
}
