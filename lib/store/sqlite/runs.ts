/** Run records: one row in `runs` per listing run, and per execution and source for items without one. */
import { errorMessage } from '../../errors';
import { MAX_ERROR_MESSAGE_LENGTH, MAX_ERROR_SAMPLES, RUN_COUNT_NAMES } from '../constants';
import { CacheError } from '../errors';
import type { FinishRunInput, RunCounts, RunLedger, RunSummary, StartRunInput } from '../types';
import { registerSource, type SqliteContext } from './context';
import type { SqlRow } from './driver';
import { integer, text } from './statements';

export function emptyCounts(): RunCounts {
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

export function errorSamples(row: SqlRow | undefined): string[] {
	return stringList(parseJson(text(row, 'error_samples')));
}

function errorSample(error: unknown): string {
	const message = errorMessage(error);
	return message.length > MAX_ERROR_MESSAGE_LENGTH ? `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : message;
}

/** Adds each run's counters of one transaction to its record. */
export function flushCounts(context: SqliteContext, countsByRun: ReadonlyMap<number, RunCounts>): void {
	for (const [runId, counts] of countsByRun) {
		context.statements.addRunCounts.run(...RUN_COUNT_NAMES.map((name) => counts[name]), runId);
	}
}

/** Adds skips per reason and error messages to the run's record, keeping the newest MAX_ERROR_SAMPLES messages. */
export function addRunReport(
	context: SqliteContext,
	runId: number,
	skippedByReason: Record<string, number>,
	errors: readonly string[],
): void {
	const run = context.statements.selectRun.get(runId);
	if (run === undefined) return;
	const skipped = countRecord(parseJson(text(run, 'skipped_by_reason')));
	for (const [reason, count] of Object.entries(skippedByReason)) skipped[reason] = (skipped[reason] ?? 0) + count;
	const samples = [...errorSamples(run), ...errors];
	context.statements.updateRunReport.run(JSON.stringify(skipped), JSON.stringify(samples.slice(-MAX_ERROR_SAMPLES)), runId);
}

/** Adds item counts per note code to the run's record. */
export function addRunNotes(context: SqliteContext, runId: number, notedByReason: Record<string, number>): void {
	const run = context.statements.selectRun.get(runId);
	if (run === undefined) return;
	const noted = countRecord(parseJson(text(run, 'noted_by_reason')));
	for (const [code, count] of Object.entries(notedByReason)) noted[code] = (noted[code] ?? 0) + count;
	context.statements.updateRunNotes.run(JSON.stringify(noted), runId);
}

export function requireRun(context: SqliteContext, runId: number): SqlRow {
	const run = context.statements.selectRun.get(runId);
	if (run === undefined) {
		throw new CacheError(
			'unknown_run',
			`Run ${runId} is not in the cache ${context.path} — it was forgotten or pruned; start a new run.`,
			{ path: context.path },
		);
	}
	return run;
}

export function runSummary(row: SqlRow): RunSummary {
	const counts = emptyCounts();
	for (const name of RUN_COUNT_NAMES) counts[name] = integer(row, `count_${name}`) ?? 0;
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
		notedByReason: countRecord(parseJson(text(row, 'noted_by_reason'))),
		errors: errorSamples(row),
		policy: parseJson(text(row, 'policy')),
		cursorProposed: text(row, 'proposed_cursor') !== null,
		cursorCommittedAt: text(row, 'cursor_committed_at'),
	};
}

export class SqliteRunLedger implements RunLedger {
	constructor(private readonly context: SqliteContext) {}

	/** Opens a run for the source and prunes the source's run records beyond the newest ones kept. */
	async start(input: StartRunInput): Promise<number> {
		const { db, statements } = this.context;
		return await db.transactionAsync(() => {
			const sourceId = registerSource(this.context, input.sourceKey, input.provider);
			const policy = input.policy === undefined ? null : JSON.stringify(input.policy);
			const runId = statements.insertRun.run(sourceId, input.provider, input.executionId ?? null, 0, this.context.nowIso(), policy)
				.lastInsertRowid;
			statements.pruneRuns.run(sourceId, sourceId, this.context.keptRunsPerSource);
			return runId;
		});
	}

	/**
	 * Records how the run ended. A finished run's unexpired claims stop holding other runs back, so
	 * call it when the run's pipeline is over (after commit, or from an error path) — not after listing.
	 */
	async finish(runId: number, input: FinishRunInput): Promise<void> {
		const { db, statements } = this.context;
		await db.transactionAsync(() => {
			const run = requireRun(this.context, runId);
			const counts = emptyCounts();
			for (const name of RUN_COUNT_NAMES) counts[name] = input.counts?.[name] ?? 0;
			flushCounts(this.context, new Map([[runId, counts]]));
			addRunReport(this.context, runId, input.skippedByReason ?? {}, (input.errors ?? []).map(errorSample));
			const now = this.context.nowIso();
			statements.finishRun.run(input.status, now, runId);
			if (input.status === 'success') statements.recordSuccess.run(now, integer(run, 'source_id'));
		});
	}

	async get(runId: number): Promise<RunSummary | undefined> {
		const row = this.context.statements.selectRun.get(runId);
		return row === undefined ? undefined : runSummary(row);
	}
}
