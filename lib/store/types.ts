/**
 * The connectors' state, behind one asynchronous interface so that a network database can hold it
 * as well as a local SQLite file (docs/architecture.md, "State"). Five parts, each its own module
 * in an implementation: run records, cursors and provider state, items and their claims, run slots,
 * the items listings emitted, and the workflows that own each source.
 *
 * A run's proposed cursor becomes the committed cursor only once its work is settled: every item it
 * listed has been checked, every version it claimed (or found claimed by another run) has been
 * committed or released as skipped, and none of its items failed. Check, commit and release settle
 * runs as they go; `cursors.propose` settles a run that listed nothing.
 */
import type { ConnectorItem, Provider } from '../items';
import type { ChangeReason, DedupChange, MetadataField } from './changeDetection';

export type RunStatus = 'running' | 'success' | 'partial' | 'error';

export interface RunCounts {
	processed: number;
	new: number;
	changed: number;
	unchanged: number;
	deleted: number;
	skipped: number;
	failed: number;
	committed: number;
}

/** How a store behaves, whatever holds its state. */
export interface StoreSettings {
	/** How long a run's claim on an item version stops other runs emitting it (default DEFAULT_LEASE_MS). */
	leaseMs?: number;
	/** Items per transaction in check, commit and release. */
	batchSize?: number;
	/** Older run records of a source are pruned when a new run starts. */
	keptRunsPerSource?: number;
	/** Milliseconds since the epoch; injectable so lease expiry can be tested. */
	now?: () => number;
}

export interface StartRunInput {
	sourceKey: string;
	provider: Provider;
	/** The n8n execution id, so items that lost their run id can find the run again. */
	executionId?: string | null;
	/** The effective (org ∩ workflow) policy, recorded for the run's audit trail. */
	policy?: unknown;
}

export interface FinishRunInput {
	status: Exclude<RunStatus, 'running'>;
	/** Added to the counts check, commit and release already keep (pass what they cannot see). */
	counts?: Partial<RunCounts>;
	/** Messages only; the newest MAX_ERROR_SAMPLES are kept. */
	errors?: readonly unknown[];
	skippedByReason?: Record<string, number>;
}

/** Who the items belong to when they carry no `run_id`; an item's own `run_id` always wins. */
export interface RunScope {
	runId?: number;
	/** Items without a run get one implicit run per (executionId, source_key). */
	executionId?: string | null;
}

export interface CheckOptions extends RunScope {
	leaseMs?: number;
}

export interface CheckedItem<T extends ConnectorItem = ConnectorItem> {
	item: T;
	change: DedupChange;
	reason: ChangeReason;
	/** Stamp it on the outgoing item as `run_id`, so commit finds the claim again. */
	runId: number;
	/** Set with `claimed_by_other_run`: the run already emitting this version. */
	claimedByRunId?: number;
	/** New and Changed: whether the content must be exported again (false: only metadata moved). */
	contentChanged?: boolean;
	/** New and Changed: the metadata fields (name, path, permissions) that differ from the last ingested version. */
	changedFields?: MetadataField[];
	/** A metadata-only change: the `content_hash` of the content already ingested, when known. */
	indexedContentHash?: string;
}

export interface CommitSummary {
	committed: number;
	/** Items not written because a newer run had already committed another version of them. */
	superseded: number;
	/** Sources whose proposed cursor became the committed cursor in this call. */
	promotedSources: string[];
}

export interface ReleaseOptions extends RunScope {
	/**
	 * `skipped`: refused for good (e.g. by policy) — settles the item so the cursor can move on.
	 * `failed`: to be retried — the run's cursor is held back so the next run lists it again.
	 */
	outcome: 'skipped' | 'failed';
	/** A stable skip reason code, or the failure's message. */
	reason: string;
}

export interface ReleaseSummary {
	released: number;
	promotedSources: string[];
}

export interface NoteOptions extends RunScope {
	/** A stable code of what is worth knowing about items that were still exported (e.g. `markdown_forbidden`). */
	code: string;
}

export interface RunSummary {
	runId: number;
	sourceKey: string;
	provider: string;
	executionId: string | null;
	implicit: boolean;
	status: RunStatus;
	startedAt: string;
	finishedAt: string | null;
	counts: RunCounts;
	skippedByReason: Record<string, number>;
	/** Items exported with a note (a fallback taken, say), counted per note code. */
	notedByReason: Record<string, number>;
	errors: string[];
	policy: unknown;
	cursorProposed: boolean;
	cursorCommittedAt: string | null;
}

export interface SourceStatus {
	sourceKey: string;
	provider: string;
	lastRun: RunSummary | null;
	lastError: { runId: number; at: string; message: string } | null;
	lastSuccessAt: string | null;
	hasCursor: boolean;
	cursorCommittedAt: string | null;
	itemsKnown: number;
	itemsDeleted: number;
	/** Item versions some running run has emitted and not yet committed. */
	itemsInFlight: number;
}

