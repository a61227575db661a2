/** Connector Dedup as a workflow runs it: one execute per step, over the store at CONNECTORS_CACHE_PATH. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ConnectorItem } from '../../../lib/items';
import { ConnectorDedup } from '../../../nodes/ConnectorDedup/ConnectorDedup.node';
import { item } from '../../lib/store/helpers';
import { executeContext, type ExecuteContextOptions } from '../support';

export const SOURCE = 'google_drive:alice@example.com:folder:1AbCdEfGhIjKlMnOp';
export const OTHER_SOURCE = 'notion:workspace-9:page_tree:0123';
export const DEDUP_TYPE = 'n8n-nodes-external-connectors.connectorDedup';

/** A listed Drive file, as List Changes emits it. */
export function listed(externalId: string, overrides: Partial<ConnectorItem> = {}): INodeExecutionData {
	const json = item(externalId, { source_key: SOURCE, parents: ['1AbCdEfGhIjKlMnOp'], ...overrides });
	return { json: json as unknown as IDataObject };
}

/** Runs one Connector Dedup step with `operation` and the step's other parameters. */
export async function dedup(operation: string, options: ExecuteContextOptions = {}): Promise<INodeExecutionData[][]> {
	const ctx = executeContext({
		...options,
		node: { name: 'Connector Dedup', type: DEDUP_TYPE, ...options.node },
		parameters: { operation, ...options.parameters },
	});
	return await new ConnectorDedup().execute.call(ctx);
}

/** Check, then commit what it let through with the JSON intact, as one execution of a workflow. */
export async function checkAndCommit(items: INodeExecutionData[], executionId: string): Promise<INodeExecutionData[][]> {
	const outputs = await dedup('check', { items, executionId });
	const emitted = outputs.slice(0, 2).flat().concat(outputs[3]);
	if (emitted.length > 0) await dedup('commit', { items: emitted.map((item) => ({ json: item.json })), executionId });
	return outputs;
}

export const ids = (items: INodeExecutionData[]) => items.map((item) => item.json.external_id);
