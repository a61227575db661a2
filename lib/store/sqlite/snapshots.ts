/**
 * Listing snapshots as rows (`listing_snapshots`, `listing_entries`, `listing_pending`): a read
 * streams one snapshot's entries and only the owed items asked for, a write copies its base's rows
 * inside the database and applies what changed, so neither side ever holds a source's listing as
 * one value.
 */
import type { Provider } from '../../items';
import { droppedSnapshots, STAGED_STATE } from '../snapshotRetention';
import type { OwedItem, SnapshotEntry, SnapshotWrite } from '../types';
import { registerSource, type SqliteContext, sourceIdOf } from './context';
import type { SqliteDriver } from './driver';
import { integer, text } from './statements';

const TABLES = ['listing_entries', 'listing_pending', 'listing_snapshots'] as const;

export function prepareSnapshotStatements(db: SqliteDriver) {
	const prepare = (sql: string) => db.prepare(sql);
	return {
		selectSnapshot: prepare('SELECT state FROM listing_snapshots WHERE source_id = ? AND snapshot = ?'),
		selectEntries: prepare('SELECT field, entry_key, value FROM listing_entries WHERE source_id = ? AND snapshot = ? ORDER BY field, entry_key'),
		selectPending: prepare('SELECT external_id, item FROM listing_pending WHERE source_id = ? AND snapshot = ? ORDER BY sort_key'),
		selectIds: prepare('SELECT snapshot FROM listing_snapshots WHERE source_id = ? ORDER BY snapshot'),
		insertSnapshot: prepare('INSERT INTO listing_snapshots (source_id, snapshot, state, written_at) VALUES (?, ?, ?, ?)'),
		updateSnapshot: prepare('UPDATE listing_snapshots SET state = ?, written_at = ? WHERE source_id = ? AND snapshot = ?'),
		copyEntries: prepare(`
			INSERT INTO listing_entries (source_id, snapshot, field, entry_key, value)
			SELECT source_id, ?, field, entry_key, value FROM listing_entries WHERE source_id = ? AND snapshot = ?`),
		setEntry: prepare(`
			INSERT INTO listing_entries (source_id, snapshot, field, entry_key, value) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source_id, snapshot, field, entry_key) DO UPDATE SET value = excluded.value`),
		removeEntry: prepare('DELETE FROM listing_entries WHERE source_id = ? AND snapshot = ? AND field = ? AND entry_key = ?'),
		copyPending: prepare(`
			INSERT INTO listing_pending (source_id, snapshot, external_id, sort_key, item)
			SELECT source_id, ?, external_id, sort_key, item FROM listing_pending WHERE source_id = ? AND snapshot = ?`),
		setPending: prepare(`
			INSERT INTO listing_pending (source_id, snapshot, external_id, sort_key, item) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source_id, snapshot, external_id) DO UPDATE SET sort_key = excluded.sort_key, item = excluded.item`),
		removePending: prepare('DELETE FROM listing_pending WHERE source_id = ? AND snapshot = ? AND external_id = ?'),
		dropSnapshot: TABLES.map((table) => prepare(`DELETE FROM ${table} WHERE source_id = ? AND snapshot = ?`)),
	};
}

export type SnapshotStatements = ReturnType<typeof prepareSnapshotStatements>;

/**
 * Streams the snapshot's entries to `reader`. A snapshot is written in one transaction and never
 * changed, only dropped: when its row is still there after the reading, every row was read.
 */
export function readSnapshot(
	context: SqliteContext,
	statements: SnapshotStatements,
	sourceKey: string,
	snapshot: number,
	reader: (entry: SnapshotEntry) => void,
): string | null {
	const sourceId = sourceIdOf(context, sourceKey);
	if (sourceId === null) return null;
	const state = text(statements.selectSnapshot.get(sourceId, snapshot), 'state');
	if (state === null) return null;
	for (const row of statements.selectEntries.iterate(sourceId, snapshot)) {
		reader({ field: String(row.field), key: String(row.entry_key), value: String(row.value) });
	}
	return statements.selectSnapshot.get(sourceId, snapshot) === undefined ? null : state;
}

