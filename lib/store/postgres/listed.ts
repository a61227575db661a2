/** The items each source's listings emitted, as the provider described them (`listed_items`). */
import type { ConnectorItem } from '../../items';
import { optionalSize } from '../itemFields';
import type { ListedItem, ListedItemStore } from '../types';
import { type PgContext, query, registerSource, transaction } from './context';

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
	return out;
}

export class PgListedItems implements ListedItemStore {
	constructor(private readonly context: PgContext) {}

	async record(sourceKey: string, provider: string, items: readonly ConnectorItem[]): Promise<void> {
		if (items.length === 0) return;
		const table = this.context.table('listed_items');
		for (const batch of chunks(items, this.context.batchSize)) {
			// The last word on an id within one batch wins, as it would one row at a time.
			const latest = new Map<string, ConnectorItem>();
			for (const item of batch) latest.set(item.external_id, item);
			const upserts = [...latest.values()].filter((item) => item.change !== 'deleted');
			const deletions = [...latest.values()].filter((item) => item.change === 'deleted').map((item) => item.external_id);
			await transaction(this.context, async (client) => {
				const sourceId = await registerSource(this.context, client, sourceKey, provider);
				if (deletions.length > 0) {
					await client.query(`DELETE FROM ${table} WHERE source_id = $1 AND external_id = ANY($2::text[])`, [sourceId, deletions]);
				}
				if (upserts.length === 0) return;
				await client.query(
					`INSERT INTO ${table} (source_id, external_id, name, path, mime, size, version, listed_at)
					 SELECT $1, e, n, p, m, s, v, $8 FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) AS u(e, n, p, m, s, v)
					 ORDER BY e
					 ON CONFLICT (source_id, external_id) DO UPDATE SET
						name = excluded.name, path = excluded.path, mime = excluded.mime, size = excluded.size,
						version = excluded.version, listed_at = excluded.listed_at`,
					[
						sourceId,
						upserts.map((item) => item.external_id),
						upserts.map((item) => item.name),
						upserts.map((item) => item.path),
						upserts.map((item) => item.mime ?? null),
						upserts.map((item) => optionalSize(item.size)),
						upserts.map((item) => item.version ?? null),
						this.context.nowIso(),
					],
				);
			});
		}
	}

	async lookup(provider: string, sourceKey: string, externalIds: readonly string[]): Promise<Map<string, ListedItem>> {
		const found = new Map<string, ListedItem>();
		if (externalIds.length === 0) return found;
		const text = (value: unknown) => (typeof value === 'string' ? value : null);
		for (const batch of chunks([...new Set(externalIds)], this.context.batchSize)) {
			const rows = await query(
				this.context,
				`SELECT listed.* FROM ${this.context.table('listed_items')} listed JOIN ${this.context.table('sync_state')} sources USING (source_id)
				 WHERE sources.source_key = $1 AND sources.provider = $2 AND listed.external_id = ANY($3::text[])`,
				[sourceKey, provider, batch],
			);
			for (const row of rows) {
				const externalId = String(row.external_id);
				found.set(externalId, {
					externalId,
					name: text(row.name) ?? '',
					path: text(row.path) ?? '',
					mime: text(row.mime),
					size: row.size === null || row.size === undefined ? null : Number(row.size),
					version: text(row.version),
				});
			}
		}
		return found;
	}
}
