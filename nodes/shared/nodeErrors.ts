import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { ConnectorError } from '../../lib/errors';

/**
 * Turns an error from lib/ or a provider SDK into the n8n error a user sees.
 * An n8n error raised inside an SDK call (e.g. "the credential needs to be
 * reconnected") is found through the `cause` chain and kept as n8n made it.
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof NodeOperationError || e instanceof NodeApiError) return e;
		if (e instanceof ConnectorError) {
			return new NodeOperationError(node, e.message, { itemIndex, description: e.hint });
		}
	}
	const status = (error as { status?: unknown }).status;
	if (typeof status === 'number') {
		return new NodeApiError(node, error as JsonObject, { itemIndex, httpCode: String(status) });
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
