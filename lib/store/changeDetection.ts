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
	| 'metadata_changed'
	| 'claimed_by_other_run';

/** The item fields an index keeps beside the content, compared on their own (`changed_fields`). */
export const METADATA_FIELDS = ['name', 'path', 'permissions'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export interface ChangeDecision {
	change: DedupChange;
	reason: ChangeReason;
	/** New and Changed only: whether the content must be exported again (false: metadata only). */
	contentChanged?: boolean;
	/** New and Changed only: the metadata fields that differ from the last ingested version. */
	changedFields?: MetadataField[];
}

/** The fields change detection reads from an incoming item. */
export type IncomingFingerprint = Pick<ConnectorItem, 'change' | 'version' | 'hash' | 'modified_at' | 'content_hash'> &
	Partial<Pick<ConnectorItem, 'name' | 'path'>> & { permissions?: unknown };

/** The fingerprint of the last ingested version, as the cache holds it. */
export interface CachedFingerprint {
	version: string | null;
	hash: string | null;
	modified_at: string | null;
	content_hash: string | null;
	deleted: boolean;
	/** The metadata recorded at commit; absent when the caller does not compare it. */
	name?: string | null;
	path?: string | null;
	/** `permissionsKey` of the permissions committed; null when none were recorded. */
	permissions?: string | null;
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

/** Content signals, strongest first: a checksum of the bytes, then the time the content was saved, then the version. */
const CONTENT_SIGNALS = [
	{ field: 'hash', reason: 'hash_changed', same: (a: string, b: string) => a === b },
	{ field: 'modified_at', reason: 'modified_at_changed', same: sameInstant },
	{ field: 'version', reason: 'version_changed', same: (a: string, b: string) => a === b },
] as const;

/**
 * The item's permissions in one canonical text (entries and keys sorted), so the same sharing
 * compares equal whatever order the provider listed it in; null when the item carries none.
 */
export function permissionsKey(value: unknown): string | null {
	if (!Array.isArray(value)) return null;
	const entries = value.map((entry: unknown) => {
		if (entry === null || typeof entry !== 'object') return JSON.stringify(entry ?? null);
		const record = entry as Record<string, unknown>;
		return JSON.stringify(Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]])));
	});
	return `[${entries.sort().join(',')}]`;
}

/**
 * The metadata fields that differ from the last ingested version. Name and path compare when the
 * item has them; permissions when the item carries them (a listing with permissions switched off
 * carries none, and says nothing about them).
 */
export function changedMetadata(item: IncomingFingerprint, cached: CachedFingerprint): MetadataField[] {
	const changed: MetadataField[] = [];
	for (const field of ['name', 'path'] as const) {
		const incoming = item[field];
		if (typeof incoming === 'string' && cached[field] !== undefined && incoming !== cached[field]) changed.push(field);
	}
	const permissions = permissionsKey(item.permissions);
	if (permissions !== null && cached.permissions !== undefined && permissions !== cached.permissions) changed.push('permissions');
	return changed;
}

/**
 * Whether the content moved since the last ingested version: the exported bytes when both sides
 * have a `content_hash`; else the strongest signal both sides have — the checksum, then the time
 * the content was saved, then the version. A version alone cannot tell a rename from an edit (Drive
 * and Graph bump it on either), so it decides only when nothing stronger is there.
 */
function contentDecision(item: IncomingFingerprint, cached: CachedFingerprint): { changed: boolean; reason: ChangeReason } {
	const incomingContent = presentText(item.content_hash);
	if (incomingContent !== null && cached.content_hash !== null) {
		return incomingContent === cached.content_hash ? { changed: false, reason: 'same_content' } : { changed: true, reason: 'content_changed' };
	}
	for (const { field, reason, same } of CONTENT_SIGNALS) {
		const incoming = presentText(item[field]);
		const known = cached[field];
		if (incoming === null || known === null) continue;
		return same(incoming, known) ? { changed: false, reason: 'same_version' } : { changed: true, reason };
	}
	return { changed: true, reason: 'no_comparable_fields' };
}

/**
 * Compares an incoming item with the cached fingerprint of its last ingested version.
 *
 * The content decides first (`contentDecision`): a content change is `changed` with
 * `contentChanged: true`. When the content is the same, the metadata an index keeps beside it (name,
 * path, permissions) is compared: a rename, a move, a parent folder renamed or new sharing is
 * `changed` with `contentChanged: false` and the fields in `changedFields`, so the index updates
 * its metadata without exporting again. When no field is comparable the item is `changed`:
 * re-ingesting is idempotent downstream, while guessing `unchanged` would lose an edit.
 */
export function detectChange(item: IncomingFingerprint, cached: CachedFingerprint | undefined): ChangeDecision {
	if (item.change === 'deleted') {
		if (cached === undefined) return { change: 'unchanged', reason: 'nothing_to_delete' };
		if (cached.deleted) return { change: 'unchanged', reason: 'already_deleted' };
		return { change: 'deleted', reason: 'deleted_upstream' };
	}
	if (cached === undefined) return { change: 'new', reason: 'not_in_cache', contentChanged: true, changedFields: [] };
	if (cached.deleted) return { change: 'new', reason: 'restored_after_deletion', contentChanged: true, changedFields: [] };

	const content = contentDecision(item, cached);
	const changedFields = changedMetadata(item, cached);
	if (content.changed) return { change: 'changed', reason: content.reason, contentChanged: true, changedFields };
	if (changedFields.length > 0) return { change: 'changed', reason: 'metadata_changed', contentChanged: false, changedFields };
	return { change: 'unchanged', reason: content.reason };
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

/**
 * Identifies what a run emits for claims: the content fingerprint and the metadata beside it, so a
 * metadata-only change (a parent folder renamed: same content, same version) is a version of its
 * own that a run can claim, and not the one already committed.
 */
export function claimFingerprint(item: IncomingFingerprint): string {
	if (item.change === 'deleted') return fingerprint(item);
	const name = typeof item.name === 'string' ? item.name : null;
	const path = typeof item.path === 'string' ? item.path : null;
	return JSON.stringify([fingerprint(item), name, path, permissionsKey(item.permissions)]);
}
