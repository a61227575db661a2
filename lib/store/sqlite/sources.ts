/** Each source as a whole: what status reports about it, and forgetting it. */
import type { ForgetSummary, SourceStatus } from '../types';
import { type SqliteContext, sourceIdOf } from './context';
import type { SqlRow } from './driver';
import { errorSamples, runSummary } from './runs';
import { forgetSnapshots } from './snapshots';
import { integer, text } from './statements';

/** Per source (or for one source): last run, last error, last success, items known, cursor. */
export function sourceStatus(context: SqliteContext, sourceKey?: string): SourceStatus[] {
	const { statements } = context;
	const sources =
		sourceKey === undefined
			? statements.selectSources.all()
			: [statements.selectSource.get(sourceKey)].filter((row): row is SqlRow => row !== undefined);
	return sources.map((source) => {
		const sourceId = integer(source, 'source_id');
		const lastRun = statements.selectLastRun.get(sourceId);
		const errorRun = statements.selectLastError.get(sourceId);
		const errorMessages = errorSamples(errorRun);
		const itemCounts = statements.countItems.get(sourceId);
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
			itemsInFlight: integer(statements.countInFlight.get(sourceId, context.now()), 'in_flight') ?? 0,
		};
	});
}

/** Drops a source's items, listed items, owners, cursor, listing snapshots, claims and runs: its next run is a full re-import. */
export async function forgetSource(context: SqliteContext, sourceKey: string): Promise<ForgetSummary> {
	const { db, statements } = context;
	return await db.transactionAsync(() => {
		const sourceId = sourceIdOf(context, sourceKey);
		if (sourceId === null) return { sourceKey, items: 0, runs: 0, claims: 0, hadCursor: false };
		const hadCursor = text(statements.selectSource.get(sourceKey), 'committed_cursor') !== null;
		const claims = statements.forgetClaims.run(sourceId).changes;
		const items = statements.forgetItems.run(sourceId).changes;
		statements.forgetListed.run(sourceId);
		forgetSnapshots(context.db, sourceId);
		statements.forgetOwners.run(sourceId);
		const runs = statements.forgetRuns.run(sourceId).changes;
		statements.forgetSource.run(sourceId);
		return { sourceKey, items, runs, claims, hadCursor };
	});
}
