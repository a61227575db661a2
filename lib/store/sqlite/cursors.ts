/** Where each source's next listing starts (`sync_state`, and each run's proposal in `runs`), and its provider state. */
import type { Provider } from '../../items';
import { CacheError } from '../errors';
import type { CursorStore, OwedItem, SnapshotEntry, SnapshotWrite } from '../types';
import { registerSource, type SqliteContext } from './context';
import { requireRun } from './runs';
import { settleRuns } from './settlement';
import { pendingItems, prepareSnapshotStatements, readSnapshot, snapshotIds, type SnapshotStatements, stageOwed, writeSnapshot } from './snapshots';
import { text } from './statements';

export class SqliteCursorStore implements CursorStore {
	private readonly snapshots: SnapshotStatements;

	constructor(private readonly context: SqliteContext) {
		this.snapshots = prepareSnapshotStatements(context.db);
	}

	async committed(sourceKey: string): Promise<string | null> {
		return text(this.context.statements.selectSource.get(sourceKey), 'committed_cursor');
	}

	/**
	 * Proposes where the source's next listing should start once this run's work is settled.
	 * `listedItems` is how many items the run emitted for check (0 settles at once): the cursor waits
	 * until that many have been checked, so a workflow that checks in several batches cannot move
	 * it past items it has not seen yet.
	 */
	async propose(runId: number, sourceKey: string, cursor: string, options: { listedItems: number }): Promise<void> {
		const { db, statements, path } = this.context;
		await db.transactionAsync(() => {
			const run = requireRun(this.context, runId);
			if (text(run, 'source_key') !== sourceKey) {
				throw new CacheError(
					'unknown_run',
					`Run ${runId} belongs to source ${String(text(run, 'source_key'))}, not ${sourceKey} — propose the ` +
						'cursor with the run started for that source.',
					{ path },
				);
			}
			statements.proposeCursor.run(cursor, this.context.nowIso(), Math.max(0, Math.trunc(options.listedItems)), runId);
			settleRuns(this.context, [runId], new Set());
		});
	}

	async readSnapshot(sourceKey: string, snapshot: number, reader: (entry: SnapshotEntry) => void): Promise<string | null> {
		return readSnapshot(this.context, this.snapshots, sourceKey, snapshot, reader);
	}

	async pendingItems(sourceKey: string, snapshot: number, options: { skip: { has(id: string): boolean }; limit: number }): Promise<string[]> {
		return pendingItems(this.context, this.snapshots, sourceKey, snapshot, options);
	}

	/** One write transaction, so two runs of the source never interleave their writes. */
	async writeSnapshot(sourceKey: string, provider: Provider, write: SnapshotWrite): Promise<boolean> {
		return await this.context.db.transactionAsync(() => writeSnapshot(this.context, this.snapshots, sourceKey, provider, write));
	}

	/** A transaction of its own, short: a first listing stages its owed items a batch at a time. */
	async stageOwed(sourceKey: string, provider: Provider, snapshot: number, owed: Iterable<OwedItem>, options: { begin: boolean; entries?: Iterable<SnapshotEntry> }): Promise<boolean> {
		return await this.context.db.transactionAsync(() => stageOwed(this.context, this.snapshots, sourceKey, provider, snapshot, owed, options.begin, options.entries));
	}

	async snapshotIds(sourceKey: string): Promise<number[]> {
		return snapshotIds(this.context, this.snapshots, sourceKey);
	}

	async providerState(sourceKey: string): Promise<string | null> {
		return text(this.context.statements.selectSource.get(sourceKey), 'provider_state');
	}

	/** Room for what a provider keeps per source beside its cursor (e.g. its listing snapshots), read and written in one transaction. */
	async updateProviderState(
		sourceKey: string,
		provider: Provider,
		update: (current: string | null) => string | null,
	): Promise<void> {
		const { db, statements } = this.context;
		await db.transactionAsync(() => {
			const sourceId = registerSource(this.context, sourceKey, provider);
			const current = text(statements.selectSourceById.get(sourceId), 'provider_state');
			statements.setProviderState.run(update(current), sourceId);
		});
	}
}