export interface AcquireRunSlotInput {
	provider: Provider;
	/** The n8n execution taking part in a run; its nodes share one slot. */
	executionId: string;
	/** At most this many executions of the provider hold a slot at once. */
	limit: number;
	/** Defaults to this host and process; a slot whose process is gone from this host is free. */
	host?: string;
	pid?: number;
	isProcessAlive?: (pid: number) => boolean;
}

export interface RunSlotHolder {
	executionId: string;
	host: string;
	pid: number;
	acquiredAt: string;
	/** A node of the execution is running now (else the execution's run is open, waiting for commit). */
	active: boolean;
	expiresAt: string;
}

export type RunSlotResult = { acquired: true } | { acquired: false; holders: RunSlotHolder[] };

export interface ForgetSummary {
	sourceKey: string;
	items: number;
	runs: number;
	claims: number;
	hadCursor: boolean;
}

/** Run records: one per listing run (and one implicit run per execution and source for items without one). */
export interface RunLedger {
	start(input: StartRunInput): Promise<number>;
	/** Call when the run's pipeline is over (after commit, or from an error path), not after listing. */
	finish(runId: number, input: FinishRunInput): Promise<void>;
	get(runId: number): Promise<RunSummary | undefined>;
}

/** Where each source's next listing starts, and what its provider keeps beside that cursor. */
export interface CursorStore {
	committed(sourceKey: string): Promise<string | null>;
	/**
	 * Proposes where the source's next listing starts once the run's work is settled. `listedItems`
	 * is how many items the run emitted for check (0 settles at once).
	 */
	propose(runId: number, sourceKey: string, cursor: string, options: { listedItems: number }): Promise<void>;
	/**
	 * The source's listing snapshot `snapshot` (the id of the run that wrote it): its state JSON,
	 * with its entries handed to `reader` as they are read (in pages: a snapshot of a large source is
	 * never one value). Null when the store keeps no such snapshot.
	 */
	readSnapshot(sourceKey: string, snapshot: number, reader: (entry: SnapshotEntry) => void): Promise<string | null>;
	/**
	 * The first `limit` items the snapshot owes, in the order of their `order` keys, as JSON, leaving
	 * out the ids in `skip`; the rest are not read.
	 */
	pendingItems(sourceKey: string, snapshot: number, options: { skip: { has(id: string): boolean }; limit: number }): Promise<string[]>;
	/**
	 * Writes a snapshot in one transaction: its entries are those of `base` (copied in the
	 * database, not through the caller) with `entries` set and `removed` dropped, and likewise its
	 * owed items. Drops the source's snapshots older than `committed`, and proposals beyond the
	 * `keptProposals` newest. False when `base` is no longer kept (nothing is written then).
	 */
	writeSnapshot(sourceKey: string, provider: Provider, write: SnapshotWrite): Promise<boolean>;
	/**
	 * Adds owed items, and `entries` (set as `writeSnapshot` sets them), to a snapshot before it is
	 * written, in a transaction of their own: a first listing past Max Items hands them over as it
	 * lists instead of holding them all. `begin` starts the snapshot afresh (its state empty until
	 * `writeSnapshot` with `staged` completes it; no cursor names it before). Kept like any proposal
	 * meanwhile; false when it has been dropped since.
	 */
	stageOwed(
		sourceKey: string,
		provider: Provider,
		snapshot: number,
		owed: Iterable<OwedItem>,
		options: { begin: boolean; entries?: Iterable<SnapshotEntry> },
	): Promise<boolean>;
	/** The ids of the source's snapshots, oldest first. */
	snapshotIds(sourceKey: string): Promise<number[]>;
	/**
	 * The provider state of releases that kept every snapshot in one value (`sync_state.provider_state`);
	 * the engine reads it once and keeps its snapshots as rows.
	 */
	providerState(sourceKey: string): Promise<string | null>;
	/**
	 * Reads and replaces that value in one transaction, so two runs of the source never interleave
	 * a read and a write. `update` gets the current value and returns the new one.
	 */
	updateProviderState(sourceKey: string, provider: Provider, update: (current: string | null) => string | null): Promise<void>;
}

/** One entry of a snapshot's maps (a file, a folder, a page): the map it is in, its key, its value as JSON. */
export interface SnapshotEntry {
	field: string;
	key: string;
	value: string;
}

/** An item a snapshot owes: its id, the key it is owed in order of (bytes compared), and the item as JSON. */
export interface OwedItem {
	id: string;
	order: Uint8Array;
	item: string;
}

