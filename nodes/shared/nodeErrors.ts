import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { ConnectorError } from '../../lib/errors';

/** Turns an error from lib/ or a provider SDK into the n8n error a user sees, keeping the hint. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof ConnectorError) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.hint });
	}
	const status = (error as { status?: unknown }).status;
	if (typeof status === 'number') {
		return new NodeApiError(node, error as JsonObject, { itemIndex, httpCode: String(status) });
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
