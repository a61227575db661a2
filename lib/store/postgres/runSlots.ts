/** ORG_CONNECTORS_MAX_CONCURRENT_RUNS: the `run_slots` every worker of the cluster counts against. */
import { hostname } from 'node:os';

import type { Provider } from '../../items';
import { RUN_SLOT_TTL_MS } from '../constants';
import type { AcquireRunSlotInput, RunSlotHolder, RunSlotResult, RunSlotStore } from '../types';
import type { Client } from './connection';
import { nowMs, type PgContext, query, rows, transaction } from './context';
import { ADVISORY_LOCK_CLASS } from './migrations';

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
	}
}

type SlotRow = Record<string, unknown>;

function slotHolder(row: SlotRow): RunSlotHolder {
	return {
		executionId: String(row.execution_id),
		host: String(row.host),
		pid: Number(row.pid),
		acquiredAt: String(row.acquired_at),
		active: Number(row.holders) > 0,
		expiresAt: new Date(Number(row.expires_at)).toISOString(),
	};
}

export class PgRunSlots implements RunSlotStore {
	constructor(private readonly context: PgContext) {}

	/** The slots of the provider with whether the execution still has an open run, and the database's now. */
	private async slots(client: Client | PgContext, provider: Provider): Promise<{ now: number; slots: SlotRow[] }> {
		const sql = `SELECT slots.*, ${nowMs('$2')} AS now_ms,
				EXISTS (SELECT 1 FROM ${this.context.table('runs')} runs
					WHERE runs.execution_id = slots.execution_id AND runs.provider = slots.provider AND runs.status = 'running') AS open_run
			FROM ${this.context.table('run_slots')} slots WHERE provider = $1 ORDER BY acquired_at, execution_id`;
		const values = [provider, this.context.clockParam()];
		const found = 'pool' in client ? await query(client, sql, values) : await rows(client, sql, values);
		const [now] = 'pool' in client ? await query(client, `SELECT ${nowMs('$1')} AS now_ms`, [values[1]]) : await rows(client, `SELECT ${nowMs('$1')} AS now_ms`, [values[1]]);
		return { now: Number(now.now_ms), slots: found };
	}

	/**
	 * As the SQLite store, across every worker: under a transaction-level advisory lock per provider
	 * the slots are counted and one taken, so two workers cannot both take the last one. A slot whose
	 * holder stopped renewing it (its worker died or hangs) is free once RUN_SLOT_TTL_MS passed, by the
	 * database's clock; on its own host a dead process frees it at once.
	 */
	async acquire(input: AcquireRunSlotInput): Promise<RunSlotResult> {
		const { context } = this;
		const host = input.host ?? hostname();
		const pid = input.pid ?? process.pid;
		const isAlive = input.isProcessAlive ?? processAlive;
		return transaction(context, async (client): Promise<RunSlotResult> => {
			await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK_CLASS, `run_slots:${input.provider}`]);
			const { now, slots } = await this.slots(client, input.provider);
			const others: RunSlotHolder[] = [];
			const stale: string[] = [];
			let own = false;
			for (const row of slots) {
				const executionId = String(row.execution_id);
				if (executionId === input.executionId) own = true;
				else if (isTaken(row, now, host, isAlive)) others.push(slotHolder(row));
				else stale.push(executionId);
			}
			if (stale.length > 0) {
				await client.query(`DELETE FROM ${context.table('run_slots')} WHERE provider = $1 AND execution_id = ANY($2::text[])`, [input.provider, stale]);
			}
			if (!own && others.length >= input.limit) return { acquired: false, holders: others };
			await client.query(
				`INSERT INTO ${context.table('run_slots')} AS slots (provider, execution_id, host, pid, holders, acquired_at, expires_at)
				 VALUES ($1, $2, $3, $4, 1, $5, ${nowMs('$6')} + $7::bigint)
				 ON CONFLICT (provider, execution_id) DO UPDATE SET
					host = excluded.host, pid = excluded.pid, holders = slots.holders + 1, expires_at = excluded.expires_at`,
				[input.provider, input.executionId, host, pid, context.nowIso(), context.clockParam(), RUN_SLOT_TTL_MS],
			);
			return { acquired: true };
		});
	}

	/** Keeps a held slot from expiring; call it well within RUN_SLOT_TTL_MS while the node runs. */
	async renew(provider: Provider, executionId: string): Promise<void> {
		await query(
			this.context,
			`UPDATE ${this.context.table('run_slots')} SET expires_at = ${nowMs('$3')} + $4::bigint WHERE provider = $1 AND execution_id = $2 AND holders > 0`,
			[provider, executionId, this.context.clockParam(), RUN_SLOT_TTL_MS],
		);
	}

	/** One holder of the execution's slot is done; the last one leaves it to the execution's open run, for at most the claim lease. */
	async release(provider: Provider, executionId: string): Promise<void> {
		await query(
			this.context,
			`UPDATE ${this.context.table('run_slots')} SET holders = GREATEST(holders - 1, 0),
				expires_at = CASE WHEN holders <= 1 THEN ${nowMs('$3')} + $4::bigint ELSE expires_at END
			 WHERE provider = $1 AND execution_id = $2`,
			[provider, executionId, this.context.clockParam(), this.context.leaseMs],
		);
	}

	/** The executions holding a slot of the provider now. */
	async holders(provider: Provider): Promise<RunSlotHolder[]> {
		const { now, slots } = await this.slots(this.context, provider);
		const host = hostname();
		return slots.filter((row) => isTaken(row, now, host, processAlive)).map(slotHolder);
	}
}

function isTaken(row: SlotRow, now: number, host: string, isAlive: (pid: number) => boolean): boolean {
	if (Number(row.expires_at) <= now) return false;
	if (row.host === host && !isAlive(Number(row.pid))) return false;
	if (Number(row.holders) > 0) return true;
	return row.open_run === true;
}
