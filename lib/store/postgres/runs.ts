/** Run records: one row in `runs` per listing run, and per execution and source for items without one. */
import { hostname } from 'node:os';

import { errorMessage } from '../../errors';
import { MAX_ERROR_MESSAGE_LENGTH, MAX_ERROR_SAMPLES, RUN_COUNT_NAMES } from '../constants';
import { CacheError } from '../errors';
import { emptyCounts, errorSamples, runSummary } from '../sqlite/runs';
import type { FinishRunInput, RunCounts, RunLedger, RunSummary, StartRunInput } from '../types';
import type { Client } from './connection';
import { nowMs, type PgContext, query, registerSource, rows, transaction } from './context';

/** How long a committed version's lease row is kept: far longer than any check transaction lasts. */
const COMMITTED_LEASE_KEPT_MS = 10 * 60 * 1000;

/** Which process of a cluster ran a run, kept in its record. */
export const WORKER = `${hostname()}:${process.pid}`;

function countRecord(value: string | null): Record<string, number> {
	const record: Record<string, number> = {};
	try {
		const parsed: unknown = value === null ? null : JSON.parse(value);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return record;
		for (const [key, count] of Object.entries(parsed)) if (typeof count === 'number' && Number.isFinite(count)) record[key] = count;
	} catch {
		// A damaged report starts afresh.
	}
	return record;
}

