/** The connectors' state in a PostgreSQL schema shared by every n8n process: the parts of ConnectorStore over one pool. */
import type { ConnectorStore, ForgetSummary, SourceStatus, StoreSettings } from '../types';
import { describeTarget, openPool, type PostgresTarget } from './connection';
import { createContext, type PgContext } from './context';
import { PgCursorStore } from './cursors';
import { PgItemLedger } from './items';
import { PgListedItems } from './listed';
import { migratePostgres } from './migrations';
import { PgSourceOwners } from './owners';
import { PgRunLedger } from './runs';
import { PgRunSlots } from './runSlots';
import { forgetSource, sourceStatus } from './sources';

export interface PostgresStoreOptions extends StoreSettings {
	target: PostgresTarget;
	/** Connections this process keeps at most (default DEFAULT_POOL_SIZE). */
	poolSize?: number;
}

export class PostgresStore implements ConnectorStore {
	readonly location: string;
	readonly driver = 'pg';
	readonly runs: PgRunLedger;
	readonly cursors: PgCursorStore;
	readonly items: PgItemLedger;
	readonly slots: PgRunSlots;
	readonly listed: PgListedItems;
	readonly owners: PgSourceOwners;

	constructor(readonly context: PgContext) {
		this.location = context.location;
		this.runs = new PgRunLedger(context);
		this.cursors = new PgCursorStore(context);
		this.items = new PgItemLedger(context);
		this.slots = new PgRunSlots(context);
		this.listed = new PgListedItems(context);
		this.owners = new PgSourceOwners(context);
	}

	async status(sourceKey?: string): Promise<SourceStatus[]> {
		return sourceStatus(this.context, sourceKey);
	}

	async forget(sourceKey: string): Promise<ForgetSummary> {
		return forgetSource(this.context, sourceKey);
	}

	get isClosed(): boolean {
		return this.context.closed;
	}

	/** Ends the pool: waits for the connections in use, then closes them all. */
	async close(): Promise<void> {
		if (this.context.closed) return;
		this.context.closed = true;
		await this.context.pool.end();
	}
}

/** Connects, creates the schema and migrates it as needed (once across processes), and returns the store over it. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
	const pool = openPool(options.target, options.poolSize);
	const context = createContext(pool, options.target, describeTarget(options.target), options);
	try {
		await migratePostgres(context);
		return new PostgresStore(context);
	} catch (error) {
		context.closed = true;
		await pool.end().catch(() => undefined);
		throw error;
	}
}
