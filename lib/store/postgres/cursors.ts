/** Where each source's next listing starts (`sync_state`, and each run's proposal in `runs`), and its provider state. */
import type { Provider } from '../../items';
import { CacheError } from '../errors';
import type { CursorStore, OwedItem, SnapshotEntry, SnapshotWrite } from '../types';
import { type PgContext, query, registerSource, rows, transaction } from './context';
import { selectRunSql, unknownRunError } from './runs';
import { settleRuns } from './settlement';
import { pendingItems, readSnapshot, snapshotIds, stageOwed, writeSnapshot } from './snapshots';

export class PgCursorStore implements CursorStore {
	constructor(private readonly context: PgContext) {}

	async committed(sourceKey: string): Promise<string | null> {
		const [row] = await query(this.context, `SELECT committed_cursor FROM ${this.context.table('sync_state')} WHERE source_key = $1`, [sourceKey]);
		return typeof row?.committed_cursor === 'string' ? row.committed_cursor : null;
	}

	/** As the SQLite store: the cursor waits until the run has checked `listedItems` items and settled. */
	async propose(runId: number, sourceKey: string, cursor: string, options: { listedItems: number }): Promise<void> {
		const { context } = this;
		await transaction(context, async (client) => {
			const [run] = await rows(client, `${selectRunSql(context)} WHERE runs.id = $1`, [runId]);
			if (run === undefined) throw unknownRunError(context, runId);
			if (run.source_key !== sourceKey) {
				throw new CacheError(
					'unknown_run',
					`Run ${runId} belongs to source ${String(run.source_key)}, not ${sourceKey} — propose the cursor with the run started for that source.`,
					{ path: context.location },
				);
			}
			await client.query(
				`UPDATE ${context.table('runs')} SET proposed_cursor = $1, proposed_at = $2, listed_items = $3, cursor_committed_at = NULL WHERE id = $4`,
				[cursor, context.nowIso(), Math.max(0, Math.trunc(options.listedItems)), runId],
			);
			await settleRuns(context, client, [runId], new Set());
		});
	}

	async readSnapshot(sourceKey: string, snapshot: number, reader: (entry: SnapshotEntry) => void): Promise<string | null> {
		return await readSnapshot(this.context, sourceKey, snapshot, reader);
	}

	async pendingItems(sourceKey: string, snapshot: number, options: { skip: { has(id: string): boolean }; limit: number }): Promise<string[]> {
		return await pendingItems(this.context, sourceKey, snapshot, options);
	}

	async writeSnapshot(sourceKey: string, provider: Provider, write: SnapshotWrite): Promise<boolean> {
		return await transaction(this.context, async (client) => await writeSnapshot(this.context, client, sourceKey, provider, write));
	}

	async stageOwed(sourceKey: string, provider: Provider, snapshot: number, owed: Iterable<OwedItem>, options: { begin: boolean; entries?: Iterable<SnapshotEntry> }): Promise<boolean> {
		return await transaction(this.context, async (client) => await stageOwed(this.context, client, sourceKey, provider, snapshot, owed, options.begin, options.entries));
	}

	async snapshotIds(sourceKey: string): Promise<number[]> {
		return await snapshotIds(this.context, sourceKey);
	}

	async providerState(sourceKey: string): Promise<string | null> {
		const [row] = await query(this.context, `SELECT provider_state FROM ${this.context.table('sync_state')} WHERE source_key = $1`, [sourceKey]);
		return typeof row?.provider_state === 'string' ? row.provider_state : null;
	}

	/** Read and written under the source row's lock, so two workers' runs of the source never interleave. */
	async updateProviderState(sourceKey: string, provider: Provider, update: (current: string | null) => string | null): Promise<void> {
		const { context } = this;
		await transaction(context, async (client) => {
			const sourceId = await registerSource(context, client, sourceKey, provider);
			const [row] = await rows(client, `SELECT provider_state FROM ${context.table('sync_state')} WHERE source_id = $1 FOR UPDATE`, [sourceId]);
			const current = typeof row?.provider_state === 'string' ? row.provider_state : null;
			await client.query(`UPDATE ${context.table('sync_state')} SET provider_state = $1 WHERE source_id = $2`, [update(current), sourceId]);
		});
	}
}
