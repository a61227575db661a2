import type { ConnectorItem } from '../items';

/** The four outputs of connectorDedup `check`. */
export type DedupChange = 'new' | 'changed' | 'unchanged' | 'deleted';

/** Why an item was routed where it was; stable codes a workflow may branch on. */
export type ChangeReason =
	| 'not_in_cache'
	| 'restored_after_deletion'
	| 'deleted_upstream'
	| 'already_deleted'
	| 'nothing_to_delete'
	| 'content_changed'
	| 'same_content'
	| 'version_changed'
	| 'hash_changed'
	| 'modified_at_changed'
	| 'same_version'
	| 'no_comparable_fields'
	| 'claimed_by_other_run';

export interface ChangeDecision {
	change: DedupChange;
	reason: ChangeReason;
}

/** The fields change detection reads from an incoming item. */
export type IncomingFingerprint = Pick<ConnectorItem, 'change' | 'version' | 'hash' | 'modified_at' | 'content_hash'>;

/** The fingerprint of the last ingested version, as the cache holds it. */
export interface CachedFingerprint {
	version: string | null;
	hash: string | null;
	modified_at: string | null;
	content_hash: string | null;
	deleted: boolean;
}

/** A value counts as present when it is a non-empty string or a number (items may come from a Code node). */
export function presentText(value: unknown): string | null {
	if (typeof value === 'string') return value === '' ? null : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function sameInstant(left: string, right: string): boolean {
	if (left === right) return true;
	const leftMs = Date.parse(left);
	const rightMs = Date.parse(right);
	// `…T10:00:00Z` and `…T10:00:00.000Z` are the same moment; unparsable values compare as text.
	if (Number.isFinite(leftMs) && Number.isFinite(rightMs)) return leftMs === rightMs;
	return left === right;
}

const METADATA_FIELDS = [
	{ field: 'version', reason: 'version_changed', same: (a: string, b: string) => a === b },
	{ field: 'hash', reason: 'hash_changed', same: (a: string, b: string) => a === b },
	{ field: 'modified_at', reason: 'modified_at_changed', same: sameInstant },
] as const;

/**
 * Compares an incoming item with the cached fingerprint of its last ingested version.
 *
 * The exported bytes decide when both sides have a `content_hash`: metadata can move without
 * the content changing (a Drive rename, a Notion property touch), and Notion's minute-precision
 * timestamps can stay put while the content changes. Otherwise `version`, `hash` and
 * `modified_at` are compared where both sides have them. When no field is comparable the item is
 * `changed`: re-ingesting is idempotent downstream, while guessing `unchanged` would lose an edit.
 */
export function detectChange(item: IncomingFingerprint, cached: CachedFingerprint | undefined): ChangeDecision {
	if (item.change === 'deleted') {
		if (cached === undefined) return { change: 'unchanged', reason: 'nothing_to_delete' };
		if (cached.deleted) return { change: 'unchanged', reason: 'already_deleted' };
		return { change: 'deleted', reason: 'deleted_upstream' };
	}
	if (cached === undefined) return { change: 'new', reason: 'not_in_cache' };
	if (cached.deleted) return { change: 'new', reason: 'restored_after_deletion' };

	const incomingContent = presentText(item.content_hash);
	if (incomingContent !== null && cached.content_hash !== null) {
		return incomingContent === cached.content_hash
			? { change: 'unchanged', reason: 'same_content' }
			: { change: 'changed', reason: 'content_changed' };
	}

	let compared = 0;
	for (const { field, reason, same } of METADATA_FIELDS) {
		const incoming = presentText(item[field]);
		const known = cached[field];
		if (incoming === null || known === null) continue;
		compared++;
		if (!same(incoming, known)) return { change: 'changed', reason };
	}
	return compared > 0
		? { change: 'unchanged', reason: 'same_version' }
		: { change: 'changed', reason: 'no_comparable_fields' };
}

/**
 * Identifies "this version" of an item for claims: two runs holding the same fingerprint would
 * emit the same thing. Stable across processes for the same listed item.
 */
export function fingerprint(item: IncomingFingerprint): string {
	return JSON.stringify([
		presentText(item.version),
		presentText(item.hash),
		presentText(item.modified_at),
		presentText(item.content_hash),
		item.change === 'deleted' ? 1 : 0,
	]);
}
