import { defaultRetryable, integrationKey } from '../../http';
import type { ProviderResilience } from '../types';

/** Error summaries Dropbox sends when a namespace is busy rather than the request wrong. */
const BUSY_SUMMARY = /^(?:[a-z_]+\/)*(?:too_many_write_operations|too_many_requests)\//;

/**
 * 429 (`too_many_requests`, `too_many_write_operations`), 5xx, and a 409 whose error summary says
 * the namespace is busy with other writes (Dropbox answers so for lookups of a folder being written).
 */
export async function dropboxRetryable(response: Response): Promise<boolean> {
	if (await defaultRetryable(response)) return true;
	if (response.status !== 409) return false;
	// A clone: the caller still reads the body when the answer is not retried.
	const text = await response.clone().text().catch(() => '');
	try {
		const summary = (JSON.parse(text) as { error_summary?: unknown }).error_summary;
		return typeof summary === 'string' && BUSY_SUMMARY.test(summary);
	} catch {
		return false;
	}
}

/** One circuit breaker per credential: one account's run of 429s must not pause another's. */
export const dropboxResilience: ProviderResilience = {
	isRetryable: dropboxRetryable,
	breakerKey: (credentialKey) => integrationKey('dropbox', credentialKey),
};
