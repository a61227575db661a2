/**
 * The `external_items` ledger and the `claims` that keep two overlapping runs from emitting the
 * same version: check, commit and release, each in transactions of at most `batchSize` items.
 */
import type { ConnectorItem } from '../../items';
import { type CachedFingerprint, claimFingerprint, detectChange, permissionsKey, presentText } from '../changeDetection';
import { itemRunId, optionalSize, optionalText, requireText } from '../itemFields';
import type {
	CheckedItem,
	CheckOptions,
	CommitSummary,
	ItemLedger,
	NoteOptions,
	ReleaseOptions,
	ReleaseSummary,
	RunCounts,
	RunScope,
} from '../types';
import { checkedResult } from '../checkedResult';
import { registerSource, type SqliteContext } from './context';
import { addRunNotes, addRunReport, emptyCounts, flushCounts } from './runs';
import { settleRuns } from './settlement';
import { integer, text } from './statements';

interface ItemClaim {
	runId: number;
	version: string;
}

interface RunRef {
	id: number;
	sourceId: number;
}

/**
 * A batch's positions in primary-key order, so that consecutive lookups and writes share B-tree
 * pages (a quarter faster on a large cache). Keys are validated here, in input order.
 */
function inKeyOrder(batch: readonly ConnectorItem[], offset: number): number[] {
	const keys = batch.map(
		(item, position) =>
			`${requireText(item, offset + position, 'source_key')}\u0000${requireText(item, offset + position, 'external_id')}`,
	);
	return keys.map((_, position) => position).sort((left, right) => (keys[left] < keys[right] ? -1 : keys[left] > keys[right] ? 1 : 0));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
	return result;
}

/** Source and run references for one check/commit/release call, and per-run counters for its current batch. */
class CallScope {
	counts = new Map<number, RunCounts>();
	/** Runs whose claims changed in this batch: their cursor may now be settled. */
	touchedRuns = new Set<number>();
	private readonly sources = new Map<string, number>();
	private readonly runs = new Map<number, RunRef | null>();
	private readonly implicitRuns = new Map<number, number>();

	constructor(
		private readonly context: SqliteContext,
		private readonly scope: RunScope,
	) {}

	/** Each batch is its own transaction: counters start afresh so a batch flushes only its own. */
	startBatch(): void {
		this.counts = new Map();
		this.touchedRuns = new Set();
	}

	count(runId: number, name: keyof RunCounts, amount = 1): void {
		let counts = this.counts.get(runId);
		if (counts === undefined) {
			counts = emptyCounts();
			this.counts.set(runId, counts);
		}
		counts[name] += amount;
	}

	/** The source's id, registering the source on first sight. */
	sourceId(sourceKey: string, provider: string): number {
		let sourceId = this.sources.get(sourceKey);
		if (sourceId === undefined) {
			sourceId = registerSource(this.context, sourceKey, provider);
			this.sources.set(sourceKey, sourceId);
		}
		return sourceId;
	}

	/**
	 * Where the item at `index` of the call belongs: its id, source and run. Refuses an
	 * item without the fields the store keys it by, naming its index.
	 */
	locate(item: ConnectorItem, index: number): { externalId: string; sourceId: number; runId: number } {
		const externalId = requireText(item, index, 'external_id');
		const provider = requireText(item, index, 'provider');
		const sourceId = this.sourceId(requireText(item, index, 'source_key'), provider);
		return { externalId, sourceId, runId: this.runFor(item, sourceId, provider) };
	}

	/** The item's own run when it names a run of its source; else the scope's run; else an implicit run. */
	runFor(item: ConnectorItem, sourceId: number, provider: string): number {
		for (const candidate of [itemRunId(item), this.scope.runId ?? null]) {
			if (candidate === null) continue;
			const run = this.lookupRun(candidate);
			if (run !== null && run.sourceId === sourceId) return run.id;
		}
		return this.implicitRun(sourceId, provider);
	}

	private lookupRun(runId: number): RunRef | null {
		let run = this.runs.get(runId);
		if (run === undefined) {
			const sourceId = integer(this.context.statements.selectRunSource.get(runId), 'source_id');
			run = sourceId === null ? null : { id: runId, sourceId };
			this.runs.set(runId, run);
		}
		return run;
	}

	private implicitRun(sourceId: number, provider: string): number {
		let runId = this.implicitRuns.get(sourceId);
		if (runId === undefined) {
			const { statements } = this.context;
			const executionId = this.scope.executionId ?? null;
			const existing = executionId === null ? null : integer(statements.selectRunOfExecution.get(executionId, sourceId), 'id');
			runId = existing ?? statements.insertRun.run(sourceId, provider, executionId, 1, this.context.nowIso(), null).lastInsertRowid;
			this.implicitRuns.set(sourceId, runId);
		}
		return runId;
	}
}

