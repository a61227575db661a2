/**
 * How an export step's results leave the node, the same for every provider: main, then Skipped,
 * in the input order whatever order the downloads finished in; a failed item named in its error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';

export type ExportFailure = { error: NodeApiError | NodeOperationError; itemIndex: number };
export type Routed = { output: 0 | 1; item: INodeExecutionData } | ExportFailure;

/**
 * A failed item becomes an item with `error` on main when the node continues on failure; with the
 * error output switched on its JSON is only the error, which n8n moves to that output merged with
 * the input item. Otherwise the first failure fails the node.
 */
export function routeExportResults(
	settled: readonly Routed[],
	items: readonly INodeExecutionData[],
	{ continueOnFail, errorOutput }: { continueOnFail: boolean; errorOutput: boolean },
): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = [[], []];
	for (const result of settled) {
		if ('error' in result) {
			if (!continueOnFail) throw result.error;
			const { message } = result.error;
			const json = errorOutput ? { error: message } : { ...items[result.itemIndex].json, error: message };
			outputs[0].push({ json, pairedItem: { item: result.itemIndex } });
		} else {
			outputs[result.output].push(result.item);
		}
	}
	return outputs;
}

/** The node error for an item that failed after every retry, naming it so the person knows which one. */
export function exportFailure(
	ctx: IExecuteFunctions,
	json: IDataObject,
	error: unknown,
	itemIndex: number,
	noun: string,
): NodeApiError | NodeOperationError {
	const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
	const name = typeof json.name === 'string' && json.name !== '' ? `"${json.name}"` : `a ${noun}`;
	const id = typeof json.external_id === 'string' ? ` (${json.external_id})` : '';
	nodeError.message = `Could not export ${name}${id}: ${nodeError.message}`;
	return nodeError;
}
