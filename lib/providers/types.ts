/**
 * What every provider offers the sync engine (PRODUCT.md §3): list a source's changes since its
 * committed cursor. Checkpoints, dedup and policy live above this, written once.
 */
import type { ConnectorCache } from '../cache/connectorCache';
import type { ConnectorItem } from '../items';

/** The slice of the cache a provider needs: its cursor and the state it keeps beside it. */
export type SyncStateStore = Pick<
	ConnectorCache,
	'getCommittedCursor' | 'proposeCursor' | 'getProviderState' | 'setProviderState'
>;

export interface ListChangesOptions {
	/** MIME types (`application/pdf`, `text/*`) or file extensions (`pdf`); empty or absent = all. */
	includeMimeTypes?: readonly string[];
	/** Glob patterns on the item path (from the source root, e.g. `/Archive/**`); matches are left out. */
	excludeGlobs?: readonly string[];
	/** Items per run; what is left comes on the next run (`hasMore`), nothing is dropped. */
	maxItems?: number;
}

export interface ListChangesInput<Source> {
	cache: SyncStateStore;
	source: Source;
	/** From `cache.startRun`; stamped on every item as `run_id` and used to propose the cursor. */
	runId: number;
	options?: ListChangesOptions;
}

export interface ListChangesResult {
	/** Sorted deterministically; each carries `run_id`. */
	items: ConnectorItem[];
	/** Whether a new cursor was proposed for the run (it commits once the run's items are settled). */
	cursorProposed: boolean;
	/** More items are waiting (the `maxItems` cap was hit): run again to get them. */
	hasMore: boolean;
	/** Provider API requests this listing made. */
	requests: number;
}

export interface ChangeListingProvider<Source> {
	sourceKeyFor(accountId: string, source: Source): string;
	listChanges(input: ListChangesInput<Source> & { accountId: string }): Promise<ListChangesResult>;
}