export class SqliteItemLedger implements ItemLedger {
	constructor(private readonly context: SqliteContext) {}

	/**
	 * Classifies each item as new, changed, unchanged or deleted against the last ingested version,
	 * and claims the versions it routes to New/Changed/Deleted for the item's run. A version another
	 * running run has claimed and not yet committed comes back `unchanged` with reason
	 * `claimed_by_other_run`, so two overlapping executions never both emit it; once that claim's
	 * lease expires, the version is taken over.
	 */
	async check<T extends ConnectorItem>(items: readonly T[], options: CheckOptions = {}): Promise<CheckedItem<T>[]> {
		const { db, statements } = this.context;
		const leaseMs = options.leaseMs ?? this.context.leaseMs;
		const results: CheckedItem<T>[] = [];
		const scope = new CallScope(this.context, options);
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			scope.startBatch();
			await db.transactionAsync(() => {
				const now = this.context.now();
				const claimedRuns = new Set<number>();
				const checked = new Array<CheckedItem<T>>(batch.length);
				for (const position of inKeyOrder(batch, offset)) {
					checked[position] = this.checkItem(batch[position], offset + position, scope, now, leaseMs, claimedRuns);
				}
				results.push(...checked);
				for (const runId of claimedRuns) statements.reopenRun.run(runId);
				flushCounts(this.context, scope.counts);
				settleRuns(this.context, scope.counts.keys(), new Set());
			});
			offset += batch.length;
		}
		return results;
	}

	private checkItem<T extends ConnectorItem>(
		item: T,
		index: number,
		scope: CallScope,
		now: number,
		leaseMs: number,
		claimedRuns: Set<number>,
	): CheckedItem<T> {
		const { statements } = this.context;
		const { externalId, sourceId, runId } = scope.locate(item, index);
		scope.count(runId, 'processed');

		const cached = this.cachedFingerprint(sourceId, externalId);
		const decision = detectChange(item, cached);
		if (decision.change === 'unchanged') {
			scope.count(runId, 'unchanged');
			return { item, runId, change: decision.change, reason: decision.reason };
		}

		const version = claimFingerprint(item);
		const expiresAt = now + leaseMs;
		const holder = statements.selectClaimHolders
			.all(sourceId, externalId)
			.find(
				(claim) =>
					integer(claim, 'run_id') !== runId &&
					integer(claim, 'emitted') === 1 &&
					text(claim, 'fingerprint') === version &&
					(integer(claim, 'expires_at') ?? 0) > now &&
					text(claim, 'status') === 'running',
			);
		if (holder !== undefined) {
			// Wait on the holder's commit: this run's cursor must not move past a version nobody has committed yet.
			statements.upsertClaim.run(sourceId, externalId, runId, version, 0, expiresAt);
			scope.count(runId, 'unchanged');
			return {
				item,
				runId,
				change: 'unchanged',
				reason: 'claimed_by_other_run',
				claimedByRunId: integer(holder, 'run_id') ?? undefined,
			};
		}
		statements.upsertClaim.run(sourceId, externalId, runId, version, 1, expiresAt);
		claimedRuns.add(runId);
		scope.count(runId, decision.change);
		return checkedResult(item, runId, decision, cached);
	}

	private cachedFingerprint(sourceId: number, externalId: string): CachedFingerprint | undefined {
		const row = this.context.statements.selectItem.get(sourceId, externalId);
		if (row === undefined) return undefined;
		return {
			version: text(row, 'version'),
			hash: text(row, 'hash'),
			modified_at: text(row, 'modified_at'),
			content_hash: text(row, 'content_hash'),
			deleted: integer(row, 'deleted') === 1,
			name: text(row, 'name'),
			path: text(row, 'path'),
			permissions: text(row, 'permissions'),
		};
	}

	/**
	 * Records items as ingested (deletions as deleted), releases their claims — the run's own and
	 * those of runs waiting on the same version — and promotes the cursors this settles. Committing
	 * an item that was never checked records it all the same.
	 */
	async commit(items: readonly ConnectorItem[], options: RunScope = {}): Promise<CommitSummary> {
		const summary: CommitSummary = { committed: 0, superseded: 0, promotedSources: [] };
		const promoted = new Set<string>();
		const scope = new CallScope(this.context, options);
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			scope.startBatch();
			await this.context.db.transactionAsync(() => {
				const now = this.context.nowIso();
				for (const position of inKeyOrder(batch, offset)) {
					const item = batch[position];
					const { externalId, sourceId, runId } = scope.locate(item, offset + position);
					this.releaseVersion(sourceId, externalId, runId, claimFingerprint(item), scope);
					if (this.recordIngested(item, sourceId, externalId, runId, now)) summary.committed++;
					else summary.superseded++;
					scope.count(runId, 'committed');
				}
				flushCounts(this.context, scope.counts);
				settleRuns(this.context, [...scope.counts.keys(), ...scope.touchedRuns], promoted);
			});
			offset += batch.length;
		}
		summary.promotedSources = [...promoted];
		return summary;
	}

	private itemClaims(sourceId: number, externalId: string): ItemClaim[] {
		return this.context.statements.selectItemClaims
			.all(sourceId, externalId)
			.map((row) => ({ runId: integer(row, 'run_id') ?? 0, version: text(row, 'fingerprint') ?? '' }));
	}

	/**
	 * Deletes the run's own claim on the item and every claim on the version it settles: the item's
	 * own version and the one the run claimed (export may have added a content_hash since check).
	 */
	private releaseVersion(sourceId: number, externalId: string, runId: number, itemVersion: string, scope: CallScope): void {
		const { statements } = this.context;
		const claims = this.itemClaims(sourceId, externalId);
		if (claims.length === 0) return;
		const claimedVersion = claims.find((claim) => claim.runId === runId)?.version;
		const settled = claims.filter(
			(claim) => claim.runId === runId || claim.version === itemVersion || claim.version === claimedVersion,
		);
		if (settled.length === claims.length) statements.deleteItemClaims.run(sourceId, externalId);
		else for (const claim of settled) statements.deleteClaim.run(sourceId, externalId, claim.runId);
		for (const claim of settled) scope.touchedRuns.add(claim.runId);
	}

	/** False when a newer run already committed another version of the item. */
	private recordIngested(item: ConnectorItem, sourceId: number, externalId: string, runId: number, now: string): boolean {
		const { statements } = this.context;
		const values = [
			sourceId,
			externalId,
			optionalText(item.name),
			optionalText(item.path),
			optionalText(item.mime),
			optionalSize(item.size),
			presentText(item.modified_at),
			presentText(item.version),
			presentText(item.hash),
			presentText(item.content_hash),
			permissionsKey(item.permissions),
			now,
			runId,
		];
		const result = item.change === 'deleted' ? statements.upsertDeletion.run(...values, now) : statements.upsertItem.run(...values);
		return result.changes > 0;
	}

	/**
	 * Settles items that will not be committed. `skipped` (refused by policy or limits) releases the
	 * version for every run waiting on it; `failed` releases only this run's claim, so a later run can
	 * retry at once, and holds this run's cursor back so the item is listed again.
	 */
	async release(items: readonly ConnectorItem[], options: ReleaseOptions): Promise<ReleaseSummary> {
		const { db, statements } = this.context;
		const promoted = new Set<string>();
		const scope = new CallScope(this.context, options);
		let released = 0;
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			scope.startBatch();
			const skippedByRun = new Map<number, number>();
			const failuresByRun = new Map<number, string[]>();
			await db.transactionAsync(() => {
				batch.forEach((item, index) => {
					const { externalId, sourceId, runId } = scope.locate(item, offset + index);
					// An item released without a check still counts towards the items the run listed.
					if (!this.itemClaims(sourceId, externalId).some((claim) => claim.runId === runId)) {
						scope.count(runId, 'processed');
					}
					if (options.outcome === 'skipped') {
						this.releaseVersion(sourceId, externalId, runId, claimFingerprint(item), scope);
						scope.count(runId, 'skipped');
						skippedByRun.set(runId, (skippedByRun.get(runId) ?? 0) + 1);
					} else {
						statements.deleteClaim.run(sourceId, externalId, runId);
						scope.count(runId, 'failed');
						failuresByRun.set(runId, [...(failuresByRun.get(runId) ?? []), `${externalId}: ${options.reason}`]);
					}
					released++;
				});
				flushCounts(this.context, scope.counts);
				for (const [runId, count] of skippedByRun) addRunReport(this.context, runId, { [options.reason]: count }, []);
				for (const [runId, messages] of failuresByRun) {
					statements.holdCursor.run(runId);
					addRunReport(this.context, runId, {}, messages);
				}
				settleRuns(this.context, [...scope.counts.keys(), ...scope.touchedRuns], promoted);
			});
			offset += batch.length;
		}
		return { released, promotedSources: [...promoted] };
	}

	/** Counts the items under the note's code in their runs; an implicit run this creates finishes at once, having nothing outstanding. */
	async note(items: readonly ConnectorItem[], options: NoteOptions): Promise<number> {
		const { db } = this.context;
		const scope = new CallScope(this.context, options);
		let noted = 0;
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			scope.startBatch();
			const notedByRun = new Map<number, number>();
			await db.transactionAsync(() => {
				batch.forEach((item, index) => {
					const { runId } = scope.locate(item, offset + index);
					notedByRun.set(runId, (notedByRun.get(runId) ?? 0) + 1);
					noted++;
				});
				for (const [runId, count] of notedByRun) addRunNotes(this.context, runId, { [options.code]: count });
				settleRuns(this.context, notedByRun.keys(), new Set());
			});
			offset += batch.length;
		}
		return noted;
	}
}
