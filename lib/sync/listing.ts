/**
 * One listing of a source for a run, written once for every provider: the committed cursor and
 * its snapshot read from the store, the provider asked what changed since, the items owed from
 * earlier runs (the `maxItems` remainder) merged in, all in path order up to the cap, and the new
 * cursor proposed for the run.
 * The cursor commits only once the run's items are settled (lib/store: the run settlement).
 */
import { InvalidInputError } from '../errors';
import { byPath, type ConnectorItem } from '../items';
import { itemFilterFor, type ItemFilterOptions } from '../files/itemFilter';
import type { ConnectorProvider, ProviderAccount } from '../providers/types';
import { RUN_ID_FIELD } from '../store/constants';
import type { ConnectorStore } from '../store/types';
import { OwedStaging, owedItems, readSnapshot, sameState, writeSnapshot } from './snapshots';

export interface ListingOptions extends ItemFilterOptions {
	/** Items per run; what is left comes on the next run (`hasMore`), nothing is dropped. */
	maxItems?: number;
	/** Items carry `permissions` where the provider reads them in its listing requests (default off here; the nodes' default is on). */
	permissions?: boolean;
}

export interface ListSourceInput<Connection, Source> {
	store: ConnectorStore;
	provider: ConnectorProvider<Connection, Source>;
	connection: Connection;
	source: Source;
	sourceKey: string;
	/** From `store.runs.start`; stamped on every item as `run_id` and used to propose the cursor. */
	runId: number;
	options?: ListingOptions;
	/** The connected account, when already looked up: handed to the provider (`ListChangesRequest.account`). */
	account?: ProviderAccount;
	onListed?: (items: number) => void;
	signal?: AbortSignal;
}

export interface ListSourceResult {
	/** Sorted by path; each carries `run_id`. */
	items: ConnectorItem[];
	/** More items are waiting (the `maxItems` cap was hit): run again to get them. */
	hasMore: boolean;
	requests: number;
	/** The source was listed in full (a first run, or a change token the provider refused). */
	fullListing: boolean;
	warnings: string[];
	/** Whether the provider counted the listed items on `onListed` as it found them. */
	countedListed: boolean;
}

/**
 * What the store keeps as the source's cursor: the provider's cursor with the id of the snapshot
 * that goes with it. A snapshot is the provider's listing state plus the items still owed.
 */
type StoredCursor = Record<string, unknown> & { snapshot: string };

function parseStoredCursor(raw: string | null): StoredCursor | null {
	if (raw === null) return null;
	try {
		const parsed = JSON.parse(raw) as unknown;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
		const snapshot = (parsed as Record<string, unknown>).snapshot;
		return typeof snapshot === 'string' ? (parsed as StoredCursor) : null;
	} catch {
		return null;
	}
}

export async function listSource<Connection, Source>(input: ListSourceInput<Connection, Source>): Promise<ListSourceResult> {
	const { store, provider, sourceKey, runId, options = {} } = input;
	const maxItems = options.maxItems ?? Infinity;
	if (!(maxItems >= 1)) {
		throw new InvalidInputError(`Max items per run must be at least 1 (got ${String(options.maxItems)})`, 'Leave it empty for no limit.');
	}
	const stored = parseStoredCursor(await store.cursors.committed(sourceKey));
	const { snapshot: committedSnapshot = null, ...storedCursor } = stored ?? {};
	const cursor = stored === null ? null : provider.parseCursor(storedCursor);
	const previous = cursor === null || committedSnapshot === null ? null : await readSnapshot(store.cursors, provider.id, sourceKey, committedSnapshot);

	// A first listing with a cap: what it owes, and the snapshot entries the provider hands over, go to the store as it lists, not held to the end.
	const staging = previous === null && Number.isFinite(maxItems) ? new OwedStaging(store.cursors, provider.id, sourceKey, runId, maxItems) : null;
	const listing = await provider.listChanges(input.connection, {
		source: input.source,
		sourceKey,
		cursor,
		snapshot: previous,
		filter: itemFilterFor(options),
		permissions: options.permissions === true,
		account: input.account,
		onListed: input.onListed,
		onItems: staging === null ? undefined : async (items) => await staging.take(items),
		onEntries: staging === null ? undefined : async (field, entries) => await staging.takeEntries(field, entries),
		signal: input.signal,
	});

	// What the listing brought, one item per id (its last word wins), then what earlier runs still owe:
	// only as many as this run can emit are read, the rest stay in the store.
	const listed = staging?.kept ?? new Map<string, ConnectorItem>();
	for (const items of [listing.items, listing.deletions]) for (const item of items) listed.set(item.external_id, item);
	const owedBefore =
		previous === null || committedSnapshot === null
			? []
			: await owedItems(store.cursors, sourceKey, committedSnapshot, {
					skip: listed,
					limit: Number.isFinite(maxItems) ? maxItems + 1 : Number.MAX_SAFE_INTEGER,
				});
	const fresh = [...listed.values()];
	listed.clear();
	// One array, sorted in place: a first listing of 100,000 files holds its items once, not in three copies.
	const candidates = fresh;
	const fromBefore = new Set(owedBefore);
	for (const item of owedBefore) candidates.push(item);
	candidates.sort(byPath);
	const emitted = candidates.length > maxItems ? candidates.slice(0, maxItems) : candidates;
	let hasMore = candidates.length > emitted.length;
	const state = listing.nextSnapshot as Record<string, unknown>;

	// Only a run that emits nothing reuses the committed snapshot, as its proposal settles at once: one whose
	// items wait could commit after a newer snapshot did, when later writes have dropped the older ones.
	// Emitting nothing, it owes nothing, as the committed snapshot did not.
	const reusesCommitted = emitted.length === 0 && previous !== null && sameState(state, previous);
	const snapshot = reusesCommitted && committedSnapshot !== null ? committedSnapshot : String(runId);
	if (!reusesCommitted) {
		const base = previous === null || committedSnapshot === null ? null : { id: committedSnapshot, state: previous };
		const next = {
			state,
			staged: staging?.begun === true,
			// What this listing brought past the cap; what earlier runs owe and this one does not emit stays owed in the base.
			owed: hasMore ? candidates.slice(maxItems).filter((item) => !fromBefore.has(item)) : [],
			// A snapshot written from nothing has no owed items to settle, but those it staged and emits after all.
			settled: base === null && staging?.begun !== true ? [] : emitted.map((item) => item.external_id),
		};
		await writeSnapshot(store.cursors, provider.id, sourceKey, snapshot, next, base, committedSnapshot);
		// What it staged is owed unless a later word on it was emitted: the store knows, one row read.
		if (!hasMore && staging?.begun === true) hasMore = (await owedItems(store.cursors, sourceKey, snapshot, { skip: new Set(), limit: 1 })).length > 0;
	}
	const nextCursor: StoredCursor = { ...(listing.nextCursor as Record<string, unknown>), snapshot };
	// What Export checks the policy against: the provider's metadata, not the item JSON it is handed.
	await store.listed.record(sourceKey, provider.id, emitted);
	await store.cursors.propose(runId, sourceKey, JSON.stringify(nextCursor), { listedItems: emitted.length });
	// The run's items are this listing's own objects: stamped in place rather than copied.
	for (const item of emitted) item[RUN_ID_FIELD] = runId;

	return {
		items: emitted,
		hasMore,
		requests: listing.requests,
		fullListing: listing.fullListing,
		warnings: listing.warnings,
		countedListed: listing.countedListed ?? false,
	};
}
