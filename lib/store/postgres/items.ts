/**
 * The `external_items` ledger, the per-run `claims` and the per-version `leases` on PostgreSQL:
 * check, commit and release, each in transactions of at most `batchSize` items whose statements
 * take the whole batch as arrays (UNNEST), so a batch of 5,000 items is about ten round trips.
 */
import type { ConnectorItem } from '../../items';
import { type CachedFingerprint, claimFingerprint, detectChange, permissionsKey, presentText } from '../changeDetection';
import { checkedResult } from '../checkedResult';
import { itemRunId, optionalSize, optionalText, requireText } from '../itemFields';
import { emptyCounts } from '../sqlite/runs';
import type {
	CheckedItem,
	CheckOptions,
	CommitSummary,
	ItemLedger,
	NoteOptions,
	ReleaseOptions,
	ReleaseSummary,
	RunCounts,
	RunScope,
} from '../types';
import type { Client } from './connection';
import { nowMs, type PgContext, registerSources, rows, transaction } from './context';
import { addRunNotes, addRunReport, flushCounts, WORKER } from './runs';
import { settleRuns } from './settlement';

interface Located {
	position: number;
	item: ConnectorItem;
	sourceId: number;
	externalId: string;
	runId: number;
}

interface ClaimRow {
	runId: number;
	version: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
	return result;
}

const itemKey = (sourceId: number, externalId: string) => `${sourceId}\u0000${externalId}`;
const versionKey = (sourceId: number, externalId: string, version: string) => `${sourceId}\u0000${externalId}\u0000${version}`;

/** Sorted by (source, item) so that concurrent batches lock rows in one order and do not deadlock. */
function byKey(left: Located, right: Located): number {
	if (left.sourceId !== right.sourceId) return left.sourceId - right.sourceId;
	return left.externalId < right.externalId ? -1 : left.externalId > right.externalId ? 1 : left.position - right.position;
}

/** Source and run references for one check/commit/release call, and per-run counters for its current batch. */
class CallScope {
	counts = new Map<number, RunCounts>();
	touchedRuns = new Set<number>();
	private sources = new Map<string, number>();
	private runs = new Map<number, number | null>();
	private implicitRuns = new Map<number, number>();
	private saved: [Map<string, number>, Map<number, number | null>, Map<number, number>] = [new Map(), new Map(), new Map()];

	constructor(
		private readonly context: PgContext,
		private readonly scope: RunScope,
	) {}

	/** A batch is one transaction, run again on a deadlock: what it learnt is dropped with it. */
	startBatch(): void {
		this.counts = new Map();
		this.touchedRuns = new Set();
		this.sources = new Map(this.saved[0]);
		this.runs = new Map(this.saved[1]);
		this.implicitRuns = new Map(this.saved[2]);
	}

	/** The batch committed: what it learnt holds for the next batches of the call. */
	keepBatch(): void {
		this.saved = [new Map(this.sources), new Map(this.runs), new Map(this.implicitRuns)];
	}

	count(runId: number, name: keyof RunCounts, amount = 1): void {
		let counts = this.counts.get(runId);
		if (counts === undefined) {
			counts = emptyCounts();
			this.counts.set(runId, counts);
		}
		counts[name] += amount;
	}

