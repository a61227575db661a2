import type { Client } from './connection';
import type { PgContext } from './context';
import { rows } from './context';
import { expireLeases } from './runs';

/**
 * Where a run completes and its cursor commits: the same rules as the SQLite store's
 * settlement (lib/store/sqlite/settlement.ts). Runs are taken oldest first so that the newest
 * settled proposal wins; the cursor moves by one conditional UPDATE, so two workers settling runs
 * of one source at once cannot move it backwards.
 */
export async function settleRuns(context: PgContext, client: Client, runIds: Iterable<number>, promoted: Set<string>): Promise<void> {
	const ordered = [...new Set(runIds)].sort((left, right) => left - right);
	if (ordered.length === 0) return;
	// A worker dropping claims of these runs at the same moment holds their rows until it commits:
	// waiting here, in a statement of its own, lets the next one see its claims gone (read committed
	// gives each statement a fresh snapshot), so the last of two settling one run finishes it.
	await client.query(`SELECT 1 FROM ${context.table('runs')} WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`, [ordered]);
	const runs = await rows(
		client,
		`SELECT id, source_id, status, implicit, proposed_cursor, listed_items, count_processed, cursor_held, cursor_committed_at,
			EXISTS (SELECT 1 FROM ${context.table('claims')} claims WHERE claims.run_id = runs.id) AS outstanding
		 FROM ${context.table('runs')} runs WHERE id = ANY($1::bigint[]) ORDER BY id`,
		[ordered],
	);
	const finished: number[] = [];
	for (const run of runs) {
		if (run.outstanding === true) continue;
		const runId = Number(run.id);
		if (Number(run.implicit) !== 1) {
			if (run.proposed_cursor === null) continue;
			// Not before the run has checked every item it listed.
			const checkedAll = Number(run.count_processed) >= Number(run.listed_items ?? 0);
			if (Number(run.cursor_held) === 1) {
				// A failed item keeps the cursor back for the next run; the run itself is over.
				if (checkedAll && run.status === 'running') {
					await client.query(`UPDATE ${context.table('runs')} SET status = 'partial', finished_at = $1 WHERE id = $2 AND status = 'running'`, [context.nowIso(), runId]);
					finished.push(runId);
				}
				continue;
			}
			if (run.cursor_committed_at === null) {
				if (!checkedAll) continue;
				const now = context.nowIso();
				const moved = await rows(
					client,
					`UPDATE ${context.table('sync_state')} SET committed_cursor = $1, committed_at = $2, committed_run_id = $3
					 WHERE source_id = $4 AND (committed_run_id IS NULL OR committed_run_id <= $3) RETURNING source_key`,
					[run.proposed_cursor, now, runId, run.source_id],
				);
				if (moved.length > 0) {
					await client.query(`UPDATE ${context.table('runs')} SET cursor_committed_at = $1 WHERE id = $2`, [now, runId]);
					promoted.add(String(moved[0].source_key));
				}
			}
		}
		if (run.status === 'running') {
			const now = context.nowIso();
			await client.query(`UPDATE ${context.table('runs')} SET status = 'success', finished_at = $1 WHERE id = $2 AND status = 'running'`, [now, runId]);
			await client.query(`UPDATE ${context.table('sync_state')} SET last_success_at = $1 WHERE source_id = $2`, [now, run.source_id]);
			finished.push(runId);
		}
	}
	await expireLeases(context, client, finished);
}
