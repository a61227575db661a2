import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/**
 * Which n8n credential a node speaks as, without its secret: the type and the credential's id.
 * Throttles, circuit breakers and the account check are kept per credential.
 */
export function credentialKey(ctx: IExecuteFunctions | ILoadOptionsFunctions, type: string): string {
	const credential = ctx.getNode().credentials?.[type];
	return `${type}:${credential?.id ?? credential?.name ?? 'unnamed'}`;
}
