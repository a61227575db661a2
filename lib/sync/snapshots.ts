/**
 * A listing's per-source state, kept in the store beside its cursor as one snapshot per proposing
 * run. The committed cursor names the snapshot that matches it; a run that never commits leaves
 * that one untouched, so the next run starts from the committed cursor with the state that goes
 * with it.
 *
 * The store keeps a snapshot as rows: each top-level map of the provider's state (Drive's files and
 * folders, Notion's nodes) one row per entry, the rest of the state as one small value, and each
 * item still owed one row, with the key it is owed in order of. A new snapshot is written as the one
 * it follows plus what changed, and a run reads only the owed items it emits: it never holds a
 * whole listing as one string, nor every owed item.
 */
import { ConnectorError } from '../errors';
import { byPath, type ConnectorItem } from '../items';
import type { ProviderId } from '../providers/types';
import type { CursorStore, OwedItem, SnapshotEntry } from '../store/types';

/** Proposed snapshots kept beside the committed one, newest first, for runs still settling. */
const KEPT_PROPOSALS = 8;

type ListingState = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A top-level object of a provider's state is a map whose entries are rows. */
const isEntryMap = isRecord;

export function snapshotNumber(snapshot: string): number | null {
	const id = Number(snapshot);
	return snapshot !== '' && Number.isSafeInteger(id) ? id : null;
}

/** The listing state of the snapshot a cursor names, or null when the store has none by that id (the source is listed in full). */
export async function readSnapshot(cursors: CursorStore, provider: ProviderId, sourceKey: string, snapshot: string): Promise<ListingState | null> {
	const id = snapshotNumber(snapshot);
	if (id === null) return null;
	return (await readRows(cursors, sourceKey, id)) ?? (await convertLegacyState(cursors, provider, sourceKey, id));
}

async function readRows(cursors: CursorStore, sourceKey: string, snapshot: number): Promise<ListingState | null> {
	const maps = new Map<string, Record<string, unknown>>();
	const raw = await cursors.readSnapshot(sourceKey, snapshot, ({ field, key, value }) => {
		let map = maps.get(field);
		if (map === undefined) maps.set(field, (map = {}));
		map[key] = JSON.parse(value) as unknown;
	});
	if (raw === null) return null;
	const state = JSON.parse(raw) as unknown;
	if (!isRecord(state)) return null;
	for (const [field, map] of maps) if (isEntryMap(state[field])) state[field] = map;
	return state;
}

/** The first `limit` items the snapshot owes, leaving out those the listing brought again. */
export async function owedItems(
	cursors: CursorStore,
	sourceKey: string,
	snapshot: string,
	options: { skip: { has(id: string): boolean }; limit: number },
): Promise<ConnectorItem[]> {
	const id = snapshotNumber(snapshot);
	if (id === null) return [];
	return (await cursors.pendingItems(sourceKey, id, options)).map((item) => JSON.parse(item) as ConnectorItem);
}

/** What a run's snapshot is made of: its listing state, and how the items owed changed since its base. */
export interface SnapshotUpdate {
	state: ListingState;
	/** Begun by an `OwedStaging`: the owed items and entries it staged are kept. */
	staged?: boolean;
	/** Items owed now that the base did not owe as they are. */
	owed: readonly ConnectorItem[];
	/** Ids of the base's owed items no longer owed (emitted by this run). */
	settled: readonly string[];
}

/** The base a run's snapshot was read from is gone: another run of the source committed meanwhile. */
export class SnapshotReplacedError extends ConnectorError {
	constructor(sourceKey: string) {
		super(
			'snapshot_replaced',
			`Another run of ${sourceKey} committed while this one was listing, and the listing state it started from was dropped`,
			'Run the workflow again: it lists from the newer cursor, and nothing is lost.',
		);
		this.name = 'SnapshotReplacedError';
	}
}

/**
 * Stores a proposed snapshot as its base's rows (the committed snapshot the run read) plus what
 * changed since; drops those older than the committed one, which can never commit now.
 */