function errorSample(error: unknown): string {
	const message = errorMessage(error);
	return message.length > MAX_ERROR_MESSAGE_LENGTH ? `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : message;
}

export function selectRunSql(context: PgContext): string {
	return `SELECT runs.*, sync_state.source_key FROM ${context.table('runs')} runs JOIN ${context.table('sync_state')} sync_state USING (source_id)`;
}

/** Adds each run's counters of one transaction to its record: one statement for every run. */
export async function flushCounts(context: PgContext, client: Client, countsByRun: ReadonlyMap<number, RunCounts>): Promise<void> {
	if (countsByRun.size === 0) return;
	const ids = [...countsByRun.keys()];
	const columns = RUN_COUNT_NAMES.map((name) => ids.map((id) => countsByRun.get(id)?.[name] ?? 0));
	const sets = RUN_COUNT_NAMES.map((name) => `count_${name} = runs.count_${name} + d.${name}`).join(', ');
	const unnest = RUN_COUNT_NAMES.map((_, index) => `$${index + 2}::bigint[]`).join(', ');
	await client.query(
		`UPDATE ${context.table('runs')} runs SET ${sets}
		 FROM UNNEST($1::bigint[], ${unnest}) AS d(id, ${RUN_COUNT_NAMES.join(', ')}) WHERE runs.id = d.id`,
		[ids, ...columns],
	);
}

/** Adds skips per reason and error messages to the run's record, keeping the newest MAX_ERROR_SAMPLES messages. */
export async function addRunReport(
	context: PgContext,
	client: Client,
	runId: number,
	skippedByReason: Record<string, number>,
	errors: readonly string[],
): Promise<void> {
	const [run] = await rows(client, `SELECT skipped_by_reason, error_samples FROM ${context.table('runs')} WHERE id = $1 FOR UPDATE`, [runId]);
	if (run === undefined) return;
	const skipped = countRecord(typeof run.skipped_by_reason === 'string' ? run.skipped_by_reason : null);
	for (const [reason, count] of Object.entries(skippedByReason)) skipped[reason] = (skipped[reason] ?? 0) + count;
	const samples = [...errorSamples(run), ...errors];
	await client.query(`UPDATE ${context.table('runs')} SET skipped_by_reason = $1, error_samples = $2 WHERE id = $3`, [
		JSON.stringify(skipped),
		JSON.stringify(samples.slice(-MAX_ERROR_SAMPLES)),
		runId,
	]);
}

/** Adds item counts per note code to the run's record. */
export async function addRunNotes(context: PgContext, client: Client, runId: number, notedByReason: Record<string, number>): Promise<void> {
	const [run] = await rows(client, `SELECT noted_by_reason FROM ${context.table('runs')} WHERE id = $1 FOR UPDATE`, [runId]);
	if (run === undefined) return;
	const noted = countRecord(typeof run.noted_by_reason === 'string' ? run.noted_by_reason : null);
	for (const [code, count] of Object.entries(notedByReason)) noted[code] = (noted[code] ?? 0) + count;
	await client.query(`UPDATE ${context.table('runs')} SET noted_by_reason = $1 WHERE id = $2`, [JSON.stringify(noted), runId]);
}

export function unknownRunError(context: PgContext, runId: number): CacheError {
	return new CacheError('unknown_run', `Run ${runId} is not in the cache ${context.location} — it was forgotten or pruned; start a new run.`, {
		path: context.location,
	});
}

/** A finished run's leases stop holding other runs back at once. */
export async function expireLeases(context: PgContext, client: Client, runIds: readonly number[]): Promise<void> {
	if (runIds.length === 0) return;
	await client.query(`UPDATE ${context.table('leases')} SET expires_at = 0 WHERE run_id = ANY($1::bigint[]) AND committed = 0`, [runIds]);
}

export class PgRunLedger implements RunLedger {
	constructor(private readonly context: PgContext) {}

	/** Opens a run for the source and prunes the source's run records beyond the newest ones kept. */
	async start(input: StartRunInput): Promise<number> {
		const { context } = this;
		return transaction(context, async (client) => {
			const sourceId = await registerSource(context, client, input.sourceKey, input.provider);
			const policy = input.policy === undefined ? null : JSON.stringify(input.policy);
			const [run] = await rows(
				client,
				`INSERT INTO ${context.table('runs')} (source_id, provider, execution_id, implicit, started_at, status, policy, worker)
				 VALUES ($1, $2, $3, 0, $4, 'running', $5, $6) RETURNING id`,
				[sourceId, input.provider, input.executionId ?? null, context.nowIso(), policy, WORKER],
			);
			const runId = Number(run.id);
			await client.query(
				`DELETE FROM ${context.table('runs')} WHERE source_id = $1 AND id <= (
					SELECT id FROM ${context.table('runs')} WHERE source_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
				[sourceId, context.keptRunsPerSource],
			);
			// A committed version's row only guards checks that raced its commit: long after, it can go.
			await client.query(
				`DELETE FROM ${context.table('leases')} WHERE source_id = $1 AND committed = 1 AND expires_at < ${nowMs('$2')} - $3::bigint`,
				[sourceId, context.clockParam(), COMMITTED_LEASE_KEPT_MS],
			);
			return runId;
		});
	}

	/**
	 * Records how the run ended. A finished run's unexpired claims stop holding other runs back, so
	 * call it when the run's pipeline is over (after commit, or from an error path) — not after listing.
	 */
	async finish(runId: number, input: FinishRunInput): Promise<void> {
		const { context } = this;
		await transaction(context, async (client) => {
			const [run] = await rows(client, `SELECT source_id FROM ${context.table('runs')} WHERE id = $1 FOR UPDATE`, [runId]);
			if (run === undefined) throw unknownRunError(context, runId);
			const counts = emptyCounts();
			for (const name of RUN_COUNT_NAMES) counts[name] = input.counts?.[name] ?? 0;
			await flushCounts(context, client, new Map([[runId, counts]]));
			await addRunReport(context, client, runId, input.skippedByReason ?? {}, (input.errors ?? []).map(errorSample));
			const now = context.nowIso();
			await client.query(`UPDATE ${context.table('runs')} SET status = $1, finished_at = $2 WHERE id = $3`, [input.status, now, runId]);
			await expireLeases(context, client, [runId]);
			if (input.status === 'success') {
				await client.query(`UPDATE ${context.table('sync_state')} SET last_success_at = $1 WHERE source_id = $2`, [now, run.source_id]);
			}
		});
	}

	async get(runId: number): Promise<RunSummary | undefined> {
		const [row] = await query(this.context, `${selectRunSql(this.context)} WHERE runs.id = $1`, [runId]);
		return row === undefined ? undefined : runSummary(row);
	}
}
