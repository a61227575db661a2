/**
 * Listing snapshots as rows, as the SQLite store keeps them (lib/store/sqlite/snapshots.ts): read
 * in keyset pages (owed items only as far as asked), written in one transaction under the source row's lock, the base's entries
 * copied inside the database and what changed sent in batches.
 */
import type { Provider } from '../../items';
import { droppedSnapshots, STAGED_STATE } from '../snapshotRetention';
import type { OwedItem, SnapshotEntry, SnapshotWrite } from '../types';
import type { Client } from './connection';
import { type PgContext, query, registerSource, rows } from './context';

/** Rows a read asks for at a time. */
const READ_PAGE = 5000;

async function sourceIdOf(context: PgContext, sourceKey: string): Promise<number | null> {
	const [row] = await query(context, `SELECT source_id FROM ${context.table('sync_state')} WHERE source_key = $1`, [sourceKey]);
	return row === undefined ? null : Number(row.source_id);
}

async function stateOf(context: PgContext, sourceId: number, snapshot: number): Promise<string | null> {
	const [row] = await query(context, `SELECT state FROM ${context.table('listing_snapshots')} WHERE source_id = $1 AND snapshot = $2`, [sourceId, snapshot]);
	return typeof row?.state === 'string' ? row.state : null;
}

/** A snapshot is written once and never changed, only dropped: still there after the reading, every row was read. */
export async function readSnapshot(context: PgContext, sourceKey: string, snapshot: number, reader: (entry: SnapshotEntry) => void): Promise<string | null> {
	const sourceId = await sourceIdOf(context, sourceKey);
	if (sourceId === null) return null;
	const state = await stateOf(context, sourceId, snapshot);
	if (state === null) return null;
	const entries = context.table('listing_entries');
	for (let after: [string, string] | null = null; ; ) {
		const page = await query(
			context,
			`SELECT field, entry_key, value FROM ${entries} WHERE source_id = $1 AND snapshot = $2
			 AND ($3::text IS NULL OR (field, entry_key) > ($3::text, $4::text)) ORDER BY field, entry_key LIMIT ${READ_PAGE}`,
			[sourceId, snapshot, after?.[0] ?? null, after?.[1] ?? null],
		);
		for (const row of page) reader({ field: String(row.field), key: String(row.entry_key), value: String(row.value) });
		if (page.length < READ_PAGE) break;
		const last = page[page.length - 1];
		after = [String(last.field), String(last.entry_key)];
	}
	return (await stateOf(context, sourceId, snapshot)) === null ? null : state;
}

/** The first `limit` owed items not in `skip`, in order, read a page at a time until enough are found. */
export async function pendingItems(
	context: PgContext,
	sourceKey: string,
	snapshot: number,
	{ skip, limit }: { skip: { has(id: string): boolean }; limit: number },
): Promise<string[]> {
	const sourceId = await sourceIdOf(context, sourceKey);
	const items: string[] = [];
	if (sourceId === null || limit <= 0) return items;
	const pageSize = Math.min(READ_PAGE, Math.max(100, limit + 1));
	for (let after: [Buffer, string] | null = null; ; ) {
		const page = await query(
			context,
			`SELECT external_id, sort_key, item FROM ${context.table('listing_pending')} WHERE source_id = $1 AND snapshot = $2
			 AND ($3::bytea IS NULL OR (sort_key, external_id) > ($3::bytea, $4::text)) ORDER BY sort_key, external_id LIMIT ${pageSize}`,
			[sourceId, snapshot, after?.[0] ?? null, after?.[1] ?? null],
		);
		for (const row of page) {
			if (skip.has(String(row.external_id))) continue;
			items.push(String(row.item));
			if (items.length >= limit) return items;
		}
		if (page.length < pageSize) return items;
		const last = page[page.length - 1];
		after = [last.sort_key as Buffer, String(last.external_id)];
	}
}

