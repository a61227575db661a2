import type { PreparedStatement, SqlRow, SqliteDriver } from './driver';

/** Every statement the engine runs, prepared once per connection; all parameters are positional. */
export function prepareStatements(db: SqliteDriver) {
	const prepare = (sql: string): PreparedStatement => db.prepare(sql);
	return {
		// Sources
		ensureSource: prepare(
			'INSERT INTO sync_state (source_key, provider, created_at) VALUES (?, ?, ?) ON CONFLICT (source_key) DO NOTHING',
		),
		selectSource: prepare('SELECT * FROM sync_state WHERE source_key = ?'),
		selectSourceById: prepare('SELECT * FROM sync_state WHERE source_id = ?'),
		selectSources: prepare('SELECT * FROM sync_state ORDER BY source_key'),
		commitCursor: prepare(
			'UPDATE sync_state SET committed_cursor = ?, committed_at = ?, committed_run_id = ? WHERE source_id = ?',
		),
		recordSuccess: prepare('UPDATE sync_state SET last_success_at = ? WHERE source_id = ?'),
		setProviderState: prepare('UPDATE sync_state SET provider_state = ? WHERE source_id = ?'),

		// Items
		selectItem: prepare(
			'SELECT version, hash, modified_at, content_hash, deleted, name, path, permissions FROM external_items WHERE source_id = ? AND external_id = ?',
		),
		upsertItem: prepare(`
			INSERT INTO external_items (source_id, external_id, name, path, mime, size, modified_at, version, hash,
				content_hash, permissions, last_ingested_at, committed_run_id, deleted, deleted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)
			ON CONFLICT (source_id, external_id) DO UPDATE SET
				name = excluded.name, path = excluded.path, mime = excluded.mime, size = excluded.size,
				modified_at = excluded.modified_at, version = excluded.version, hash = excluded.hash,
				content_hash = excluded.content_hash, permissions = excluded.permissions, last_ingested_at = excluded.last_ingested_at,
				committed_run_id = excluded.committed_run_id, deleted = 0, deleted_at = NULL
			WHERE external_items.committed_run_id IS NULL OR excluded.committed_run_id >= external_items.committed_run_id`),
		upsertDeletion: prepare(`
			INSERT INTO external_items (source_id, external_id, name, path, mime, size, modified_at, version, hash,
				content_hash, permissions, last_ingested_at, committed_run_id, deleted, deleted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
			ON CONFLICT (source_id, external_id) DO UPDATE SET
				last_ingested_at = excluded.last_ingested_at, committed_run_id = excluded.committed_run_id, deleted = 1,
				deleted_at = COALESCE(external_items.deleted_at, excluded.deleted_at)
			WHERE external_items.committed_run_id IS NULL OR excluded.committed_run_id >= external_items.committed_run_id`),
		countItems: prepare(
			'SELECT COUNT(*) AS total, COALESCE(SUM(deleted), 0) AS deleted FROM external_items WHERE source_id = ?',
		),

		// Claims
		selectClaimHolders: prepare(`
			SELECT claims.run_id, claims.fingerprint, claims.emitted, claims.expires_at, runs.status
			FROM claims JOIN runs ON runs.id = claims.run_id
			WHERE claims.source_id = ? AND claims.external_id = ?`),
		selectItemClaims: prepare('SELECT run_id, fingerprint FROM claims WHERE source_id = ? AND external_id = ?'),
		upsertClaim: prepare(`
			INSERT INTO claims (source_id, external_id, run_id, fingerprint, emitted, expires_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (source_id, external_id, run_id) DO UPDATE SET
				fingerprint = excluded.fingerprint, emitted = excluded.emitted, expires_at = excluded.expires_at`),
		deleteItemClaims: prepare('DELETE FROM claims WHERE source_id = ? AND external_id = ?'),
		deleteClaim: prepare('DELETE FROM claims WHERE source_id = ? AND external_id = ? AND run_id = ?'),
		countInFlight: prepare(`
			SELECT COUNT(*) AS in_flight FROM claims JOIN runs ON runs.id = claims.run_id
			WHERE claims.source_id = ? AND claims.emitted = 1 AND claims.expires_at > ? AND runs.status = 'running'`),

		// Runs
		insertRun: prepare(`
			INSERT INTO runs (source_id, provider, execution_id, implicit, started_at, status, policy)
			VALUES (?, ?, ?, ?, ?, 'running', ?)`),
		selectRun: prepare(
			'SELECT runs.*, sync_state.source_key FROM runs JOIN sync_state USING (source_id) WHERE runs.id = ?',
		),
		selectRunSource: prepare('SELECT source_id FROM runs WHERE id = ?'),
		selectRunOfExecution: prepare(
			'SELECT id FROM runs WHERE execution_id = ? AND source_id = ? ORDER BY id DESC LIMIT 1',
		),
		selectLastRun: prepare(`
			SELECT runs.*, sync_state.source_key FROM runs JOIN sync_state USING (source_id)
			WHERE runs.source_id = ? ORDER BY runs.id DESC LIMIT 1`),
		selectLastError: prepare(`
			SELECT id, started_at, finished_at, error_samples FROM runs
			WHERE source_id = ? AND error_samples != '[]' ORDER BY id DESC LIMIT 1`),
		pruneRuns: prepare(`
			DELETE FROM runs WHERE source_id = ? AND id <= (
				SELECT id FROM runs WHERE source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`),
		addRunCounts: prepare(`
			UPDATE runs SET count_processed = count_processed + ?, count_new = count_new + ?,
				count_changed = count_changed + ?, count_unchanged = count_unchanged + ?, count_deleted = count_deleted + ?,
				count_skipped = count_skipped + ?, count_failed = count_failed + ?, count_committed = count_committed + ?
			WHERE id = ?`),
		reopenRun: prepare("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ? AND status != 'running'"),
		holdCursor: prepare('UPDATE runs SET cursor_held = 1 WHERE id = ?'),
		updateRunReport: prepare('UPDATE runs SET skipped_by_reason = ?, error_samples = ? WHERE id = ?'),
		updateRunNotes: prepare('UPDATE runs SET noted_by_reason = ? WHERE id = ?'),
		finishRun: prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?'),
		proposeCursor: prepare(
			'UPDATE runs SET proposed_cursor = ?, proposed_at = ?, listed_items = ?, cursor_committed_at = NULL WHERE id = ?',
		),
		selectSettlement: prepare(`
			SELECT source_id, status, implicit, proposed_cursor, listed_items, count_processed, cursor_held,
				cursor_committed_at, EXISTS (SELECT 1 FROM claims WHERE claims.run_id = runs.id) AS outstanding
			FROM runs WHERE id = ?`),
		markCursorCommitted: prepare('UPDATE runs SET cursor_committed_at = ? WHERE id = ?'),

		// Run slots (ORG_CONNECTORS_MAX_CONCURRENT_RUNS)
		selectRunSlots: prepare('SELECT * FROM run_slots WHERE provider = ? ORDER BY acquired_at, execution_id'),
		selectRunSlot: prepare('SELECT * FROM run_slots WHERE provider = ? AND execution_id = ?'),
		selectOpenRunOfExecution: prepare(
			"SELECT 1 AS open FROM runs WHERE execution_id = ? AND provider = ? AND status = 'running' LIMIT 1",
		),
		takeRunSlot: prepare(`
			INSERT INTO run_slots (provider, execution_id, host, pid, holders, acquired_at, expires_at)
			VALUES (?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (provider, execution_id) DO UPDATE SET
				host = excluded.host, pid = excluded.pid, holders = run_slots.holders + 1, expires_at = excluded.expires_at`),
		renewRunSlot: prepare('UPDATE run_slots SET expires_at = ? WHERE provider = ? AND execution_id = ? AND holders > 0'),
		releaseRunSlot: prepare(`
			UPDATE run_slots SET holders = MAX(holders - 1, 0),
				expires_at = CASE WHEN holders <= 1 THEN ? ELSE expires_at END
			WHERE provider = ? AND execution_id = ?`),
		deleteRunSlot: prepare('DELETE FROM run_slots WHERE provider = ? AND execution_id = ?'),

		// Listed items
		upsertListed: prepare(`
			INSERT INTO listed_items (source_id, external_id, name, path, mime, size, version, listed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source_id, external_id) DO UPDATE SET
				name = excluded.name, path = excluded.path, mime = excluded.mime, size = excluded.size,
				version = excluded.version, listed_at = excluded.listed_at`),
		deleteListed: prepare('DELETE FROM listed_items WHERE source_id = ? AND external_id = ?'),
		selectListed: prepare(`
			SELECT listed_items.* FROM listed_items JOIN sync_state USING (source_id)
			WHERE sync_state.source_key = ? AND sync_state.provider = ? AND listed_items.external_id = ?`),

		// Forget
		forgetListed: prepare('DELETE FROM listed_items WHERE source_id = ?'),
		forgetOwners: prepare('DELETE FROM source_owners WHERE source_id = ?'),
		forgetClaims: prepare('DELETE FROM claims WHERE source_id = ?'),
		forgetItems: prepare('DELETE FROM external_items WHERE source_id = ?'),
		forgetRuns: prepare('DELETE FROM runs WHERE source_id = ?'),
		forgetSource: prepare('DELETE FROM sync_state WHERE source_id = ?'),
	};
}

export type Statements = ReturnType<typeof prepareStatements>;

export function text(row: SqlRow | undefined, column: string): string | null {
	const value = row?.[column];
	return typeof value === 'string' ? value : null;
}

export function integer(row: SqlRow | undefined, column: string): number | null {
	const value = row?.[column];
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	return null;
}