export async function writeSnapshot(
	cursors: CursorStore,
	provider: ProviderId,
	sourceKey: string,
	snapshot: string,
	next: SnapshotUpdate,
	base: { id: string; state: ListingState } | null,
	committed: string | null,
): Promise<void> {
	const id = snapshotNumber(snapshot);
	if (id === null) throw new RangeError(`A snapshot id is a run id, not "${snapshot}"`);
	const baseId = base === null ? null : snapshotNumber(base.id);
	const written = await cursors.writeSnapshot(sourceKey, provider, {
		snapshot: id,
		base: baseId,
		staged: next.staged === true,
		state: JSON.stringify(withoutMaps(next.state)),
		entries: changedEntries(baseId === null ? null : (base?.state ?? null), next.state),
		removed: removedEntries(baseId === null ? null : (base?.state ?? null), next.state),
		owed: owedRows(next.owed),
		settled: next.settled,
		committed: committed === null ? null : snapshotNumber(committed),
		keptProposals: KEPT_PROPOSALS,
	});
	// The items it still owed are not held here: the run cannot be written without them.
	if (!written) throw new SnapshotReplacedError(sourceKey);
}

/** Whether two listing states are the same, compared map entry by map entry. */
export function sameState(left: ListingState, right: ListingState): boolean {
	// A provider that found nothing changed hands back the state it was given.
	if (left === right) return true;
	if (JSON.stringify(withoutMaps(left)) !== JSON.stringify(withoutMaps(right))) return false;
	return changedEntries(left, right).next().done === true && removedEntries(left, right).next().done === true;
}

/** The key an item is owed in order of: its path, change and id as UTF-16 code units, as the listing sorts them (`byPath`). */
export function orderKey(item: ConnectorItem): Uint8Array {
	const text = `${item.path}\u0000${item.change}\u0000${item.external_id}`;
	const key = Buffer.from(text, 'utf16le');
	key.swap16();
	return key;
}

/** The state with each map left empty: its entries are rows of their own. */
function withoutMaps(state: ListingState): ListingState {
	const small: ListingState = {};
	for (const [field, value] of Object.entries(state)) small[field] = isEntryMap(value) ? {} : value;
	return small;
}

/** Entries of `next` that `previous` does not hold as they are. */
function* changedEntries(previous: ListingState | null, next: ListingState): Generator<SnapshotEntry> {
	for (const [field, map] of Object.entries(next)) {
		if (!isEntryMap(map)) continue;
		const before = previous !== null && isEntryMap(previous[field]) ? previous[field] : null;
		if (before === map) continue;
		for (const key in map) {
			const entry = map[key];
			if (entry === undefined || (before !== null && Object.hasOwn(before, key) && sameJson(before[key], entry))) continue;
			yield { field, key, value: JSON.stringify(entry) };
		}
	}
}

/** Entries of `previous` that `next` no longer holds. */
function* removedEntries(previous: ListingState | null, next: ListingState): Generator<Pick<SnapshotEntry, 'field' | 'key'>> {
	if (previous === null) return;
	for (const [field, map] of Object.entries(previous)) {
		if (!isEntryMap(map)) continue;
		const after = isEntryMap(next[field]) ? next[field] : null;
		if (after === map) continue;
		for (const key in map) if (after === null || !Object.hasOwn(after, key)) yield { field, key };
	}
}

/** Whether two JSON values are equal, without turning either into a string (entries are compared by the hundred thousand). */
function sameJson(left: unknown, right: unknown): boolean {
	if (left === right) return true;
	if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
	if (Array.isArray(left)) return Array.isArray(right) && left.length === right.length && left.every((value, index) => sameJson(value, right[index]));
	if (Array.isArray(right)) return false;
	const leftRecord = left as Record<string, unknown>;
	const rightRecord = right as Record<string, unknown>;
	const keys = Object.keys(leftRecord);
	const rightKeys = Object.keys(rightRecord);
	return keys.length === rightKeys.length && keys.every((key, index) => rightKeys[index] === key && sameJson(leftRecord[key], rightRecord[key]));
}

function* owedRows(items: readonly ConnectorItem[]): Generator<OwedItem> {
	for (const item of items) yield { id: item.external_id, order: orderKey(item), item: JSON.stringify(item) };
}

/**
 * Items taken in past the cap before they go to the store (at least as many as the cap, so the
 * sorts stay few): staged soon, they are gone before V8 moves them to its old generation.
 */
const STAGE_BATCH = 1000;

