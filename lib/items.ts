/** The ingestion-ready item every listing, export and dedup step emits (docs/architecture.md, "Items"). */

/** `google_drive`, `notion`, …: the providers lib/providers/registry.ts lists. */
export type Provider = string;

/**
 * One entry of an item's `permissions` (README, "Item fields"): who may read it, and with which
 * role. `workspace` (Notion) names the workspace whose members with access may read it: an upper
 * bound, as Notion's API names no readers.
 */
export interface ItemPermission {
	/** `user`, `group`, `domain`, `anyone` or `workspace`. */
	type: string;
	role: string;
	email?: string;
	domain?: string;
	/** `anyone` and `domain` grants: true when only people with the link can open it (not found by search). */
	with_link?: boolean;
	workspace_id?: string;
	workspace_name?: string;
}

/** `upsert`/`deleted` from listChanges; `new`/`changed`/`unchanged`/`deleted` after dedup check. */
export type ChangeKind = 'upsert' | 'deleted' | 'new' | 'changed' | 'unchanged';

export interface ConnectorItem {
	provider: Provider;
	external_id: string;
	source_key: string;
	name: string;
	path: string;
	parents: string[];
	mime: string | null;
	size: number | null;
	modified_at: string | null;
	created_at: string | null;
	version: string | null;
	hash: string | null;
	url: string | null;
	change: ChangeKind;
	/** Added by export. */
	export_format?: string;
	export_mime?: string;
	content_hash?: string;
	/** Added by export where the provider read the content one of several ways (Notion: `markdown` or `blocks`). */
	content_source?: string;
	/** Added by export: notes on an item that was still exported (a fallback taken), each a stable code and a sentence. */
	export_notes?: Array<{ code: string; detail: string }>;
	[extra: string]: unknown;
}

/** Code-unit order, the same on every machine and locale. */
export function compareText(left: string, right: string): number {
	return left < right ? -1 : left > right ? 1 : 0;
}

/** The order a listing emits items in: by path, then change, then id. */
export function byPath(left: ConnectorItem, right: ConnectorItem): number {
	return compareText(left.path, right.path) || compareText(left.change, right.change) || compareText(left.external_id, right.external_id);
}
