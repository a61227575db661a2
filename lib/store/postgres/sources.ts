/** Each source as a whole: what status reports about it, and forgetting it. */
import { errorSamples, runSummary } from '../sqlite/runs';
import type { ForgetSummary, SourceStatus } from '../types';
import { nowMs, type PgContext, query, rows, transaction } from './context';
import { selectRunSql } from './runs';
import { forgetSnapshots } from './snapshots';

/** Per source (or for one source): last run, last error, last success, items known, cursor. */
export async function sourceStatus(context: PgContext, sourceKey?: string): Promise<SourceStatus[]> {
	const sources =
		sourceKey === undefined
			? await query(context, `SELECT * FROM ${context.table('sync_state')} ORDER BY source_key`)
			: await query(context, `SELECT * FROM ${context.table('sync_state')} WHERE source_key = $1`, [sourceKey]);
	const statuses: SourceStatus[] = [];
	for (const source of sources) {
		const sourceId = Number(source.source_id);
		const [lastRun] = await query(context, `${selectRunSql(context)} WHERE runs.source_id = $1 ORDER BY runs.id DESC LIMIT 1`, [sourceId]);
		const [errorRun] = await query(
			context,
			`SELECT id, started_at, finished_at, error_samples FROM ${context.table('runs')} WHERE source_id = $1 AND error_samples != '[]' ORDER BY id DESC LIMIT 1`,
			[sourceId],
		);
		const [counts] = await query(
			context,
			`SELECT COUNT(*) AS total, COALESCE(SUM(deleted), 0) AS deleted FROM ${context.table('external_items')} WHERE source_id = $1`,
			[sourceId],
		);
		const [inFlight] = await query(
			context,
			`SELECT COUNT(*) AS in_flight FROM ${context.table('claims')} claims JOIN ${context.table('runs')} runs ON runs.id = claims.run_id
			 WHERE claims.source_id = $1 AND claims.emitted = 1 AND claims.expires_at > ${nowMs('$2')} AND runs.status = 'running'`,
			[sourceId, context.clockParam()],
		);
		const messages = errorSamples(errorRun);
		const total = Number(counts?.total ?? 0);
		const deleted = Number(counts?.deleted ?? 0);
		const text = (value: unknown) => (typeof value === 'string' ? value : null);
		statuses.push({
			sourceKey: String(source.source_key),
			provider: String(source.provider),
			lastRun: lastRun === undefined ? null : runSummary(lastRun),
			lastError:
				errorRun === undefined || messages.length === 0
					? null
					: { runId: Number(errorRun.id), at: text(errorRun.finished_at) ?? text(errorRun.started_at) ?? '', message: messages[messages.length - 1] },
			lastSuccessAt: text(source.last_success_at),
			hasCursor: text(source.committed_cursor) !== null,
			cursorCommittedAt: text(source.committed_at),
			itemsKnown: total - deleted,
			itemsDeleted: deleted,
			itemsInFlight: Number(inFlight?.in_flight ?? 0),
		});
	}
	return statuses;
}

/** Drops a source's items, listed items, owners, cursor, listing snapshots, claims, leases and runs: its next run is a full re-import. */
export async function forgetSource(context: PgContext, sourceKey: string): Promise<ForgetSummary> {
	return transaction(context, async (client) => {
		const [source] = await rows(client, `SELECT source_id, committed_cursor FROM ${context.table('sync_state')} WHERE source_key = $1 FOR UPDATE`, [sourceKey]);
		if (source === undefined) return { sourceKey, items: 0, runs: 0, claims: 0, hadCursor: false };
		const sourceId = Number(source.source_id);
		const deleted = async (table: string) => (await client.query(`DELETE FROM ${context.table(table)} WHERE source_id = $1`, [sourceId])).rowCount ?? 0;
		const claims = await deleted('claims');
		await deleted('leases');
		const items = await deleted('external_items');
		await deleted('listed_items');
		await forgetSnapshots(context, client, sourceId);
		await deleted('source_owners');
		const runs = await deleted('runs');
		await deleted('sync_state');
		return { sourceKey, items, runs, claims, hadCursor: typeof source.committed_cursor === 'string' };
	});
}
