import { hostname } from 'node:os';

import type { ConnectorItem, Provider } from '../items';
import { errorMessage } from '../errors';
import {
	type CachedFingerprint,
	type ChangeReason,
	type DedupChange,
	detectChange,
	fingerprint,
	presentText,
} from '../store/changeDetection';
import { type DriverChoice, type DriverName, openDriver, type SqlRow, type SqliteDriver } from '../store/sqlite/driver';
import { CacheError } from '../store/errors';
import { resolveCachePath } from '../store/sqlite/location';
import { migrate } from '../store/sqlite/migrations';
import { integer, prepareStatements, type Statements, text } from '../store/sqlite/statements';

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

const COUNT_NAMES: readonly (keyof RunCounts)[] = [
	'processed',
	'new',
	'changed',
	'unchanged',
	'deleted',
	'skipped',
	'failed',
	'committed',
];

/** The item field listChanges stamps so that check and commit know which run an item belongs to. */
export const RUN_ID_FIELD = 'run_id';

export const DEFAULT_LEASE_MS = 60 * 60 * 1000;
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_KEPT_RUNS_PER_SOURCE = 50;
export const MAX_ERROR_SAMPLES = 10;
/** How long a run slot held by a running node stays taken without a renewal (its process may have died). */
export const RUN_SLOT_TTL_MS = 2 * 60 * 1000;
const MAX_ERROR_MESSAGE_LENGTH = 500;

export interface ConnectorCacheOptions {
	/** Defaults to `resolveCachePath()`: `CONNECTORS_CACHE_PATH`, else inside n8n's user folder. */
	path?: string;
	driver?: DriverChoice;
	busyTimeoutMs?: number;
	/** SQLite page cache per connection (default 8 MB): memory stays within it however large the cache grows. */
	pageCacheMb?: number;
	/** How long a run's claim on an item version stops other runs emitting it. */
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

interface ItemClaim {
	runId: number;
	version: string;
}

interface RunRef {
	id: number;
	sourceId: number;
}

function emptyCounts(): RunCounts {
	return { processed: 0, new: 0, changed: 0, unchanged: 0, deleted: 0, skipped: 0, failed: 0, committed: 0 };
}

function parseJson(value: string | null): unknown {
	if (value === null) return null;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return null;
	}
}

