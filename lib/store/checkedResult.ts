/** A check's verdict on one emitted item, the same for both store drivers. */
import type { ConnectorItem } from '../items';
import type { CachedFingerprint, ChangeDecision } from './changeDetection';
import type { CheckedItem } from './types';

export function checkedResult<T extends ConnectorItem>(
	item: T,
	runId: number,
	decision: ChangeDecision,
	cached: CachedFingerprint | undefined,
): CheckedItem<T> {
	const result: CheckedItem<T> = { item, runId, change: decision.change, reason: decision.reason };
	if (decision.contentChanged !== undefined) result.contentChanged = decision.contentChanged;
	if (decision.changedFields !== undefined) result.changedFields = decision.changedFields;
	// The content is the one already indexed: its hash goes on, so a commit without export keeps it.
	if (decision.contentChanged === false && cached?.content_hash) result.indexedContentHash = cached.content_hash;
	return result;
}