export interface SnapshotWrite {
	/** The snapshot's id: the id of the run that proposes it. */
	snapshot: number;
	/** The snapshot whose entries and owed items this one starts from; null: from nothing. */
	base: number | null;
	/**
	 * The snapshot was begun by `stageOwed` (with `base` null): the owed items and entries staged
	 * under its id are kept (`entries` set over them), and nothing is written (false) when it is no
	 * longer there.
	 */
	staged?: boolean;
	/** The provider state as JSON, its maps left empty (their entries are rows). */
	state: string;
	entries: Iterable<SnapshotEntry>;
	removed: Iterable<Pick<SnapshotEntry, 'field' | 'key'>>;
	/** Owed items added (or replacing the base's with the same id). */
	owed: Iterable<OwedItem>;
	/** Ids of the base's owed items no longer owed. */
	settled: Iterable<string>;
	/** The committed snapshot, kept whatever else is dropped. */
	committed: number | null;
	/** How many proposals newer than `committed` are kept, this one included. */
	keptProposals: number;
}

/** The `external_items` ledger and the claims that keep two overlapping runs from emitting one version. */
export interface ItemLedger {
	/**
	 * New, changed, unchanged or deleted against the last ingested version; claims the versions it
	 * routes to New/Changed/Deleted for the item's run. A version another running run claimed comes
	 * back `unchanged` with reason `claimed_by_other_run`.
	 */
	check<T extends ConnectorItem>(items: readonly T[], options?: CheckOptions): Promise<CheckedItem<T>[]>;
	/** Records items as ingested, releases their claims and promotes the cursors this settles. */
	commit(items: readonly ConnectorItem[], options?: RunScope): Promise<CommitSummary>;
	/** Settles items that will not be committed: `skipped` for good, `failed` to be retried next run. */
	release(items: readonly ConnectorItem[], options: ReleaseOptions): Promise<ReleaseSummary>;
	/**
	 * Counts the items under `code` in their runs' notes (`notedByReason`), found as release finds
	 * them; settles nothing of theirs. Returns how many were counted.
	 */
	note(items: readonly ConnectorItem[], options: NoteOptions): Promise<number>;
}

/**
 * What a source's listings saw of an item: the provider's own metadata, which Export checks the
 * org policy against instead of the item JSON a workflow hands it.
 */
export interface ListedItem {
	externalId: string;
	name: string;
	path: string;
	mime: string | null;
	size: number | null;
	version: string | null;
}

/** The items each source's listings emitted, newest listing first; a listed deletion removes the item. */
export interface ListedItemStore {
	/** Records the upserts a run emitted and forgets the items it emitted as deleted. */
	record(sourceKey: string, provider: Provider, items: readonly ConnectorItem[]): Promise<void>;
	/**
	 * What the source's listings last saw of each id; ids a listing of the source never emitted (or
	 * emitted as deleted), and sources of another provider, are absent from the map.
	 */
	lookup(provider: Provider, sourceKey: string, externalIds: readonly string[]): Promise<Map<string, ListedItem>>;
}

/** A source by key, with the provider it belongs to (for registering a source seen for the first time). */
export interface SourceRef {
	sourceKey: string;
	provider: Provider;
}

/**
 * Which workflows may read and change each source's state (docs/architecture.md, "Who sees which
 * state"). A workflow that lists a source owns it: it proved it holds a credential of the source's
 * account. A source nobody owns yet (never seen, or from before owners were kept) is adopted by
 * the first workflow that checks it; a listing by another workflow takes it from such adopters.
 */
export interface SourceOwnerStore {
	/** The owner listed the source: it owns it from now on, and owners that only adopted it lose it. */
	recordListing(source: SourceRef, owner: string): Promise<void>;
	/**
	 * The keys of the sources the owner may not use. With `adopt`, a source nobody owns becomes the
	 * owner's (registered when the store has never seen it) instead of being refused.
	 */
	refused(owner: string, sources: readonly SourceRef[], options: { adopt: boolean }): Promise<Set<string>>;
	/** The keys of every source the owner owns, in key order. */
	sourcesOf(owner: string): Promise<string[]>;
}

/** ORG_CONNECTORS_MAX_CONCURRENT_RUNS: slots per provider shared by every process using the store. */
export interface RunSlotStore {
	acquire(input: AcquireRunSlotInput): Promise<RunSlotResult>;
	renew(provider: Provider, executionId: string): Promise<void>;
	release(provider: Provider, executionId: string): Promise<void>;
	holders(provider: Provider): Promise<RunSlotHolder[]>;
}

export interface ConnectorStore {
	/** Where the state lives, for messages (a file path or a database without its password). */
	readonly location: string;
	/** What holds the state, for status (`better-sqlite3`, `node:sqlite`). */
	readonly driver: string;
	readonly runs: RunLedger;
	readonly cursors: CursorStore;
	readonly items: ItemLedger;
	readonly slots: RunSlotStore;
	readonly listed: ListedItemStore;
	readonly owners: SourceOwnerStore;
	/** Per source (or for one source): last run, last error, last success, items known, cursor. */
	status(sourceKey?: string): Promise<SourceStatus[]>;
	/** Drops a source's items, listed items, owners, cursor, claims and runs: its next run is a full re-import. */
	forget(sourceKey: string): Promise<ForgetSummary>;
	close(): Promise<void>;
}
