/**
 * The connectors' state, behind one asynchronous interface so that a network database can hold it
 * as well as a local SQLite file (docs/architecture.md, "State"). Four parts, each its own module
 * in an implementation: run records, cursors and provider state, items and their claims, run slots.
 *
 * A run's proposed cursor becomes the committed cursor only once its work is settled: every item it
 * listed has been checked, every version it claimed (or found claimed by another run) has been
 * committed or released as skipped, and none of its items failed. Check, commit and release settle
 * runs as they go; `proposeCursor` settles a run that listed nothing.
 */
import type { ConnectorItem, Provider } from '../items';
import type {
	AcquireRunSlotInput,
	CheckedItem,
	CheckOptions,
	CommitSummary,
	FinishRunInput,
	ForgetSummary,
	ReleaseOptions,
	ReleaseSummary,
	RunScope,
	RunSlotHolder,
	RunSlotResult,
	RunSummary,
	SourceStatus,
	StartRunInput,
} from '../cache/connectorCache';

export type {
	AcquireRunSlotInput,
	CheckedItem,
	CheckOptions,
	CommitSummary,
	FinishRunInput,
	ForgetSummary,
	ReleaseOptions,
	ReleaseSummary,
	RunScope,
	RunSlotHolder,
	RunSlotResult,
	RunSummary,
	SourceStatus,
	StartRunInput,
};

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
	providerState(sourceKey: string): Promise<string | null>;
	/**
	 * Reads and replaces the source's provider state in one transaction, so two runs of the source
	 * never interleave a read and a write. `update` gets the current value and returns the new one.
	 */
	updateProviderState(sourceKey: string, provider: Provider, update: (current: string | null) => string | null): Promise<void>;
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
	/** The database client serving it, e.g. `better-sqlite3` or `node:sqlite` (shown by Dedup Status). */
	readonly driver: string;
	readonly runs: RunLedger;
	readonly cursors: CursorStore;
	readonly items: ItemLedger;
	readonly slots: RunSlotStore;
	/** Per source (or for one source): last run, last error, last success, items known, cursor. */
	status(sourceKey?: string): Promise<SourceStatus[]>;
	/** Drops a source's items, cursor, claims and runs: its next run is a full re-import. */
	forget(sourceKey: string): Promise<ForgetSummary>;
	close(): Promise<void>;
}
