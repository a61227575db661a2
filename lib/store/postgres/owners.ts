/** Which workflows may use each source (`source_owners`). */
import type { SourceOwnerStore, SourceRef } from '../types';
import { type PgContext, query, registerSource, registerSources, rows, transaction } from './context';

export class PgSourceOwners implements SourceOwnerStore {
	constructor(private readonly context: PgContext) {}

	async recordListing(source: SourceRef, owner: string): Promise<void> {
		const owners = this.context.table('source_owners');
		await transaction(this.context, async (client) => {
			const sourceId = await registerSource(this.context, client, source.sourceKey, source.provider);
			await client.query(
				`INSERT INTO ${owners} (source_id, owner, listed, granted_at) VALUES ($1, $2, 1, $3)
				 ON CONFLICT (source_id, owner) DO UPDATE SET listed = 1`,
				[sourceId, owner, this.context.nowIso()],
			);
			await client.query(`DELETE FROM ${owners} WHERE source_id = $1 AND listed = 0 AND owner <> $2`, [sourceId, owner]);
		});
	}

	async refused(owner: string, sources: readonly SourceRef[], options: { adopt: boolean }): Promise<Set<string>> {
		const unique = [...new Map(sources.map((source) => [source.sourceKey, source])).values()];
		if (unique.length === 0) return new Set();
		const owners = this.context.table('source_owners');
		return await transaction(this.context, async (client) => {
			if (options.adopt) await registerSources(this.context, client, unique.map((source) => [source.sourceKey, source.provider] as const));
			// Locking the source rows serialises two workflows adopting the same unowned source: one wins.
			const found = await rows(
				client,
				`SELECT source_id, source_key FROM ${this.context.table('sync_state')} WHERE source_key = ANY($1::text[]) ORDER BY source_id FOR UPDATE`,
				[unique.map((source) => source.sourceKey)],
			);
			const ids = new Map(found.map((row) => [String(row.source_key), Number(row.source_id)]));
			const counts = await rows(
				client,
				`SELECT source_id, COUNT(*) AS owners, BOOL_OR(owner = $2) AS mine FROM ${owners} WHERE source_id = ANY($1::bigint[]) GROUP BY source_id`,
				[[...ids.values()], owner],
			);
			const bySource = new Map(counts.map((row) => [Number(row.source_id), { owners: Number(row.owners), mine: row.mine === true }]));
			const refused = new Set<string>();
			const adopted: number[] = [];
			for (const { sourceKey } of unique) {
				const sourceId = ids.get(sourceKey);
				const known = sourceId === undefined ? undefined : bySource.get(sourceId);
				if (known?.mine) continue;
				if (options.adopt && sourceId !== undefined && known === undefined) adopted.push(sourceId);
				else refused.add(sourceKey);
			}
			if (adopted.length > 0) {
				await client.query(
					`INSERT INTO ${owners} (source_id, owner, listed, granted_at) SELECT id, $2, 0, $3 FROM UNNEST($1::bigint[]) AS a(id) ORDER BY id
					 ON CONFLICT (source_id, owner) DO NOTHING`,
					[adopted, owner, this.context.nowIso()],
				);
			}
			return refused;
		});
	}

	async sourcesOf(owner: string): Promise<string[]> {
		const found = await query(
			this.context,
			`SELECT sources.source_key FROM ${this.context.table('source_owners')} owners JOIN ${this.context.table('sync_state')} sources USING (source_id)
			 WHERE owners.owner = $1 ORDER BY sources.source_key`,
			[owner],
		);
		return found.map((row) => String(row.source_key));
	}
}
