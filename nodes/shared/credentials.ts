import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/**
 * Which n8n credential a node speaks as, without its secret: the type and the credential's id.
 * Throttles, circuit breakers and the account check are kept per credential.
 */
export function credentialKey(ctx: IExecuteFunctions | ILoadOptionsFunctions, type: string): string {
	const credential = ctx.getNode().credentials?.[type];
	return `${type}:${credential?.id ?? credential?.name ?? 'unnamed'}`;
}

/**
 * The node's `authentication` parameter, in an execution or in the editor's pickers: which of its
 * credential types it speaks as. Not per item: one credential serves the whole execution.
 */
export function authenticationOf(ctx: IExecuteFunctions | ILoadOptionsFunctions, fallback: string): unknown {
	const inExecution = typeof (ctx as IExecuteFunctions).getInputData === 'function';
	return inExecution ? (ctx as IExecuteFunctions).getNodeParameter('authentication', 0, fallback) : (ctx as ILoadOptionsFunctions).getNodeParameter('authentication', fallback);
}