export async function writeSnapshot(context: PgContext, client: Client, sourceKey: string, provider: Provider, write: SnapshotWrite): Promise<boolean> {
	const table = (name: string) => context.table(name);
	const sourceId = await registerSource(context, client, sourceKey, provider);
	// Under the source row's lock: two workers' runs of the source never interleave their writes.
	await client.query(`SELECT 1 FROM ${table('sync_state')} WHERE source_id = $1 FOR UPDATE`, [sourceId]);
	const { snapshot, base } = write;
	if (write.staged === true) {
		if (base !== null) throw new RangeError('A staged snapshot starts from nothing: its base must be null');
		const updated = await client.query(`UPDATE ${table('listing_snapshots')} SET state = $3, written_at = $4 WHERE source_id = $1 AND snapshot = $2`, [
			sourceId,
			snapshot,
			write.state,
			context.nowIso(),
		]);
		if (updated.rowCount === 0) return false;
	} else {
		if (base !== null) {
			const found = await rows(client, `SELECT 1 FROM ${table('listing_snapshots')} WHERE source_id = $1 AND snapshot = $2`, [sourceId, base]);
			if (base === snapshot || found.length === 0) return false;
		}
		await dropSnapshots(context, client, sourceId, [snapshot]);
		await insertSnapshotRow(context, client, sourceId, snapshot, write.state);
	}
	if (base !== null) {
		await client.query(
			`INSERT INTO ${table('listing_entries')} (source_id, snapshot, field, entry_key, value)
			 SELECT source_id, $3, field, entry_key, value FROM ${table('listing_entries')} WHERE source_id = $1 AND snapshot = $2`,
			[sourceId, base, snapshot],
		);
	}
	await setEntries(context, client, sourceId, snapshot, write.entries);
	for (const batch of batches(write.removed, context.batchSize)) {
		await client.query(
			`DELETE FROM ${table('listing_entries')} WHERE source_id = $1 AND snapshot = $2
			 AND (field, entry_key) IN (SELECT f, k FROM UNNEST($3::text[], $4::text[]) AS u(f, k))`,
			[sourceId, snapshot, ...columns(batch, ['field', 'key'])],
		);
	}
	if (base !== null) {
		await client.query(
			`INSERT INTO ${table('listing_pending')} (source_id, snapshot, external_id, sort_key, item)
			 SELECT source_id, $3, external_id, sort_key, item FROM ${table('listing_pending')} WHERE source_id = $1 AND snapshot = $2`,
			[sourceId, base, snapshot],
		);
	}
	for (const batch of batches(write.settled, context.batchSize)) {
		await client.query(`DELETE FROM ${table('listing_pending')} WHERE source_id = $1 AND snapshot = $2 AND external_id = ANY($3::text[])`, [
			sourceId,
			snapshot,
			batch,
		]);
	}
	await setOwed(context, client, sourceId, snapshot, write.owed);
	const ids = await rows(client, `SELECT snapshot FROM ${table('listing_snapshots')} WHERE source_id = $1`, [sourceId]);
	await dropSnapshots(context, client, sourceId, droppedSnapshots(ids.map((row) => Number(row.snapshot)), write));
	return true;
}

/** Owed items and entries of a snapshot not written yet, under the source row's lock; `begin` starts it afresh, otherwise false when it is gone. */
export async function stageOwed(
	context: PgContext,
	client: Client,
	sourceKey: string,
	provider: Provider,
	snapshot: number,
	owed: Iterable<OwedItem>,
	begin: boolean,
	entries: Iterable<SnapshotEntry> = [],
): Promise<boolean> {
	const sourceId = await registerSource(context, client, sourceKey, provider);
	await client.query(`SELECT 1 FROM ${context.table('sync_state')} WHERE source_id = $1 FOR UPDATE`, [sourceId]);
	if (begin) {
		await dropSnapshots(context, client, sourceId, [snapshot]);
		await insertSnapshotRow(context, client, sourceId, snapshot, STAGED_STATE);
	} else {
		const found = await rows(client, `SELECT 1 FROM ${context.table('listing_snapshots')} WHERE source_id = $1 AND snapshot = $2`, [sourceId, snapshot]);
		if (found.length === 0) return false;
	}
	await setOwed(context, client, sourceId, snapshot, owed);
	await setEntries(context, client, sourceId, snapshot, entries);
	return true;
}