export function pendingItems(
	context: SqliteContext,
	statements: SnapshotStatements,
	sourceKey: string,
	snapshot: number,
	{ skip, limit }: { skip: { has(id: string): boolean }; limit: number },
): string[] {
	const sourceId = sourceIdOf(context, sourceKey);
	const items: string[] = [];
	if (sourceId === null || limit <= 0) return items;
	// Read lazily and left as soon as enough are found: the rest of the owed items stay in the file.
	for (const row of statements.selectPending.iterate(sourceId, snapshot)) {
		if (skip.has(String(row.external_id))) continue;
		items.push(String(row.item));
		if (items.length >= limit) break;
	}
	return items;
}

export function writeSnapshot(
	context: SqliteContext,
	statements: SnapshotStatements,
	sourceKey: string,
	provider: Provider,
	write: SnapshotWrite,
): boolean {
	const sourceId = registerSource(context, sourceKey, provider);
	const { snapshot, base } = write;
	if (write.staged === true) {
		if (base !== null) throw new RangeError('A staged snapshot starts from nothing: its base must be null');
		if (statements.selectSnapshot.get(sourceId, snapshot) === undefined) return false;
		statements.updateSnapshot.run(write.state, context.nowIso(), sourceId, snapshot);
	} else {
		if (base !== null && (base === snapshot || statements.selectSnapshot.get(sourceId, base) === undefined)) return false;
		for (const statement of statements.dropSnapshot) statement.run(sourceId, snapshot);
		statements.insertSnapshot.run(sourceId, snapshot, write.state, context.nowIso());
	}
	if (base !== null) {
		statements.copyEntries.run(snapshot, sourceId, base);
		statements.copyPending.run(snapshot, sourceId, base);
	}
	for (const entry of write.entries) statements.setEntry.run(sourceId, snapshot, entry.field, entry.key, entry.value);
	for (const entry of write.removed) statements.removeEntry.run(sourceId, snapshot, entry.field, entry.key);
	for (const id of write.settled) statements.removePending.run(sourceId, snapshot, id);
	for (const owed of write.owed) statements.setPending.run(sourceId, snapshot, owed.id, owed.order, owed.item);
	const ids = statements.selectIds.all(sourceId).map((row) => integer(row, 'snapshot') ?? 0);
	for (const id of droppedSnapshots(ids, write)) for (const statement of statements.dropSnapshot) statement.run(sourceId, id);
	return true;
}

/** Owed items and entries of a snapshot not written yet; `begin` starts it afresh, otherwise false when it is gone. */
export function stageOwed(
	context: SqliteContext,
	statements: SnapshotStatements,
	sourceKey: string,
	provider: Provider,
	snapshot: number,
	owed: Iterable<OwedItem>,
	begin: boolean,
	entries: Iterable<SnapshotEntry> = [],
): boolean {
	const sourceId = registerSource(context, sourceKey, provider);
	if (begin) {
		for (const statement of statements.dropSnapshot) statement.run(sourceId, snapshot);
		statements.insertSnapshot.run(sourceId, snapshot, STAGED_STATE, context.nowIso());
	} else if (statements.selectSnapshot.get(sourceId, snapshot) === undefined) return false;
	for (const row of owed) statements.setPending.run(sourceId, snapshot, row.id, row.order, row.item);
	for (const entry of entries) statements.setEntry.run(sourceId, snapshot, entry.field, entry.key, entry.value);
	return true;
}

export function snapshotIds(context: SqliteContext, statements: SnapshotStatements, sourceKey: string): number[] {
	const sourceId = sourceIdOf(context, sourceKey);
	return sourceId === null ? [] : statements.selectIds.all(sourceId).map((row) => integer(row, 'snapshot') ?? 0);
}

/** Drops every snapshot of the source, inside the caller's transaction. */
export function forgetSnapshots(db: SqliteDriver, sourceId: number): void {
	for (const table of TABLES) db.prepare(`DELETE FROM ${table} WHERE source_id = ?`).run(sourceId);
}
