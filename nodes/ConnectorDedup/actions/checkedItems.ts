import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { pairedItemsFrom } from '../../shared/lineage';

const NODE_TYPE_SUFFIX = '.connectorDedup';

/** The Check step Commit and Release trace their items back to. */
export function checkNodeParameter(operations: string[]): INodeProperties {
	return {
		displayName: 'Check Step',
		name: 'checkNode',
		type: 'string',
		default: '',
		placeholder: 'Connector Dedup',
		description:
			'Name of the Connector Dedup step (operation Check) these items came through. Leave empty to use the nearest one upstream. Items are matched to it through n8n item lineage, so steps in between may replace the item JSON.',
		displayOptions: { show: { operation: operations } },
	};
}

function isConnectorItem(json: IDataObject): boolean {
	return typeof json.provider === 'string' && typeof json.external_id === 'string' && typeof json.source_key === 'string';
}

/** The upstream check step: named by the user, or the nearest Connector Dedup with operation Check. */
function findCheckNode(ctx: IExecuteFunctions, operation: string): string {
	const named = (ctx.getNodeParameter('checkNode', 0, '') as string).trim();
	if (named) return named;
	const ancestors = ctx.getParentNodes(ctx.getNode().name, { includeNodeParameters: true });
	const check = ancestors.find(
		(node) => node.type.endsWith(NODE_TYPE_SUFFIX) && (node.parameters as IDataObject | undefined)?.operation === 'check',
	);
	if (!check) {
		throw new NodeOperationError(ctx.getNode(), 'No Connector Dedup step with operation Check found upstream', {
			description: `${operation} settles what a Check step emitted: put one before your ingestion, or name it in "Check Step".`,
		});
	}
	return check.name;
}

/**
 * The checked item behind each input item: the item itself when it still carries the connector
 * fields, else what the Check step emitted for it (an HTTP Request node replaces the JSON).
 */
export function checkedItemsOf(ctx: IExecuteFunctions, items: INodeExecutionData[], operation: string): IDataObject[] {
	let checked: Array<IDataObject | undefined> = items.map((item) => (isConnectorItem(item.json) ? item.json : undefined));
	if (checked.some((json) => json === undefined)) {
		const paired = pairedItemsFrom(ctx, findCheckNode(ctx, operation), items);
		checked = checked.map((json, index) => json ?? paired[index]?.json);
	}
	const missing = checked.findIndex((json) => json === undefined || !isConnectorItem(json));
	if (missing !== -1) {
		throw new NodeOperationError(ctx.getNode(), `Item ${missing} cannot be traced back to a checked item`, {
			itemIndex: missing,
			description:
				'Keep the connection from the Check step to this one intact (steps in between must keep item lineage), or pass the checked fields through.',
		});
	}
	return checked as IDataObject[];
}
