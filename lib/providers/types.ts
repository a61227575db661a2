/**
 * What every provider offers the sync engine (docs/architecture.md, "Providers"). A provider knows
 * its API and nothing of n8n or of the connectors' state: the engine (lib/sync) reads the committed
 * cursor and snapshot from the store, asks the provider what changed, and keeps what it answers.
 * One folder per provider under lib/providers/ implements this; lib/providers/registry.ts lists them.
 */
import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../items';

/** The `provider` field of items: `google_drive`, `notion`, … (the registry lists them). */
export type ProviderId = string;

/** Who the connection speaks as, with what the org policy's account rules need. */
export interface ProviderAccount {
	/** What source keys name the account by (the Drive user's e-mail, the Notion workspace). */
	accountId: string;
	/** The e-mail the account-domain rule checks (Drive user, Notion integration owner); null when unknown. */
	email: string | null;
	/** Set by providers with workspaces (`workspaceRule`). */
	workspaceId?: string | null;
	workspaceName?: string | null;
}

/** Include-type and exclude-glob filters on a path and MIME type; true keeps the item. */
export type ItemFilter = (path: string, mime: string | null) => boolean;

export interface ListChangesRequest<Source, Cursor, Snapshot> {
	source: Source;
	sourceKey: string;
	/** The committed cursor, or null on a first run (or when the stored one cannot be read). */
	cursor: Cursor | null;
	/** The listing state that goes with `cursor`; null when there is none. */
	snapshot: Snapshot | null;
	/** The listing options' filters; the provider applies them, since only it knows an item's earlier path. */
	filter: ItemFilter;
	/**
	 * Items carry `permissions` (who may read them) where the provider can read them in the
	 * listing's own requests; absent on an item when the provider could not tell.
	 */
	permissions?: boolean;
	/**
	 * The connected account when the caller has looked it up (the nodes always have, once per
	 * credential and execution), so a provider that names it in `permissions` asks no second time.
	 */
	account?: ProviderAccount;
	/** Called as items are found, for progress lines (the engine counts what the provider does not). */
	onListed?: (items: number) => void;
	/**
	 * Offered on a first listing (no cursor, no snapshot) with Max Items: the provider may hand its
	 * upserts here in batches as it lists, awaiting each call, instead of returning them in `items`;
	 * the engine then holds only what the run can emit and hands the rest to the store. A provider
	 * that does not use it returns its items as ever.
	 */
	onItems?: (items: ConnectorItem[]) => Promise<void>;
	/**
	 * Offered with `onItems`: the provider may hand entries of a top-level map of its snapshot
	 * (`field`, as `nextSnapshot[field]` would hold them) here as it lists, awaiting each call, and
	 * leave them out of `nextSnapshot` (whose `field` stays a map, if empty); the engine stages them
	 * in the store, so the stored snapshot is the same as if they had been returned. An entry
	 * returned in `nextSnapshot` as well, or handed again, takes its last value.
	 */
	onEntries?: (field: string, entries: Readonly<Record<string, unknown>>) => Promise<void>;
	signal?: AbortSignal;
}

export interface ListChangesResponse<Cursor, Snapshot> {
	/** Items new or changed since `cursor` that pass the filter (`change: 'upsert'`). */
	items: ConnectorItem[];
	/** Items the snapshot held that have left the source or the filter (`change: 'deleted'`). */
	deletions: ConnectorItem[];
	/** Where the next listing starts once this run's items are settled. */
	nextCursor: Cursor;
	/** The listing state that goes with `nextCursor`. */
	nextSnapshot: Snapshot;
	/** The source was listed in full (a first run, or a change token the provider refused). */
	fullListing: boolean;
	/** For the person running the workflow, e.g. that a refused token forced a full listing. */
	warnings: string[];
	/** Provider API requests the listing made. */
	requests: number;
	/** Whether `onListed` was called for the upserts (else the engine counts them). */
	countedListed?: boolean;
}

/**
 * The formats an item may be exported to when it has no bytes of its own to download (a Google
 * Doc, a Notion page); absent for files exported as they are.
 */
export interface ExportChoices {
	/** The key of the Export node's per-type override, e.g. `document`. */
	kind: string;
	/** How messages name the type, e.g. `Google Docs`. */
	label: string;
	default: string;
	/** Every format the provider can produce for the type. */
	formats: readonly string[];
	/**
	 * The default is the item's own bytes (an Office file as it is), not a conversion: the policy's
	 * export-format list binds only the conversions, and one is chosen when only it passes the type rule.
	 */
	keepsOriginal?: boolean;
}

export interface ExportRequest {
	item: ConnectorItem;
	/** The format the engine resolved against the policy, for items with export choices. */
	format?: string;
	signal?: AbortSignal;
	/** Provider-specific export options from the node (e.g. Notion's attachFiles). */
	options?: Readonly<Record<string, unknown>>;
}

