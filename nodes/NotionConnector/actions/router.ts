import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/nodeErrors';
import * as browse from './browse.operation';
import * as exportOperation from './export.operation';
import * as listChanges from './listChanges.operation';

/** Operations that work on the whole batch and have a second output, Skipped. */
const batchOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	listChanges: listChanges.execute,
	export: exportOperation.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const batch = batchOperations[operation];
	if (batch) return await batch.call(this);
	if (operation !== 'browse') throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	const items = this.getInputData();
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			results.push(...(await browse.execute.call(this, itemIndex)));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			results.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}
