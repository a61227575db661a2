import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/nodeErrors';
import * as browse from './browse.operation';
import * as exportOperation from './export.operation';
import * as listChanges from './listChanges.operation';

const operations: Record<string, (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>> = {
	browse: browse.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Export works on the whole batch and has a second output, Skipped.
	if (this.getNodeParameter('operation', 0) === 'export') return await exportOperation.execute.call(this);
	// List Changes has a second output too: items the org policy refuses.
	if (this.getNodeParameter('operation', 0) === 'listChanges') return await listChanges.executeAll.call(this);
	const items = this.getInputData();
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		try {
			results.push(...(await operations[operation].call(this, itemIndex)));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			results.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}
