/** The ingestion-ready item every listing, export and dedup step emits (PRODUCT.md §4). */
export type Provider = 'google_drive' | 'notion';

export const PROVIDERS: readonly Provider[] = ['google_drive', 'notion'];

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
	[extra: string]: unknown;
}
