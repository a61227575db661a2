/** The connectors' state in one SQLite file: the parts of ConnectorStore over one connection. */
import type { ConnectorStore, ForgetSummary, SourceStatus, StoreSettings } from '../types';
import { createContext, type SqliteContext } from './context';
import { SqliteCursorStore } from './cursors';
import { type DriverChoice, type DriverName, openDriver, type SqliteDriver } from './driver';
import { SqliteItemLedger } from './items';
import { SqliteListedItems } from './listed';
import { resolveCachePath } from './location';
import { migrate } from './migrations';
import { SqliteSourceOwners } from './owners';
import { SqliteRunLedger } from './runs';
import { SqliteRunSlots } from './runSlots';
import { forgetSource, sourceStatus } from './sources';

export interface SqliteStoreOptions extends StoreSettings {
	/** Defaults to `resolveCachePath()`: `CONNECTORS_CACHE_PATH`, else inside n8n's user folder. */
	path?: string;
	driver?: DriverChoice;
	busyTimeoutMs?: number;
	/** SQLite page cache per connection (default 8 MB): memory stays within it however large the file grows. */
	pageCacheMb?: number;
}

export class SqliteStore implements ConnectorStore {
	readonly location: string;
	readonly driver: DriverName;
	readonly runs: SqliteRunLedger;
	readonly cursors: SqliteCursorStore;
	readonly items: SqliteItemLedger;
	readonly slots: SqliteRunSlots;
	readonly listed: SqliteListedItems;
	readonly owners: SqliteSourceOwners;
	private readonly context: SqliteContext;

	constructor(db: SqliteDriver, settings: StoreSettings = {}) {
		this.context = createContext(db, settings);
		this.location = db.path;
		this.driver = db.name;
		this.runs = new SqliteRunLedger(this.context);
		this.cursors = new SqliteCursorStore(this.context);
		this.items = new SqliteItemLedger(this.context);
		this.slots = new SqliteRunSlots(this.context);
		this.listed = new SqliteListedItems(this.context);
		this.owners = new SqliteSourceOwners(this.context);
	}

	async status(sourceKey?: string): Promise<SourceStatus[]> {
		return sourceStatus(this.context, sourceKey);
	}

	async forget(sourceKey: string): Promise<ForgetSummary> {
		return await forgetSource(this.context, sourceKey);
	}

	get isClosed(): boolean {
		return this.context.db.isClosed;
	}

	async close(): Promise<void> {
		this.context.db.close();
	}
}

/** Opens (creating and migrating as needed) the cache file and returns the store over it. */
export function openSqliteStore(options: SqliteStoreOptions = {}): SqliteStore {
	const path = options.path ?? resolveCachePath();
	const db = openDriver(path, {
		driver: options.driver,
		busyTimeoutMs: options.busyTimeoutMs,
		pageCacheMb: options.pageCacheMb,
	});
	try {
		migrate(db);
		return new SqliteStore(db, options);
	} catch (error) {
		db.close();
		throw error;
	}
}
