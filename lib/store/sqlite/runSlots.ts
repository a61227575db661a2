/** ORG_CONNECTORS_MAX_CONCURRENT_RUNS: the `run_slots` every process sharing the file counts against. */
import { hostname } from 'node:os';

import type { Provider } from '../../items';
import { RUN_SLOT_TTL_MS } from '../constants';
import type { AcquireRunSlotInput, RunSlotHolder, RunSlotResult, RunSlotStore } from '../types';
import type { SqliteContext } from './context';
import type { SqlRow } from './driver';
import { integer, text } from './statements';

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
	}
}

function slotHolder(row: SqlRow): RunSlotHolder {
	return {
		executionId: text(row, 'execution_id') ?? '',
		host: text(row, 'host') ?? '',
		pid: integer(row, 'pid') ?? 0,
		acquiredAt: text(row, 'acquired_at') ?? '',
		active: (integer(row, 'holders') ?? 0) > 0,
		expiresAt: new Date(integer(row, 'expires_at') ?? 0).toISOString(),
	};
}

export class SqliteRunSlots implements RunSlotStore {
	constructor(private readonly context: SqliteContext) {}

	/**
	 * Takes a slot for the execution among at most `limit` per provider, across processes sharing the
	 * file. The nodes of one execution share its slot (a second acquire only adds a holder), so an
	 * execution admitted at listing is not refused at export. A slot counts while a node holds it
	 * (renewed within RUN_SLOT_TTL_MS), then, once released, while the execution's run is still open
	 * (not yet committed), for at most the claim lease. A slot whose process is gone from this host
	 * is freed at once.
	 */
	async acquire(input: AcquireRunSlotInput): Promise<RunSlotResult> {
		const { db, statements } = this.context;
		const host = input.host ?? hostname();
		const pid = input.pid ?? process.pid;
		const isAlive = input.isProcessAlive ?? processAlive;
		return await db.transactionAsync((): RunSlotResult => {
			const now = this.context.now();
			const others: RunSlotHolder[] = [];
			for (const row of statements.selectRunSlots.all(input.provider)) {
				const executionId = text(row, 'execution_id') ?? '';
				if (executionId === input.executionId) continue;
				if (this.isTaken(row, input.provider, now, host, isAlive)) others.push(slotHolder(row));
				else statements.deleteRunSlot.run(input.provider, executionId);
			}
			const own = statements.selectRunSlot.get(input.provider, input.executionId);
			if (own === undefined && others.length >= input.limit) return { acquired: false, holders: others };
			statements.takeRunSlot.run(input.provider, input.executionId, host, pid, this.context.nowIso(), now + RUN_SLOT_TTL_MS);
			return { acquired: true };
		});
	}

	private isTaken(row: SqlRow, provider: Provider, now: number, host: string, isAlive: (pid: number) => boolean): boolean {
		if ((integer(row, 'expires_at') ?? 0) <= now) return false;
		if (text(row, 'host') === host && !isAlive(integer(row, 'pid') ?? 0)) return false;
		if ((integer(row, 'holders') ?? 0) > 0) return true;
		return this.context.statements.selectOpenRunOfExecution.get(text(row, 'execution_id'), provider) !== undefined;
	}

	/** Keeps a held slot from expiring; call it well within RUN_SLOT_TTL_MS while the node runs. */
	async renew(provider: Provider, executionId: string): Promise<void> {
		await this.context.db.transactionAsync(() => {
			this.context.statements.renewRunSlot.run(this.context.now() + RUN_SLOT_TTL_MS, provider, executionId);
		});
	}

	/** One holder of the execution's slot is done; the last one leaves it to the execution's open run, for at most the claim lease. */
	async release(provider: Provider, executionId: string): Promise<void> {
		await this.context.db.transactionAsync(() => {
			this.context.statements.releaseRunSlot.run(this.context.now() + this.context.leaseMs, provider, executionId);
		});
	}

	/** The executions holding a slot of the provider now. */
	async holders(provider: Provider): Promise<RunSlotHolder[]> {
		const now = this.context.now();
		const host = hostname();
		return this.context.statements.selectRunSlots
			.all(provider)
			.filter((row) => this.isTaken(row, provider, now, host, processAlive))
			.map(slotHolder);
	}
}