export interface ExportAttachment {
	name: string;
	mime: string | null;
	/** Opens the attachment's bytes; called once, when the engine stores it. */
	open(): Promise<{ stream: Readable; mime: string | null }>;
}

export interface ExportedContent {
	kind: 'content';
	/** The bytes, streamed or whole. */
	body: Readable | Buffer;
	fileName: string;
	mimeType: string;
	exportFormat: string;
	exportMime: string;
	/**
	 * sha256 hex of the content as it is stable across runs; when absent, the engine hashes the
	 * bytes. A provider whose content carries expiring links (Notion) hashes a stable form.
	 */
	contentHash?: string;
	/** Extra binaries (Notion's Attach Files). */
	attachments?: ExportAttachment[];
	/** Attachments the provider left out itself (past its per-item count), reported with the item. */
	skippedAttachments?: SkippedAttachment[];
	/** Which of the provider's ways of reading content produced it (Notion: `markdown` or `blocks`); the item's `content_source`. */
	contentSource?: string;
	/** What is worth knowing about an item that was still exported (a fallback taken): the item's `export_notes`, counted per code in its run. */
	notes?: ExportNote[];
}

/** A note on an exported item: a stable code (`markdown_forbidden`…) and a sentence. */
export interface ExportNote {
	code: string;
	detail: string;
}

/** An attachment not exported, with why: a stable code (`policy_file_type`, `attachment_limit`…) and a sentence. */
export interface SkippedAttachment {
	name: string;
	skip_reason: string;
	skip_detail: string;
}

export interface SkippedExport {
	kind: 'skipped';
	/** A stable code, e.g. `not_downloadable`. */
	skipReason: string;
	skipDetail: string;
}

export type ExportOutcome = ExportedContent | SkippedExport;

/**
 * What a provider says of one item by its id (Export IDs Directly): the name, type and size the
 * rules check, the path from the root of the item's drive or workspace, and whatever else its
 * export reads of an item (a OneDrive drive id, a Dropbox namespace).
 */
export type DescribedItem = Pick<ConnectorItem, 'name' | 'path' | 'mime' | 'size'> & Partial<ConnectorItem>;

/** How a provider's requests are retried and paused. */
export interface ProviderResilience {
	/** Whether an answer is worth another attempt (429, 5xx, Drive's rate-limit 403s, …). */
	isRetryable(response: Response): Promise<boolean>;
	/** Which circuit breaker (and throttle, where there is one) a credential's requests share. */
	breakerKey(credentialKey: string): string;
}

/** What a node hands a provider to talk to its API: n8n's signed fetch and who the credential is. */
export interface ProviderTransport {
	/** Signs (and refreshes) every request through n8n's credential; no token passes through here. */
	fetch: typeof fetch;
	/** The n8n credential in use (type and id, never its secret): breakers and throttles are per credential. */
	credentialKey: string;
}

/** What the engine and the org policy know of a provider without talking to it. */
export interface ProviderFacts {
	id: ProviderId;
	/** How messages and log lines name it, e.g. `Google Drive`. */
	displayName: string;
	/** What one item is, in messages: `file`, `page`. */
	itemNoun: string;
	/** Whether ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES applies to its accounts. */
	workspaceRule: boolean;
}

export interface ConnectorProvider<
	Connection = unknown,
	Source = unknown,
	Cursor = unknown,
	Snapshot = unknown,
	BrowseQuery = unknown,
	BrowseResult = unknown,
> extends ProviderFacts {
	resilience: ProviderResilience;
	/** The API client over n8n's signed fetch, with retries, throttle and breaker wired in. */
	connect(transport: ProviderTransport): Connection;
	account(connection: Connection): Promise<ProviderAccount>;
	/** Stable id of a source: provider, account and root; two sources never collide. */
	sourceKey(accountId: string, source: Source): string;
	/** What a person picks a source from: folders, drives, pages, databases. */
	browse(connection: Connection, query: BrowseQuery): Promise<BrowseResult>;
	listChanges(connection: Connection, request: ListChangesRequest<Source, Cursor, Snapshot>): Promise<ListChangesResponse<Cursor, Snapshot>>;
	/** The stored cursor as the provider wrote it; null when it cannot be read (a full listing follows). */
	parseCursor(value: unknown): Cursor | null;
	/** Every type with export choices, for the Export node's override warnings. */
	exportTypes: readonly ExportChoices[];
	/** Export choices of an item, or undefined when it is exported as its own bytes. */
	exportChoices(item: ConnectorItem): ExportChoices | undefined;
	exportItem(connection: Connection, request: ExportRequest): Promise<ExportOutcome>;
	/**
	 * The provider's own metadata of one exportable item; null when it is not found, not readable
	 * with this connection, or not a file or page. Only the item's id (and the provider's own
	 * locator beside it, e.g. OneDrive's `drive_id`) is read of `item`.
	 */
	describeItem(connection: Connection, item: ConnectorItem): Promise<DescribedItem | null>;
}