/**
 * The items a first listing hands over as it lists (`onItems`), when the run emits at most
 * `maxItems`: it keeps the first `maxItems` in path order of those seen, and stages the rest as
 * owed by the run's snapshot a batch at a time, so a 100,000-file first listing never holds the
 * 99,000 it owes, nor their ids. The last word on an id wins, as in a listing held whole: a
 * later word on a staged id is taken in again, and the run's write settles the staged row of
 * every item it emits. Snapshot entries the provider hands over (`onEntries`) are staged at once,
 * and the run's write sets its state's entries over them.
 */
export class OwedStaging {
	/** The candidates to emit: the first `maxItems` of those seen, and what came since the last staging. */
	readonly kept = new Map<string, ConnectorItem>();
	/** Whether the snapshot was begun in the store (it is written `staged` then). */
	begun = false;

	constructor(
		private readonly cursors: CursorStore,
		private readonly provider: ProviderId,
		private readonly sourceKey: string,
		private readonly snapshot: number,
		private readonly maxItems: number,
	) {}

	/** Batches handed over while one is being staged wait their turn: a provider listing in parallel may call at once. */
	private turn: Promise<void> = Promise.resolve();

	async take(items: readonly ConnectorItem[]): Promise<void> {
		await this.inTurn(async () => await this.takeNow(items));
	}

	/** Entries of the snapshot's map `field` the provider will not return: staged at once, as `writeSnapshot` would write them. */
	async takeEntries(field: string, entries: Readonly<Record<string, unknown>>): Promise<void> {
		await this.inTurn(async () => await this.stage([], changedEntries(null, { [field]: entries })));
	}

	private async inTurn(work: () => Promise<void>): Promise<void> {
		const taken = this.turn.then(work);
		this.turn = taken.catch(() => undefined);
		await taken;
	}

	private async stage(owed: Iterable<OwedItem>, entries: Iterable<SnapshotEntry>): Promise<void> {
		if (!(await this.cursors.stageOwed(this.sourceKey, this.provider, this.snapshot, owed, { begin: !this.begun, entries }))) {
			throw new SnapshotReplacedError(this.sourceKey);
		}
		this.begun = true;
	}

	private async takeNow(items: readonly ConnectorItem[]): Promise<void> {
		for (const item of items) this.kept.set(item.external_id, item);
		if (this.kept.size < this.maxItems + Math.max(STAGE_BATCH, this.maxItems)) return;
		const sorted = [...this.kept.values()].sort(byPath);
		this.kept.clear();
		for (const item of sorted.slice(0, this.maxItems)) this.kept.set(item.external_id, item);
		await this.stage(owedRows(sorted.slice(this.maxItems)), []);
	}
}


/**
 * Earlier releases kept every snapshot of a source in one value (`{v: 1, snapshots: {id: {…state,
 * pending}}}`). It is read once: each snapshot it holds becomes rows, the value is cleared, and
 * the run goes on from the snapshot its cursor names as if nothing had changed.
 */
async function convertLegacyState(cursors: CursorStore, provider: ProviderId, sourceKey: string, snapshot: number): Promise<ListingState | null> {
	const raw = await cursors.providerState(sourceKey);
	if (raw === null) return null;
	let found: ListingState | null = null;
	for (const [id, value] of Object.entries(legacySnapshots(raw))) {
		const number = snapshotNumber(id);
		if (number === null || !isRecord(value) || !Array.isArray(value.pending)) continue;
		const { pending, ...state } = value;
		await cursors.writeSnapshot(sourceKey, provider, {
			snapshot: number,
			base: null,
			state: JSON.stringify(withoutMaps(state)),
			entries: changedEntries(null, state),
			removed: [],
			owed: owedRows(pending as ConnectorItem[]),
			settled: [],
			committed: null,
			keptProposals: Number.MAX_SAFE_INTEGER,
		});
		if (number === snapshot) found = state;
	}
	await cursors.updateProviderState(sourceKey, provider, () => null);
	return found;
}

function legacySnapshots(raw: string): Record<string, unknown> {
	try {
		const parsed = JSON.parse(raw) as unknown;
		if (isRecord(parsed) && parsed.v === 1 && isRecord(parsed.snapshots)) return parsed.snapshots;
	} catch {
		// An unreadable state is a missing one: the source is listed in full again.
	}
	return {};
}