	/** Validates the batch and finds each item's source and run, in a few statements for the whole batch. */
	async locate(client: Client, batch: readonly ConnectorItem[], offset: number): Promise<Located[]> {
		const validated = batch.map((item, position) => ({
			item,
			position,
			externalId: requireText(item, offset + position, 'external_id'),
			provider: requireText(item, offset + position, 'provider'),
			sourceKey: requireText(item, offset + position, 'source_key'),
		}));
		const unknownSources = new Map<string, string>();
		for (const entry of validated) if (!this.sources.has(entry.sourceKey)) unknownSources.set(entry.sourceKey, entry.provider);
		if (unknownSources.size > 0) {
			for (const [key, id] of await registerSources(this.context, client, [...unknownSources])) this.sources.set(key, id);
		}
		const candidates = new Set<number>();
		for (const entry of validated) {
			const runId = itemRunId(entry.item);
			if (runId !== null && !this.runs.has(runId)) candidates.add(runId);
		}
		if (this.scope.runId !== undefined && !this.runs.has(this.scope.runId)) candidates.add(this.scope.runId);
		if (candidates.size > 0) {
			const found = await rows(client, `SELECT id, source_id FROM ${this.context.table('runs')} WHERE id = ANY($1::bigint[])`, [[...candidates]]);
			for (const id of candidates) this.runs.set(id, null);
			for (const row of found) this.runs.set(Number(row.id), Number(row.source_id));
		}
		const located: Located[] = [];
		for (const entry of validated) {
			const sourceId = this.sources.get(entry.sourceKey) ?? 0;
			const runId = this.ownRun(entry.item, sourceId) ?? (await this.implicitRun(client, sourceId, entry.provider));
			located.push({ position: entry.position, item: entry.item, sourceId, externalId: entry.externalId, runId });
		}
		return located.sort(byKey);
	}

	/** The item's own run when it names a run of its source; else the scope's run. */
	private ownRun(item: ConnectorItem, sourceId: number): number | null {
		for (const candidate of [itemRunId(item), this.scope.runId ?? null]) {
			if (candidate !== null && this.runs.get(candidate) === sourceId) return candidate;
		}
		return null;
	}

	private async implicitRun(client: Client, sourceId: number, provider: string): Promise<number> {
		let runId = this.implicitRuns.get(sourceId);
		if (runId === undefined) {
			const executionId = this.scope.executionId ?? null;
			const table = this.context.table('runs');
			const [existing] =
				executionId === null
					? []
					: await rows(client, `SELECT id FROM ${table} WHERE execution_id = $1 AND source_id = $2 ORDER BY id DESC LIMIT 1`, [executionId, sourceId]);
			if (existing !== undefined) runId = Number(existing.id);
			else {
				const [created] = await rows(
					client,
					`INSERT INTO ${table} (source_id, provider, execution_id, implicit, started_at, status, worker) VALUES ($1, $2, $3, 1, $4, 'running', $5) RETURNING id`,
					[sourceId, provider, executionId, this.context.nowIso(), WORKER],
				);
				runId = Number(created.id);
			}
			this.implicitRuns.set(sourceId, runId);
		}
		return runId;
	}
}

export class PgItemLedger implements ItemLedger {
	constructor(private readonly context: PgContext) {}

