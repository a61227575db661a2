import type { ConnectorItem } from '../../lib/items';
import type { ConnectorStore } from '../../lib/store';

export interface FailedItem {
	item: ConnectorItem;
	/** What went wrong, for the run record's error samples. */
	message: string;
}

/**
 * Records items that failed after every retry (PRODUCT.md §8: reported, not committed, retried
 * next run): each frees its run's claim, counts as failed with its message in the run record, and
 * holds the run's cursor back so the next run lists it again. Items the cache cannot key (no
 * provider, source or id, e.g. built by hand) are left alone.
 */
export async function settleFailed(cache: ConnectorStore, failed: readonly FailedItem[], executionId?: string): Promise<void> {
	for (const { item, message } of failed) {
		const keyed = [item.provider, item.source_key, item.external_id].every((value) => typeof value === 'string' && value !== '');
		if (keyed) await cache.items.release([item], { outcome: 'failed', reason: message, executionId });
	}
}