function countRecord(value: unknown): Record<string, number> {
	const record: Record<string, number> = {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return record;
	for (const [key, count] of Object.entries(value)) {
		if (typeof count === 'number' && Number.isFinite(count)) record[key] = count;
	}
	return record;
}

function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function errorSample(error: unknown): string {
	const message = errorMessage(error);
	return message.length > MAX_ERROR_MESSAGE_LENGTH ? `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : message;
}

function optionalText(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

function optionalSize(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
	}
}

function slotHolder(row: SqlRow): RunSlotHolder {
	return {
		executionId: text(row, 'execution_id') ?? '',
		host: text(row, 'host') ?? '',
		pid: integer(row, 'pid') ?? 0,
		acquiredAt: text(row, 'acquired_at') ?? '',
		active: (integer(row, 'holders') ?? 0) > 0,
		expiresAt: new Date(integer(row, 'expires_at') ?? 0).toISOString(),
	};
}

function itemRunId(item: ConnectorItem): number | null {
	const value = item[RUN_ID_FIELD];
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
	return null;
}

function requireText(item: ConnectorItem, index: number, field: 'source_key' | 'external_id' | 'provider'): string {
	const value: unknown = item[field];
	if (typeof value === 'string' && value !== '') return value;
	throw new CacheError(
		'invalid_item',
		`Item ${index} has no ${field} — pass items from listChanges or export, or set ${field} in the Code node that builds them.`,
	);
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
		private readonly statements: Statements,
		private readonly scope: RunScope,
		private readonly nowIso: () => string,
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
			this.statements.ensureSource.run(sourceKey, provider, this.nowIso());
			sourceId = integer(this.statements.selectSource.get(sourceKey), 'source_id') ?? 0;
			this.sources.set(sourceKey, sourceId);
		}
		return sourceId;
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
			const sourceId = integer(this.statements.selectRunSource.get(runId), 'source_id');
			run = sourceId === null ? null : { id: runId, sourceId };
			this.runs.set(runId, run);
		}
		return run;
	}

	private implicitRun(sourceId: number, provider: string): number {
		let runId = this.implicitRuns.get(sourceId);
		if (runId === undefined) {
			const executionId = this.scope.executionId ?? null;
			const existing =
				executionId === null ? null : integer(this.statements.selectRunOfExecution.get(executionId, sourceId), 'id');
			runId = existing ?? this.statements.insertRun.run(sourceId, provider, executionId, 1, this.nowIso(), null).lastInsertRowid;
			this.implicitRuns.set(sourceId, runId);
		}
		return runId;
	}
}

/**
 * The `external_items` cache, per-source sync state and the dedup engine behind connectorDedup.
 *
 * A run's proposed cursor becomes the committed cursor only once its work is settled: every item it
 * listed has been checked, every version it claimed (or found claimed by another run) has been
 * committed or released as skipped, and none of its items failed. Until then the committed cursor
 * stays put, so a workflow that fails between check and commit lists the same items again.
 */
export class ConnectorCache {
	readonly path: string;
	readonly driverName: DriverName;
	private readonly db: SqliteDriver;
	private readonly statements: Statements;
	private readonly leaseMs: number;
	private readonly batchSize: number;
	private readonly keptRunsPerSource: number;
	private readonly now: () => number;

	constructor(
		db: SqliteDriver,
		options: Omit<ConnectorCacheOptions, 'path' | 'driver' | 'busyTimeoutMs' | 'pageCacheMb'> = {},
	) {
		this.db = db;
		this.path = db.path;
		this.driverName = db.name;
		this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
		this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
		this.keptRunsPerSource = Math.max(1, options.keptRunsPerSource ?? DEFAULT_KEPT_RUNS_PER_SOURCE);
		this.now = options.now ?? Date.now;
		this.statements = prepareStatements(db);
	}

	private nowIso(): string {
		return new Date(this.now()).toISOString();
	}

	private newScope(scope: RunScope): CallScope {
		return new CallScope(this.statements, scope, () => this.nowIso());
	}

	private sourceIdOf(sourceKey: string): number | null {
		return integer(this.statements.selectSource.get(sourceKey), 'source_id');
	}

	startRun(input: StartRunInput): number {
		return this.db.transaction(() => {
			const sourceId = this.newScope({}).sourceId(input.sourceKey, input.provider);
			const policy = input.policy === undefined ? null : JSON.stringify(input.policy);
			const runId = this.statements.insertRun.run(
				sourceId,
				input.provider,
				input.executionId ?? null,
				0,
				this.nowIso(),
				policy,
			).lastInsertRowid;
			this.statements.pruneRuns.run(sourceId, sourceId, this.keptRunsPerSource);
			return runId;
		});
	}

	/**
	 * Records how the run ended. A finished run's unexpired claims stop holding other runs back, so
	 * call it when the run's pipeline is over (after commit, or from an error path) — not after listing.
	 */
	finishRun(runId: number, input: FinishRunInput): void {
		this.db.transaction(() => {
			const run = this.requireRun(runId);
			const counts = emptyCounts();
			for (const name of COUNT_NAMES) counts[name] = input.counts?.[name] ?? 0;
			this.flushCounts(new Map([[runId, counts]]));
			this.addRunReport(runId, input.skippedByReason ?? {}, (input.errors ?? []).map(errorSample));
			const now = this.nowIso();
			this.statements.finishRun.run(input.status, now, runId);
			if (input.status === 'success') this.statements.recordSuccess.run(now, integer(run, 'source_id'));
		});
	}

	getRun(runId: number): RunSummary | undefined {
		const row = this.statements.selectRun.get(runId);
		return row === undefined ? undefined : runSummary(row);
	}

	getCommittedCursor(sourceKey: string): string | null {
		return text(this.statements.selectSource.get(sourceKey), 'committed_cursor');
	}

	/**
	 * Proposes where the source's next listing should start once this run's work is settled.
	 * `listedItems` is how many items the run emitted for check (0 settles at once): the cursor waits
	 * until that many have been checked, so a workflow that checks in several batches cannot move
	 * it past items it has not seen yet.
	 */
	proposeCursor(runId: number, sourceKey: string, cursor: string, options: { listedItems: number }): void {
		this.db.transaction(() => {
			const run = this.requireRun(runId);
			if (text(run, 'source_key') !== sourceKey) {
				throw new CacheError(
					'unknown_run',
					`Run ${runId} belongs to source ${String(text(run, 'source_key'))}, not ${sourceKey} — propose the ` +
						'cursor with the run started for that source.',
					{ path: this.path },
				);
			}
			this.statements.proposeCursor.run(cursor, this.nowIso(), Math.max(0, Math.trunc(options.listedItems)), runId);
			this.settleRuns([runId], new Set());
		});
	}

	getProviderState(sourceKey: string): string | null {
		return text(this.statements.selectSource.get(sourceKey), 'provider_state');
	}

	/** Room for what a provider keeps per source beside its cursor (e.g. Drive's resolved root). */
	setProviderState(sourceKey: string, provider: Provider, state: string | null): void {
		this.db.transaction(() => {
			this.statements.setProviderState.run(state, this.newScope({}).sourceId(sourceKey, provider));
		});
	}

	/**
	 * Classifies each item as new, changed, unchanged or deleted against the last ingested version,
	 * and claims the versions it routes to New/Changed/Deleted for the item's run. A version another
	 * running run has claimed and not yet committed comes back `unchanged` with reason
	 * `claimed_by_other_run`, so two overlapping executions never both emit it; once that claim's
	 * lease expires, the version is taken over.
	 */
	check<T extends ConnectorItem>(items: readonly T[], options: CheckOptions = {}): CheckedItem<T>[] {
		const leaseMs = options.leaseMs ?? this.leaseMs;
		const results: CheckedItem<T>[] = [];
		const scope = this.newScope(options);
		let offset = 0;
		for (const batch of chunks(items, this.batchSize)) {
			scope.startBatch();
			this.db.transaction(() => {
				const now = this.now();
				const claimedRuns = new Set<number>();
				const checked = new Array<CheckedItem<T>>(batch.length);
				for (const position of inKeyOrder(batch, offset)) {
					checked[position] = this.checkItem(batch[position], offset + position, scope, now, leaseMs, claimedRuns);
				}
				results.push(...checked);
				for (const runId of claimedRuns) this.statements.reopenRun.run(runId);
				this.flushCounts(scope.counts);
				this.settleRuns(scope.counts.keys(), new Set());
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
		const externalId = requireText(item, index, 'external_id');
		const provider = requireText(item, index, 'provider');
		const sourceId = scope.sourceId(requireText(item, index, 'source_key'), provider);
		const runId = scope.runFor(item, sourceId, provider);
		scope.count(runId, 'processed');

		const decision = detectChange(item, this.cachedFingerprint(sourceId, externalId));
		if (decision.change === 'unchanged') {
			scope.count(runId, 'unchanged');
			return { item, runId, change: decision.change, reason: decision.reason };
		}

		const version = fingerprint(item);
		const expiresAt = now + leaseMs;
		const holder = this.statements.selectClaimHolders
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
			this.statements.upsertClaim.run(sourceId, externalId, runId, version, 0, expiresAt);
			scope.count(runId, 'unchanged');
			return {
				item,
				runId,
				change: 'unchanged',
				reason: 'claimed_by_other_run',
				claimedByRunId: integer(holder, 'run_id') ?? undefined,
			};
		}
		this.statements.upsertClaim.run(sourceId, externalId, runId, version, 1, expiresAt);
		claimedRuns.add(runId);
		scope.count(runId, decision.change);
		return { item, runId, change: decision.change, reason: decision.reason };
	}

	private cachedFingerprint(sourceId: number, externalId: string): CachedFingerprint | undefined {
		const row = this.statements.selectItem.get(sourceId, externalId);
		if (row === undefined) return undefined;
		return {
			version: text(row, 'version'),
			hash: text(row, 'hash'),
			modified_at: text(row, 'modified_at'),
			content_hash: text(row, 'content_hash'),
			deleted: integer(row, 'deleted') === 1,
		};
	}

	/**
	 * Records items as ingested (deletions as deleted), releases their claims — the run's own and
	 * those of runs waiting on the same version — and promotes the cursors this settles. Committing
	 * an item that was never checked records it all the same.
	 */
	commit(items: readonly ConnectorItem[], options: RunScope = {}): CommitSummary {
		const summary: CommitSummary = { committed: 0, superseded: 0, promotedSources: [] };
		const promoted = new Set<string>();
		const scope = this.newScope(options);
		let offset = 0;
		for (const batch of chunks(items, this.batchSize)) {
			scope.startBatch();
			this.db.transaction(() => {
				const now = this.nowIso();
				for (const position of inKeyOrder(batch, offset)) {
					const item = batch[position];
					const externalId = requireText(item, offset + position, 'external_id');
					const provider = requireText(item, offset + position, 'provider');
					const sourceId = scope.sourceId(requireText(item, offset + position, 'source_key'), provider);
					const runId = scope.runFor(item, sourceId, provider);
					this.releaseVersion(sourceId, externalId, runId, fingerprint(item), scope);
					if (this.recordIngested(item, sourceId, externalId, runId, now)) summary.committed++;
					else summary.superseded++;
					scope.count(runId, 'committed');
				}
				this.flushCounts(scope.counts);
				this.settleRuns([...scope.counts.keys(), ...scope.touchedRuns], promoted);
			});
			offset += batch.length;
		}
		summary.promotedSources = [...promoted];
		return summary;
	}

	private itemClaims(sourceId: number, externalId: string): ItemClaim[] {
		return this.statements.selectItemClaims
			.all(sourceId, externalId)
			.map((row) => ({ runId: integer(row, 'run_id') ?? 0, version: text(row, 'fingerprint') ?? '' }));
	}

	/**
	 * Deletes the run's own claim on the item and every claim on the version it settles: the item's
	 * own version and the one the run claimed (export may have added a content_hash since check).
	 */
	private releaseVersion(sourceId: number, externalId: string, runId: number, itemVersion: string, scope: CallScope): void {
		const claims = this.itemClaims(sourceId, externalId);
		if (claims.length === 0) return;
		const claimedVersion = claims.find((claim) => claim.runId === runId)?.version;
		const settled = claims.filter(
			(claim) => claim.runId === runId || claim.version === itemVersion || claim.version === claimedVersion,
		);
		if (settled.length === claims.length) this.statements.deleteItemClaims.run(sourceId, externalId);
		else for (const claim of settled) this.statements.deleteClaim.run(sourceId, externalId, claim.runId);
		for (const claim of settled) scope.touchedRuns.add(claim.runId);
	}

	/** False when a newer run already committed another version of the item. */
	private recordIngested(item: ConnectorItem, sourceId: number, externalId: string, runId: number, now: string): boolean {
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
			now,
			runId,
		];
		const result =
			item.change === 'deleted'
				? this.statements.upsertDeletion.run(...values, now)
				: this.statements.upsertItem.run(...values);
		return result.changes > 0;
	}

	/**
	 * Settles items that will not be committed. `skipped` (refused by policy or limits) releases the
	 * version for every run waiting on it; `failed` releases only this run's claim, so a later run can
	 * retry at once, and holds this run's cursor back so the item is listed again.
	 */
	release(items: readonly ConnectorItem[], options: ReleaseOptions): ReleaseSummary {
		const promoted = new Set<string>();
		const scope = this.newScope(options);
		let released = 0;
		let offset = 0;
		for (const batch of chunks(items, this.batchSize)) {
			scope.startBatch();
			const skippedByRun = new Map<number, number>();
			const failuresByRun = new Map<number, string[]>();
			this.db.transaction(() => {
				batch.forEach((item, index) => {
					const externalId = requireText(item, offset + index, 'external_id');
					const provider = requireText(item, offset + index, 'provider');
					const sourceId = scope.sourceId(requireText(item, offset + index, 'source_key'), provider);
					const runId = scope.runFor(item, sourceId, provider);
					// An item released without a check still counts towards the items the run listed.
					if (!this.itemClaims(sourceId, externalId).some((claim) => claim.runId === runId)) {
						scope.count(runId, 'processed');
					}
					if (options.outcome === 'skipped') {
						this.releaseVersion(sourceId, externalId, runId, fingerprint(item), scope);
						scope.count(runId, 'skipped');
						skippedByRun.set(runId, (skippedByRun.get(runId) ?? 0) + 1);
					} else {
						this.statements.deleteClaim.run(sourceId, externalId, runId);
						scope.count(runId, 'failed');
						failuresByRun.set(runId, [...(failuresByRun.get(runId) ?? []), `${externalId}: ${options.reason}`]);
					}
					released++;
				});
				this.flushCounts(scope.counts);
				for (const [runId, count] of skippedByRun) this.addRunReport(runId, { [options.reason]: count }, []);
				for (const [runId, messages] of failuresByRun) {
					this.statements.holdCursor.run(runId);
					this.addRunReport(runId, {}, messages);
				}
				this.settleRuns([...scope.counts.keys(), ...scope.touchedRuns], promoted);
			});
			offset += batch.length;
		}
		return { released, promotedSources: [...promoted] };
	}

	private addRunReport(runId: number, skippedByReason: Record<string, number>, errors: readonly string[]): void {
		const run = this.statements.selectRun.get(runId);
		if (run === undefined) return;
		const skipped = countRecord(parseJson(text(run, 'skipped_by_reason')));
		for (const [reason, count] of Object.entries(skippedByReason)) skipped[reason] = (skipped[reason] ?? 0) + count;
		const samples = [...stringList(parseJson(text(run, 'error_samples'))), ...errors];
		this.statements.updateRunReport.run(JSON.stringify(skipped), JSON.stringify(samples.slice(-MAX_ERROR_SAMPLES)), runId);
	}

	private flushCounts(countsByRun: ReadonlyMap<number, RunCounts>): void {
		for (const [runId, counts] of countsByRun) {
			this.statements.addRunCounts.run(...COUNT_NAMES.map((name) => counts[name]), runId);
		}
	}

	/**
	 * Promotes the proposed cursor of each run whose work is settled, oldest run first so the newest
	 * settled proposal wins; a run older than the one that committed the current cursor only finishes.
	 * Implicit runs (no listing, no cursor) finish when nothing of theirs is outstanding.
	 */
	private settleRuns(runIds: Iterable<number>, promoted: Set<string>): void {
		const ordered = [...new Set(runIds)].sort((left, right) => left - right);
		for (const runId of ordered) {
			const run = this.statements.selectSettlement.get(runId);
			const sourceId = integer(run, 'source_id');
			if (run === undefined || sourceId === null || integer(run, 'outstanding') !== 0) continue;
			const implicit = integer(run, 'implicit') === 1;
			const cursor = text(run, 'proposed_cursor');
			if (!implicit) {
				if (cursor === null || integer(run, 'cursor_held') === 1) continue;
				if (text(run, 'cursor_committed_at') === null && !this.promoteCursor(run, runId, sourceId, cursor, promoted)) {
					continue;
				}
			}
			if (text(run, 'status') === 'running') {
				const now = this.nowIso();
				this.statements.finishRun.run('success', now, runId);
				this.statements.recordSuccess.run(now, sourceId);
			}
		}
	}

	/** False while the run has not yet checked every item it listed. */
	private promoteCursor(run: SqlRow, runId: number, sourceId: number, cursor: string, promoted: Set<string>): boolean {
		if ((integer(run, 'count_processed') ?? 0) < (integer(run, 'listed_items') ?? 0)) return false;
		const source = this.statements.selectSourceById.get(sourceId);
		const committedBy = integer(source, 'committed_run_id');
		if (committedBy === null || committedBy <= runId) {
			const now = this.nowIso();
			this.statements.commitCursor.run(cursor, now, runId, sourceId);
			this.statements.markCursorCommitted.run(now, runId);
			promoted.add(text(source, 'source_key') ?? '');
		}
		return true;
	}

	private requireRun(runId: number): SqlRow {
		const run = this.statements.selectRun.get(runId);
		if (run === undefined) {
			throw new CacheError(
				'unknown_run',
				`Run ${runId} is not in the cache ${this.path} — it was forgotten or pruned; start a new run.`,
				{ path: this.path },
			);
		}
		return run;
	}

	/** Per source (or for one source): last run, last error, last success, items known, cursor. */
	status(sourceKey?: string): SourceStatus[] {
		const sources =
			sourceKey === undefined
				? this.statements.selectSources.all()
				: [this.statements.selectSource.get(sourceKey)].filter((row): row is SqlRow => row !== undefined);
		return sources.map((source) => {
			const sourceId = integer(source, 'source_id');
			const lastRun = this.statements.selectLastRun.get(sourceId);
			const errorRun = this.statements.selectLastError.get(sourceId);
			const errorMessages = stringList(parseJson(text(errorRun, 'error_samples')));
			const itemCounts = this.statements.countItems.get(sourceId);
			const total = integer(itemCounts, 'total') ?? 0;
			const deleted = integer(itemCounts, 'deleted') ?? 0;
			return {
				sourceKey: text(source, 'source_key') ?? '',
				provider: text(source, 'provider') ?? '',
				lastRun: lastRun === undefined ? null : runSummary(lastRun),
				lastError:
					errorRun === undefined || errorMessages.length === 0
						? null
						: {
								runId: integer(errorRun, 'id') ?? 0,
								at: text(errorRun, 'finished_at') ?? text(errorRun, 'started_at') ?? '',
								message: errorMessages[errorMessages.length - 1],
							},
				lastSuccessAt: text(source, 'last_success_at'),
				hasCursor: text(source, 'committed_cursor') !== null,
				cursorCommittedAt: text(source, 'committed_at'),
				itemsKnown: total - deleted,
				itemsDeleted: deleted,
				itemsInFlight: integer(this.statements.countInFlight.get(sourceId, this.now()), 'in_flight') ?? 0,
			};
		});
	}

	/**
	 * Takes a slot for the execution among at most `limit` per provider, across processes sharing the
	 * file. The nodes of one execution share its slot (a second acquire only adds a holder), so an
	 * execution admitted at listing is not refused at export. A slot counts while a node holds it
	 * (renewed within RUN_SLOT_TTL_MS), then, once released, while the execution's run is still open
	 * (not yet committed), for at most the claim lease. A slot whose process is gone from this host
	 * is freed at once.
	 */
	acquireRunSlot(input: AcquireRunSlotInput): RunSlotResult {
		const host = input.host ?? hostname();
		const pid = input.pid ?? process.pid;
		const isAlive = input.isProcessAlive ?? processAlive;
		return this.db.transaction(() => {
			const now = this.now();
			const others: RunSlotHolder[] = [];
			for (const row of this.statements.selectRunSlots.all(input.provider)) {
				const executionId = text(row, 'execution_id') ?? '';
				if (executionId === input.executionId) continue;
				if (this.slotIsTaken(row, input.provider, now, host, isAlive)) others.push(slotHolder(row));
				else this.statements.deleteRunSlot.run(input.provider, executionId);
			}
			const own = this.statements.selectRunSlot.get(input.provider, input.executionId);
			if (own === undefined && others.length >= input.limit) return { acquired: false, holders: others };
			this.statements.takeRunSlot.run(input.provider, input.executionId, host, pid, this.nowIso(), now + RUN_SLOT_TTL_MS);
			return { acquired: true };
		});
	}

	private slotIsTaken(row: SqlRow, provider: Provider, now: number, host: string, isAlive: (pid: number) => boolean): boolean {
		if ((integer(row, 'expires_at') ?? 0) <= now) return false;
		if (text(row, 'host') === host && !isAlive(integer(row, 'pid') ?? 0)) return false;
		if ((integer(row, 'holders') ?? 0) > 0) return true;
		return this.statements.selectOpenRunOfExecution.get(text(row, 'execution_id'), provider) !== undefined;
	}

	/** Keeps a held slot from expiring; call it well within RUN_SLOT_TTL_MS while the node runs. */
	renewRunSlot(provider: Provider, executionId: string): void {
		this.db.transaction(() => {
			this.statements.renewRunSlot.run(this.now() + RUN_SLOT_TTL_MS, provider, executionId);
		});
	}

	/** One holder of the execution's slot is done; the last one leaves it to the execution's open run, for at most the claim lease. */
	releaseRunSlot(provider: Provider, executionId: string): void {
		this.db.transaction(() => {
			this.statements.releaseRunSlot.run(this.now() + this.leaseMs, provider, executionId);
		});
	}

	/** The executions holding a slot of the provider now. */
	runSlots(provider: Provider): RunSlotHolder[] {
		const now = this.now();
		const host = hostname();
		return this.statements.selectRunSlots
			.all(provider)
			.filter((row) => this.slotIsTaken(row, provider, now, host, processAlive))
			.map(slotHolder);
	}

	/** Drops a source's items, cursor, claims and runs: its next run is a full re-import. */
	forget(sourceKey: string): ForgetSummary {
		return this.db.transaction(() => {
			const sourceId = this.sourceIdOf(sourceKey);
			if (sourceId === null) return { sourceKey, items: 0, runs: 0, claims: 0, hadCursor: false };
			const hadCursor = this.getCommittedCursor(sourceKey) !== null;
			const claims = this.statements.forgetClaims.run(sourceId).changes;
			const items = this.statements.forgetItems.run(sourceId).changes;
			const runs = this.statements.forgetRuns.run(sourceId).changes;
			this.statements.forgetSource.run(sourceId);
			return { sourceKey, items, runs, claims, hadCursor };
		});
	}

	get isClosed(): boolean {
		return this.db.isClosed;
	}

	close(): void {
		this.db.close();
	}
}

function runSummary(row: SqlRow): RunSummary {
	const counts = emptyCounts();
	for (const name of COUNT_NAMES) counts[name] = integer(row, `count_${name}`) ?? 0;
	const status = text(row, 'status');
	return {
		runId: integer(row, 'id') ?? 0,
		sourceKey: text(row, 'source_key') ?? '',
		provider: text(row, 'provider') ?? '',
		executionId: text(row, 'execution_id'),
		implicit: integer(row, 'implicit') === 1,
		status: status === 'success' || status === 'partial' || status === 'error' ? status : 'running',
		startedAt: text(row, 'started_at') ?? '',
		finishedAt: text(row, 'finished_at'),
		counts,
		skippedByReason: countRecord(parseJson(text(row, 'skipped_by_reason'))),
		errors: stringList(parseJson(text(row, 'error_samples'))),
		policy: parseJson(text(row, 'policy')),
		cursorProposed: text(row, 'proposed_cursor') !== null,
		cursorCommittedAt: text(row, 'cursor_committed_at'),
	};
}

/** Opens (creating and migrating as needed) the cache file and returns the engine over it. */
export function openConnectorCache(options: ConnectorCacheOptions = {}): ConnectorCache {
	const path = options.path ?? resolveCachePath();
	const db = openDriver(path, {
		driver: options.driver,
		busyTimeoutMs: options.busyTimeoutMs,
		pageCacheMb: options.pageCacheMb,
	});
	try {
		migrate(db);
		return new ConnectorCache(db, options);
	} catch (error) {
		db.close();
		throw error;
	}
}

const sharedCaches = new Map<string, ConnectorCache>();

/**
 * One open cache per file and driver for the whole process, reused by every execution: opening
 * costs a migration check and ~40 prepared statements, and with better-sqlite3 12 on Node >= 24.19
 * a closed database or statement that is later garbage-collected aborts the process
 * (nodejs/node#65446) — a cache that stays open is never collected.
 */
export function sharedConnectorCache(options: ConnectorCacheOptions = {}): ConnectorCache {
	const path = options.path ?? resolveCachePath();
	const key = `${path}\u0000${options.driver ?? 'auto'}`;
	let cache = sharedCaches.get(key);
	if (cache === undefined || cache.isClosed) {
		cache = openConnectorCache({ ...options, path });
		sharedCaches.set(key, cache);
	}
	return cache;
}
