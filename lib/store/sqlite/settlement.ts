import type { SqliteContext } from './context';
import { integer, text } from './statements';

/**
 * Where a run completes and its cursor commits. Check, commit, release and propose call this for
 * the runs they touched, inside their transaction.
 *
 * A run is settled once nothing of it is outstanding: no claim of its own is left (each version it
 * emitted, or waited on because another run emitted it, was committed or released as skipped), it
 * has checked as many items as it listed, and no item of it failed. A settled run's proposed
 * cursor becomes the source's committed cursor — runs are taken oldest first so that the newest
 * settled proposal wins, and a run older than the one that committed the current cursor only
 * finishes. A settled run still marked running finishes as a success; one whose item failed
 * finishes as partial once the rest is settled, its cursor held back so the next run lists the item
 * again. Implicit runs (items checked
 * without a run of their own: no listing, no cursor) finish once nothing of theirs is outstanding.
 *
 * `promoted` collects the keys of the sources whose committed cursor moved.
 */
export function settleRuns(context: SqliteContext, runIds: Iterable<number>, promoted: Set<string>): void {
	const { statements } = context;
	const ordered = [...new Set(runIds)].sort((left, right) => left - right);
	for (const runId of ordered) {
		const run = statements.selectSettlement.get(runId);
		const sourceId = integer(run, 'source_id');
		if (run === undefined || sourceId === null || integer(run, 'outstanding') !== 0) continue;
		if (integer(run, 'implicit') !== 1) {
			const cursor = text(run, 'proposed_cursor');
			if (cursor === null) continue;
			// Not before the run has checked every item it listed.
			const checkedAll = (integer(run, 'count_processed') ?? 0) >= (integer(run, 'listed_items') ?? 0);
			if (integer(run, 'cursor_held') === 1) {
				// A failed item keeps the cursor back for the next run; the run itself is over.
				if (checkedAll && text(run, 'status') === 'running') statements.finishRun.run('partial', context.nowIso(), runId);
				continue;
			}
			if (text(run, 'cursor_committed_at') === null) {
				if (!checkedAll) continue;
				const source = statements.selectSourceById.get(sourceId);
				const committedBy = integer(source, 'committed_run_id');
				if (committedBy === null || committedBy <= runId) {
					const now = context.nowIso();
					statements.commitCursor.run(cursor, now, runId, sourceId);
					statements.markCursorCommitted.run(now, runId);
					promoted.add(text(source, 'source_key') ?? '');
				}
			}
		}
		if (text(run, 'status') === 'running') {
			const now = context.nowIso();
			statements.finishRun.run('success', now, runId);
			statements.recordSuccess.run(now, sourceId);
		}
	}
}
