import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';

/** One operation of a node: the whole input batch in, the node's outputs out. */
export type OperationHandler = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/**
 * Every node's `execute`: the operation parameter picks the handler from the node's typed map; an
 * unknown operation fails naming the ones there are.
 */
export async function route(ctx: IExecuteFunctions, operations: Readonly<Record<string, OperationHandler>>): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (handler === undefined) {
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`, {
			description: `This node's operations are ${Object.keys(operations).join(', ')}.`,
		});
	}
	try {
		return await handler.call(ctx);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, 0);
	}
}

/**
 * An operation that runs once per input item with one output; a failing item becomes an item with
 * `error` when the node continues on failure, else fails the node.
 */
export function perItem(execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>): OperationHandler {
	return async function (this: IExecuteFunctions) {
		const results: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			try {
				results.push(...(await execute.call(this, itemIndex)));
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				results.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
			}
		}
		return [results];
	};
}
