/** Which workflows may use each source (`source_owners`). */
import type { SourceOwnerStore, SourceRef } from '../types';
import { registerSource, sourceIdOf, type SqliteContext } from './context';
import type { PreparedStatement } from './driver';
import { integer } from './statements';

export class SqliteSourceOwners implements SourceOwnerStore {
	private readonly statements: Record<'grant' | 'dropAdopters' | 'isOwner' | 'countOwners' | 'sourcesOf', PreparedStatement>;

	constructor(private readonly context: SqliteContext) {
		const prepare = (sql: string) => context.db.prepare(sql);
		this.statements = {
			grant: prepare(
				`INSERT INTO source_owners (source_id, owner, listed, granted_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (source_id, owner) DO UPDATE SET listed = MAX(listed, excluded.listed)`,
			),
			dropAdopters: prepare('DELETE FROM source_owners WHERE source_id = ? AND listed = 0 AND owner != ?'),
			isOwner: prepare('SELECT 1 AS owns FROM source_owners WHERE source_id = ? AND owner = ?'),
			countOwners: prepare('SELECT COUNT(*) AS owners FROM source_owners WHERE source_id = ?'),
			sourcesOf: prepare(
				`SELECT sync_state.source_key FROM source_owners JOIN sync_state USING (source_id)
				 WHERE source_owners.owner = ? ORDER BY sync_state.source_key`,
			),
		};
	}

	async recordListing(source: SourceRef, owner: string): Promise<void> {
		await this.context.db.transactionAsync(() => {
			const sourceId = registerSource(this.context, source.sourceKey, source.provider);
			this.statements.grant.run(sourceId, owner, 1, this.context.nowIso());
			this.statements.dropAdopters.run(sourceId, owner);
		});
	}

	async refused(owner: string, sources: readonly SourceRef[], options: { adopt: boolean }): Promise<Set<string>> {
		const unique = new Map(sources.map((source) => [source.sourceKey, source]));
		return await this.context.db.transactionAsync(() => {
			const refused = new Set<string>();
			for (const source of unique.values()) {
				const known = sourceIdOf(this.context, source.sourceKey);
				if (known !== null && this.statements.isOwner.get(known, owner) !== undefined) continue;
				const unowned = known === null || (integer(this.statements.countOwners.get(known), 'owners') ?? 0) === 0;
				if (!options.adopt || !unowned) {
					refused.add(source.sourceKey);
					continue;
				}
				const sourceId = known ?? registerSource(this.context, source.sourceKey, source.provider);
				this.statements.grant.run(sourceId, owner, 0, this.context.nowIso());
			}
			return refused;
		});
	}

	async sourcesOf(owner: string): Promise<string[]> {
		return this.statements.sourcesOf.all(owner).map((row) => String(row.source_key));
	}
}
