/** The items each source's listings emitted, as the provider described them (`listed_items`). */
import type { ConnectorItem } from '../../items';
import { optionalSize } from '../itemFields';
import type { ListedItem, ListedItemStore } from '../types';
import { registerSource, type SqliteContext } from './context';
import { integer, text } from './statements';

export class SqliteListedItems implements ListedItemStore {
	constructor(private readonly context: SqliteContext) {}

	async record(sourceKey: string, provider: string, items: readonly ConnectorItem[]): Promise<void> {
		if (items.length === 0) return;
		const { db, statements } = this.context;
		// One batch per transaction, so a large first listing does not hold the write lock for long.
		for (let start = 0; start < items.length; start += this.context.batchSize) {
			const batch = items.slice(start, start + this.context.batchSize);
			await db.transactionAsync(() => {
				const sourceId = registerSource(this.context, sourceKey, provider);
				const now = this.context.nowIso();
				for (const item of batch) {
					if (item.change === 'deleted') statements.deleteListed.run(sourceId, item.external_id);
					else {
						statements.upsertListed.run(sourceId, item.external_id, item.name, item.path, item.mime ?? null, optionalSize(item.size), item.version ?? null, now);
					}
				}
			});
		}
	}

	async lookup(provider: string, sourceKey: string, externalIds: readonly string[]): Promise<Map<string, ListedItem>> {
		const found = new Map<string, ListedItem>();
		const { statements } = this.context;
		for (const externalId of new Set(externalIds)) {
			const row = statements.selectListed.get(sourceKey, provider, externalId);
			if (row === undefined) continue;
			found.set(externalId, {
				externalId,
				name: text(row, 'name') ?? '',
				path: text(row, 'path') ?? '',
				mime: text(row, 'mime'),
				size: integer(row, 'size'),
				version: text(row, 'version'),
			});
		}
		return found;
	}
}