	/**
	 * As the SQLite store: new, changed, unchanged or deleted against the last ingested version, and
	 * a claim for the versions routed to New/Changed/Deleted. The claim is one upsert on `leases`
	 * that takes a version only when nobody holds it, its holder is this run, or its lease expired —
	 * by the database's clock — so two workers can never both emit it.
	 */
	async check<T extends ConnectorItem>(items: readonly T[], options: CheckOptions = {}): Promise<CheckedItem<T>[]> {
		const leaseMs = options.leaseMs ?? this.context.leaseMs;
		const results: CheckedItem<T>[] = [];
		const scope = new CallScope(this.context, options);
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			const checked = await transaction(this.context, async (client) => {
				scope.startBatch();
				return this.checkBatch(client, batch, offset, scope, leaseMs);
			});
			scope.keepBatch();
			results.push(...checked);
			offset += batch.length;
		}
		return results;
	}

	private async checkBatch<T extends ConnectorItem>(
		client: Client,
		batch: readonly T[],
		offset: number,
		scope: CallScope,
		leaseMs: number,
	): Promise<CheckedItem<T>[]> {
		const { context } = this;
		const located = await scope.locate(client, batch, offset);
		const cached = await this.cachedFingerprints(client, located);
		const checked = new Array<CheckedItem<T>>(batch.length);
		const wanted: (Located & { version: string })[] = [];
		for (const entry of located) {
			const item = entry.item as T;
			scope.count(entry.runId, 'processed');
			const known = cached.get(itemKey(entry.sourceId, entry.externalId));
			const decision = detectChange(item, known);
			if (decision.change === 'unchanged') {
				scope.count(entry.runId, 'unchanged');
				checked[entry.position] = { item, runId: entry.runId, change: decision.change, reason: decision.reason };
				continue;
			}
			wanted.push({ ...entry, version: claimFingerprint(item) });
			scope.count(entry.runId, decision.change);
			checked[entry.position] = checkedResult(item, entry.runId, decision, known);
		}
		if (wanted.length === 0) {
			await flushCounts(context, client, scope.counts);
			await settleRuns(context, client, scope.counts.keys(), new Set());
			return checked;
		}

		// One lease per version: the first of the batch's items asking for it stands for the batch.
		const asks = new Map<string, (typeof wanted)[number]>();
		for (const entry of wanted) {
			const key = versionKey(entry.sourceId, entry.externalId, entry.version);
			if (!asks.has(key)) asks.set(key, entry);
		}
		const askList = [...asks.values()];
		const clock = context.clockParam();
		const won = await rows(
			client,
			`INSERT INTO ${context.table('leases')} AS leases (source_id, external_id, fingerprint, run_id, expires_at)
			 SELECT s, e, f, r, ${nowMs('$5')} + $6::bigint FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS a(s, e, f, r)
			 ON CONFLICT (source_id, external_id, fingerprint) DO UPDATE SET run_id = excluded.run_id, expires_at = excluded.expires_at
			 WHERE leases.committed = 0 AND (leases.run_id = excluded.run_id OR leases.expires_at <= ${nowMs('$5')})
			 RETURNING source_id, external_id, fingerprint, run_id`,
			[askList.map((a) => a.sourceId), askList.map((a) => a.externalId), askList.map((a) => a.version), askList.map((a) => a.runId), clock, leaseMs],
		);
		const holders = new Map<string, { runId: number; committed: boolean }>();
		for (const row of won) holders.set(versionKey(Number(row.source_id), String(row.external_id), String(row.fingerprint)), { runId: Number(row.run_id), committed: false });
		const lost = askList.filter((a) => !holders.has(versionKey(a.sourceId, a.externalId, a.version)));
		if (lost.length > 0) {
			// The upsert left these rows locked: what is read now is their newest committed state.
			const held = await rows(
				client,
				`SELECT leases.source_id, leases.external_id, leases.fingerprint, leases.run_id, leases.committed
				 FROM ${context.table('leases')} leases JOIN UNNEST($1::bigint[], $2::text[], $3::text[]) AS a(s, e, f)
				 ON leases.source_id = a.s AND leases.external_id = a.e AND leases.fingerprint = a.f`,
				[lost.map((a) => a.sourceId), lost.map((a) => a.externalId), lost.map((a) => a.version)],
			);
			for (const row of held) {
				holders.set(versionKey(Number(row.source_id), String(row.external_id), String(row.fingerprint)), {
					runId: Number(row.run_id),
					committed: Number(row.committed) === 1,
				});
			}
		}

		const claims = new Map<string, { sourceId: number; externalId: string; runId: number; version: string; emitted: number }>();
		const claimedRuns = new Set<number>();
		for (const entry of wanted) {
			const holder = holders.get(versionKey(entry.sourceId, entry.externalId, entry.version));
			const result = checked[entry.position];
			if (holder !== undefined && holder.runId === entry.runId && !holder.committed) {
				claims.set(`${itemKey(entry.sourceId, entry.externalId)}\u0000${entry.runId}`, { ...entry, emitted: 1 });
				claimedRuns.add(entry.runId);
				continue;
			}
			// Another run emits (or has just committed) this version: route it to Unchanged.
			const counts = scope.counts.get(entry.runId);
			if (counts !== undefined && (result.change === 'new' || result.change === 'changed' || result.change === 'deleted')) counts[result.change]--;
			scope.count(entry.runId, 'unchanged');
			checked[entry.position] = {
				item: result.item,
				runId: entry.runId,
				change: 'unchanged',
				reason: 'claimed_by_other_run',
				claimedByRunId: holder?.runId,
			};
			// Wait on a holder's commit: this run's cursor must not move past a version nobody has committed yet.
			if (holder !== undefined && !holder.committed) {
				claims.set(`${itemKey(entry.sourceId, entry.externalId)}\u0000${entry.runId}`, { ...entry, emitted: 0 });
			}
		}
		const claimList = [...claims.values()];
		if (claimList.length > 0) {
			await client.query(
				`INSERT INTO ${context.table('claims')} AS claims (source_id, external_id, run_id, fingerprint, emitted, expires_at)
				 SELECT s, e, r, f, m, ${nowMs('$6')} + $7::bigint FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::smallint[]) AS c(s, e, r, f, m)
				 ON CONFLICT (source_id, external_id, run_id) DO UPDATE SET
					fingerprint = excluded.fingerprint, emitted = excluded.emitted, expires_at = excluded.expires_at`,
				[
					claimList.map((c) => c.sourceId),
					claimList.map((c) => c.externalId),
					claimList.map((c) => c.runId),
					claimList.map((c) => c.version),
					claimList.map((c) => c.emitted),
					clock,
					leaseMs,
				],
			);
		}
		if (claimedRuns.size > 0) {
			await client.query(
				`UPDATE ${context.table('runs')} SET status = 'running', finished_at = NULL WHERE id = ANY($1::bigint[]) AND status != 'running'`,
				[[...claimedRuns]],
			);
		}
		await flushCounts(context, client, scope.counts);
		await settleRuns(context, client, scope.counts.keys(), new Set());
		return checked;
	}

	private async cachedFingerprints(client: Client, located: readonly Located[]): Promise<Map<string, CachedFingerprint>> {
		const found = await rows(
			client,
			`SELECT items.source_id, items.external_id, items.version, items.hash, items.modified_at, items.content_hash, items.deleted,
				items.name, items.path, items.permissions
			 FROM UNNEST($1::bigint[], $2::text[]) AS k(s, e) JOIN ${this.context.table('external_items')} items
			 ON items.source_id = k.s AND items.external_id = k.e`,
			[located.map((entry) => entry.sourceId), located.map((entry) => entry.externalId)],
		);
		const text = (value: unknown) => (typeof value === 'string' ? value : null);
		return new Map(
			found.map((row) => [
				itemKey(Number(row.source_id), String(row.external_id)),
				{
					version: text(row.version),
					hash: text(row.hash),
					modified_at: text(row.modified_at),
					content_hash: text(row.content_hash),
					deleted: Number(row.deleted) === 1,
					name: text(row.name),
					path: text(row.path),
					permissions: text(row.permissions),
				},
			]),
		);
	}

	/**
	 * Locks the batch items' lease rows (in key order) before reading their claims: a concurrent
	 * check that routed an item to wait on a holder holds that row until it commits, so the claims
	 * read here include its waiting claim and settling the version releases it too.
	 */
	private async lockAndReadClaims(client: Client, located: readonly Located[]): Promise<Map<string, ClaimRow[]>> {
		const { context } = this;
		const sources = located.map((entry) => entry.sourceId);
		const ids = located.map((entry) => entry.externalId);
		await client.query(
			`SELECT 1 FROM ${context.table('leases')} leases WHERE (source_id, external_id) IN (SELECT * FROM UNNEST($1::bigint[], $2::text[]))
			 ORDER BY source_id, external_id, fingerprint FOR UPDATE`,
			[sources, ids],
		);
		const found = await rows(
			client,
			`SELECT source_id, external_id, run_id, fingerprint FROM ${context.table('claims')}
			 WHERE (source_id, external_id) IN (SELECT * FROM UNNEST($1::bigint[], $2::text[]))`,
			[sources, ids],
		);
		const claims = new Map<string, ClaimRow[]>();
		for (const row of found) {
			const key = itemKey(Number(row.source_id), String(row.external_id));
			claims.set(key, [...(claims.get(key) ?? []), { runId: Number(row.run_id), version: String(row.fingerprint) }]);
		}
		return claims;
	}

	/**
	 * The claims settling the item's version releases: the run's own, and every run's on the item's
	 * own version or the one the run claimed (export may have added a content_hash since check).
	 */
	private settle(claims: Map<string, ClaimRow[]>, entry: Located, itemVersion: string, scope: CallScope, drop: ClaimDrops): Set<string> {
		const key = itemKey(entry.sourceId, entry.externalId);
		const current = claims.get(key) ?? [];
		const claimedVersion = current.find((claim) => claim.runId === entry.runId)?.version;
		const versions = new Set([itemVersion, ...(claimedVersion === undefined ? [] : [claimedVersion])]);
		const settled = current.filter((claim) => claim.runId === entry.runId || versions.has(claim.version));
		claims.set(
			key,
			current.filter((claim) => !settled.includes(claim)),
		);
		for (const claim of settled) {
			drop.add(entry.sourceId, entry.externalId, claim.runId);
			scope.touchedRuns.add(claim.runId);
		}
		return versions;
	}

	/**
	 * Records items as ingested (deletions as deleted), releases their claims — the run's own and
	 * those of runs waiting on the same version — marks their leases committed, and promotes the
	 * cursors this settles. Committing an item that was never checked records it all the same.
	 */
	async commit(items: readonly ConnectorItem[], options: RunScope = {}): Promise<CommitSummary> {
		const summary: CommitSummary = { committed: 0, superseded: 0, promotedSources: [] };
		const promoted = new Set<string>();
		const scope = new CallScope(this.context, options);
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			const counted = await transaction(this.context, async (client) => {
				scope.startBatch();
				const batchPromoted = new Set<string>();
				const result = await this.commitBatch(client, batch, offset, scope, batchPromoted);
				return { ...result, batchPromoted };
			});
			scope.keepBatch();
			summary.committed += counted.committed;
			summary.superseded += counted.superseded;
			for (const key of counted.batchPromoted) promoted.add(key);
			offset += batch.length;
		}
		summary.promotedSources = [...promoted];
		return summary;
	}

	private async commitBatch(
		client: Client,
		batch: readonly ConnectorItem[],
		offset: number,
		scope: CallScope,
		promoted: Set<string>,
	): Promise<{ committed: number; superseded: number }> {
		const { context } = this;
		const located = await scope.locate(client, batch, offset);
		const claims = await this.lockAndReadClaims(client, located);
		const drop = new ClaimDrops();
		const settledVersions = new Map<Located, Set<string>>();
		for (const entry of located) {
			settledVersions.set(entry, this.settle(claims, entry, claimFingerprint(entry.item), scope, drop));
			scope.count(entry.runId, 'committed');
		}
		await drop.run(context, client);

		const written = await this.recordIngested(client, located);
		let committed = 0;
		const marks: { sourceId: number; externalId: string; version: string; runId: number }[] = [];
		const unmarks: { sourceId: number; externalId: string; version: string }[] = [];
		for (const entry of located) {
			const versions = settledVersions.get(entry) ?? new Set<string>();
			if (written.has(entry)) {
				committed++;
				for (const version of versions) marks.push({ sourceId: entry.sourceId, externalId: entry.externalId, version, runId: entry.runId });
			} else {
				for (const version of versions) unmarks.push({ sourceId: entry.sourceId, externalId: entry.externalId, version });
			}
		}
		await this.markCommitted(client, marks);
		await this.dropLeases(client, unmarks);
		await flushCounts(context, client, scope.counts);
		await settleRuns(context, client, [...scope.counts.keys(), ...scope.touchedRuns], promoted);
		return { committed, superseded: located.length - committed };
	}

	/**
	 * Upserts the items in rounds in which each (source, item) appears once (a statement may touch a
	 * row only once); an item is not written when a newer run already committed another version.
	 * Returns the entries that were written.
	 */
	private async recordIngested(client: Client, located: readonly Located[]): Promise<Set<Located>> {
		const rounds: Located[][] = [];
		const seen = new Map<string, number>();
		for (const entry of located) {
			const key = itemKey(entry.sourceId, entry.externalId);
			const round = seen.get(key) ?? 0;
			seen.set(key, round + 1);
			(rounds[round] ??= []).push(entry);
		}
		const written = new Set<Located>();
		const now = this.context.nowIso();
		for (const round of rounds) {
			for (const deleted of [false, true]) {
				const entries = round.filter((entry) => (entry.item.change === 'deleted') === deleted);
				if (entries.length === 0) continue;
				const returned = await rows(client, this.upsertSql(deleted), [
					entries.map((e) => e.sourceId),
					entries.map((e) => e.externalId),
					entries.map((e) => optionalText(e.item.name)),
					entries.map((e) => optionalText(e.item.path)),
					entries.map((e) => optionalText(e.item.mime)),
					entries.map((e) => optionalSize(e.item.size)),
					entries.map((e) => presentText(e.item.modified_at)),
					entries.map((e) => presentText(e.item.version)),
					entries.map((e) => presentText(e.item.hash)),
					entries.map((e) => presentText(e.item.content_hash)),
					entries.map((e) => permissionsKey(e.item.permissions)),
					entries.map((e) => e.runId),
					now,
				]);
				const keys = new Set(returned.map((row) => itemKey(Number(row.source_id), String(row.external_id))));
				for (const entry of entries) if (keys.has(itemKey(entry.sourceId, entry.externalId))) written.add(entry);
			}
		}
		return written;
	}

	private upsertSql(deleted: boolean): string {
		const table = this.context.table('external_items');
		const columns = `source_id, external_id, name, path, mime, size, modified_at, version, hash, content_hash, permissions, committed_run_id`;
		const source = `SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::bigint[]) AS i(${columns})`;
		const newer = 'WHERE items.committed_run_id IS NULL OR excluded.committed_run_id >= items.committed_run_id';
		return deleted
			? `INSERT INTO ${table} AS items (${columns}, last_ingested_at, deleted, deleted_at)
				SELECT i.*, $13, 1, $13 FROM (${source}) i
				ON CONFLICT (source_id, external_id) DO UPDATE SET
					last_ingested_at = excluded.last_ingested_at, committed_run_id = excluded.committed_run_id, deleted = 1,
					deleted_at = COALESCE(items.deleted_at, excluded.deleted_at)
				${newer} RETURNING source_id, external_id`
			: `INSERT INTO ${table} AS items (${columns}, last_ingested_at, deleted, deleted_at)
				SELECT i.*, $13, 0, NULL FROM (${source}) i
				ON CONFLICT (source_id, external_id) DO UPDATE SET
					name = excluded.name, path = excluded.path, mime = excluded.mime, size = excluded.size,
					modified_at = excluded.modified_at, version = excluded.version, hash = excluded.hash,
					content_hash = excluded.content_hash, permissions = excluded.permissions, last_ingested_at = excluded.last_ingested_at,
					committed_run_id = excluded.committed_run_id, deleted = 0, deleted_at = NULL
				${newer} RETURNING source_id, external_id`;
	}

	/**
	 * The committed versions keep a lease row marked committed (`expires_at`: when), for a while: a
	 * check that read the item before this commit then finds it taken instead of emitting it again.
	 * The item's other committed rows go, so a version that comes back later can be claimed anew.
	 */
	private async markCommitted(client: Client, marks: readonly { sourceId: number; externalId: string; version: string; runId: number }[]): Promise<void> {
		if (marks.length === 0) return;
		const unique = new Map(marks.map((mark) => [versionKey(mark.sourceId, mark.externalId, mark.version), mark]));
		const list = [...unique.values()];
		const values = [list.map((m) => m.sourceId), list.map((m) => m.externalId), list.map((m) => m.version), list.map((m) => m.runId)];
		const table = this.context.table('leases');
		// The item's older committed rows go first; the versions committed now are (re)marked after.
		await client.query(
			`DELETE FROM ${table} leases USING UNNEST($1::bigint[], $2::text[]) AS m(s, e)
			 WHERE leases.source_id = m.s AND leases.external_id = m.e AND leases.committed = 1`,
			values.slice(0, 2),
		);
		await client.query(
			`INSERT INTO ${table} AS leases (source_id, external_id, fingerprint, run_id, expires_at, committed)
			 SELECT s, e, f, r, ${nowMs('$5')}, 1 FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS m(s, e, f, r)
			 ON CONFLICT (source_id, external_id, fingerprint) DO UPDATE SET run_id = excluded.run_id, expires_at = excluded.expires_at, committed = 1`,
			[...values, this.context.clockParam()],
		);
	}

	private async dropLeases(client: Client, versions: readonly { sourceId: number; externalId: string; version: string }[]): Promise<void> {
		if (versions.length === 0) return;
		await client.query(
			`DELETE FROM ${this.context.table('leases')} leases USING UNNEST($1::bigint[], $2::text[], $3::text[]) AS v(s, e, f)
			 WHERE leases.source_id = v.s AND leases.external_id = v.e AND leases.fingerprint = v.f AND leases.committed = 0`,
			[versions.map((v) => v.sourceId), versions.map((v) => v.externalId), versions.map((v) => v.version)],
		);
	}

	/**
	 * As the SQLite store: `skipped` releases the version for every run waiting on it; `failed`
	 * releases only this run's claim and lease, so a later run can retry at once, and holds this
	 * run's cursor back so the item is listed again.
	 */
	async release(items: readonly ConnectorItem[], options: ReleaseOptions): Promise<ReleaseSummary> {
		const promoted = new Set<string>();
		const scope = new CallScope(this.context, options);
		let released = 0;
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			const batchPromoted = await transaction(this.context, async (client) => {
				scope.startBatch();
				const found = new Set<string>();
				await this.releaseBatch(client, batch, offset, scope, options, found);
				return found;
			});
			scope.keepBatch();
			for (const key of batchPromoted) promoted.add(key);
			released += batch.length;
			offset += batch.length;
		}
		return { released, promotedSources: [...promoted] };
	}

	private async releaseBatch(
		client: Client,
		batch: readonly ConnectorItem[],
		offset: number,
		scope: CallScope,
		options: ReleaseOptions,
		promoted: Set<string>,
	): Promise<void> {
		const { context } = this;
		const located = (await scope.locate(client, batch, offset)).sort((left, right) => left.position - right.position);
		const claims = await this.lockAndReadClaims(client, located);
		const drop = new ClaimDrops();
		const dropped: { sourceId: number; externalId: string; version: string }[] = [];
		const ownLeases: { sourceId: number; externalId: string; runId: number }[] = [];
		const skippedByRun = new Map<number, number>();
		const failuresByRun = new Map<number, string[]>();
		for (const entry of located) {
			const key = itemKey(entry.sourceId, entry.externalId);
			// An item released without a check still counts towards the items the run listed.
			if (!(claims.get(key) ?? []).some((claim) => claim.runId === entry.runId)) scope.count(entry.runId, 'processed');
			if (options.outcome === 'skipped') {
				for (const version of this.settle(claims, entry, claimFingerprint(entry.item), scope, drop)) {
					dropped.push({ sourceId: entry.sourceId, externalId: entry.externalId, version });
				}
				scope.count(entry.runId, 'skipped');
				skippedByRun.set(entry.runId, (skippedByRun.get(entry.runId) ?? 0) + 1);
			} else {
				drop.add(entry.sourceId, entry.externalId, entry.runId);
				claims.set(
					key,
					(claims.get(key) ?? []).filter((claim) => claim.runId !== entry.runId),
				);
				ownLeases.push({ sourceId: entry.sourceId, externalId: entry.externalId, runId: entry.runId });
				scope.count(entry.runId, 'failed');
				failuresByRun.set(entry.runId, [...(failuresByRun.get(entry.runId) ?? []), `${entry.externalId}: ${options.reason}`]);
			}
		}
		await drop.run(context, client);
		await this.dropLeases(client, dropped);
		if (ownLeases.length > 0) {
			await client.query(
				`DELETE FROM ${context.table('leases')} leases USING UNNEST($1::bigint[], $2::text[], $3::bigint[]) AS o(s, e, r)
				 WHERE leases.source_id = o.s AND leases.external_id = o.e AND leases.run_id = o.r AND leases.committed = 0`,
				[ownLeases.map((o) => o.sourceId), ownLeases.map((o) => o.externalId), ownLeases.map((o) => o.runId)],
			);
		}
		await flushCounts(context, client, scope.counts);
		for (const [runId, count] of skippedByRun) await addRunReport(context, client, runId, { [options.reason]: count }, []);
		for (const [runId, messages] of failuresByRun) {
			await client.query(`UPDATE ${context.table('runs')} SET cursor_held = 1 WHERE id = $1`, [runId]);
			await addRunReport(context, client, runId, {}, messages);
		}
		await settleRuns(context, client, [...scope.counts.keys(), ...scope.touchedRuns], promoted);
	}

	/** As the SQLite store: counts the items under the note's code in their runs, settling an implicit run this creates. */
	async note(items: readonly ConnectorItem[], options: NoteOptions): Promise<number> {
		const scope = new CallScope(this.context, options);
		let noted = 0;
		let offset = 0;
		for (const batch of chunks(items, this.context.batchSize)) {
			await transaction(this.context, async (client) => {
				scope.startBatch();
				const notedByRun = new Map<number, number>();
				for (const entry of await scope.locate(client, batch, offset)) notedByRun.set(entry.runId, (notedByRun.get(entry.runId) ?? 0) + 1);
				// In run order, as settlement locks them, so two batches noting the same runs do not deadlock.
				const runIds = [...notedByRun.keys()].sort((left, right) => left - right);
				for (const runId of runIds) await addRunNotes(this.context, client, runId, { [options.code]: notedByRun.get(runId) ?? 0 });
				await settleRuns(this.context, client, runIds, new Set());
			});
			scope.keepBatch();
			noted += batch.length;
			offset += batch.length;
		}
		return noted;
	}
}

/** Claims to delete, gathered over a batch and deleted in one statement. */
class ClaimDrops {
	private readonly keys = new Map<string, [number, string, number]>();

	add(sourceId: number, externalId: string, runId: number): void {
		this.keys.set(`${itemKey(sourceId, externalId)}\u0000${runId}`, [sourceId, externalId, runId]);
	}

	async run(context: PgContext, client: Client): Promise<void> {
		if (this.keys.size === 0) return;
		const list = [...this.keys.values()];
		await client.query(
			`DELETE FROM ${context.table('claims')} claims USING UNNEST($1::bigint[], $2::text[], $3::bigint[]) AS d(s, e, r)
			 WHERE claims.source_id = d.s AND claims.external_id = d.e AND claims.run_id = d.r`,
			[list.map((k) => k[0]), list.map((k) => k[1]), list.map((k) => k[2])],
		);
	}
}