async function setEntries(context: PgContext, client: Client, sourceId: number, snapshot: number, entries: Iterable<SnapshotEntry>): Promise<void> {
	for (const batch of batches(entries, context.batchSize)) {
		// The last word on a key within one batch wins, as it would one row at a time.
		const latest = [...new Map(batch.map((entry) => [`${entry.field}\u0000${entry.key}`, entry])).values()];
		await client.query(
			`INSERT INTO ${context.table('listing_entries')} (source_id, snapshot, field, entry_key, value)
			 SELECT $1, $2, f, k, v FROM UNNEST($3::text[], $4::text[], $5::text[]) AS u(f, k, v)
			 ON CONFLICT (source_id, snapshot, field, entry_key) DO UPDATE SET value = excluded.value`,
			[sourceId, snapshot, ...columns(latest, ['field', 'key', 'value'])],
		);
	}
}

async function insertSnapshotRow(context: PgContext, client: Client, sourceId: number, snapshot: number, state: string): Promise<void> {
	await client.query(`INSERT INTO ${context.table('listing_snapshots')} (source_id, snapshot, state, written_at) VALUES ($1, $2, $3, $4)`, [
		sourceId,
		snapshot,
		state,
		context.nowIso(),
	]);
}

async function setOwed(context: PgContext, client: Client, sourceId: number, snapshot: number, owed: Iterable<OwedItem>): Promise<void> {
	for (const batch of batches(owed, context.batchSize)) {
		// The last word on an id within one batch wins, as it would one row at a time.
		const latest = [...new Map(batch.map((row) => [row.id, row])).values()];
		await client.query(
			`INSERT INTO ${context.table('listing_pending')} (source_id, snapshot, external_id, sort_key, item)
			 SELECT $1, $2, e, k, i FROM UNNEST($3::text[], $4::bytea[], $5::text[]) AS u(e, k, i)
			 ON CONFLICT (source_id, snapshot, external_id) DO UPDATE SET sort_key = excluded.sort_key, item = excluded.item`,
			[sourceId, snapshot, latest.map((row) => row.id), latest.map((row) => Buffer.from(row.order)), latest.map((row) => row.item)],
		);
	}
}

export async function snapshotIds(context: PgContext, sourceKey: string): Promise<number[]> {
	const found = await query(
		context,
		`SELECT snapshot FROM ${context.table('listing_snapshots')} JOIN ${context.table('sync_state')} USING (source_id)
		 WHERE source_key = $1 ORDER BY snapshot`,
		[sourceKey],
	);
	return found.map((row) => Number(row.snapshot));
}

/** Drops every snapshot of the source, inside the caller's transaction. */
export async function forgetSnapshots(context: PgContext, client: Client, sourceId: number): Promise<void> {
	for (const name of ['listing_entries', 'listing_pending', 'listing_snapshots']) {
		await client.query(`DELETE FROM ${context.table(name)} WHERE source_id = $1`, [sourceId]);
	}
}

async function dropSnapshots(context: PgContext, client: Client, sourceId: number, snapshots: readonly number[]): Promise<void> {
	if (snapshots.length === 0) return;
	for (const name of ['listing_entries', 'listing_pending', 'listing_snapshots']) {
		await client.query(`DELETE FROM ${context.table(name)} WHERE source_id = $1 AND snapshot = ANY($2::bigint[])`, [sourceId, snapshots]);
	}
}

function* batches<T>(values: Iterable<T>, size: number): Generator<T[]> {
	let batch: T[] = [];
	for (const value of values) {
		batch.push(value);
		if (batch.length >= size) {
			yield batch;
			batch = [];
		}
	}
	if (batch.length > 0) yield batch;
}

function columns<T extends object>(batch: readonly T[], keys: readonly (keyof T)[]): string[][] {
	return keys.map((key) => batch.map((value) => String(value[key])));
}
