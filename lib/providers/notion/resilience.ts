import { defaultRetryable, integrationKey } from '../../http';
import type { ProviderResilience } from '../types';

/** Notion's `rate_limited` (429) and its transient server errors (500, 502, 503, 504). */
export async function notionRetryable(response: Response): Promise<boolean> {
	return await defaultRetryable(response);
}

/**
 * One throttle and one circuit breaker per integration credential: Notion's ~3 requests per
 * second are the integration's, shared by every execution in the process. The key is a hash,
 * so the process-wide maps never hold a credential's name in clear.
 */
export const notionResilience: ProviderResilience = {
	isRetryable: notionRetryable,
	breakerKey: (credentialKey) => integrationKey('notion', credentialKey),
};
