import { Client } from 'pg';

import { item, SOURCE } from '../helpers';
import { changeById, listRun } from '../contract/support';
import { openTestPostgresStore, usePostgres } from './helpers';

const postgres = usePostgres();

/** A connection holding row locks in an open transaction, to stop another transaction at a chosen statement. */
async function holdLocks(target: ReturnType<typeof postgres.target>, sql: string, values: unknown[]): Promise<{ pid: number; release: () => Promise<void> }> {
	const client = new Client(target.connection);
	await client.connect();
	const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
	await client.query('BEGIN');
	await client.query(sql, values);
	return {
		pid,
		release: async () => {
			await client.query('COMMIT');
			await client.end();
		},
	};
}

/** Waits until `count` backends wait on a lock, none of them on one the finished `released` held. */
async function waiting(count: number, released: readonly number[] = []): Promise<void> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const [row] = await postgres.sql(
			`SELECT count(*)::int AS waiting, count(*) FILTER (WHERE pg_blocking_pids(pid) && $1::int[])::int AS stale
			 FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0`,
			[released],
		);
		if (row.waiting === count && row.stale === 0) return;
		if (Date.now() > deadline) throw new Error(`expected ${count} backend(s) waiting on a lock, found ${String(row.waiting)}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('the PostgreSQL run settlement, with two workers settling one run at the same moment', () => {
	/**
	 * Run R waits on H's commit of item a and emitted item n itself. H's worker commits a (dropping
	 * R's waiting claim) while R's worker releases n as skipped (dropping R's last own claim): each
	 * transaction still sees the other's claim, so under read committed neither would settle R, and
	 * R stayed "running" with nothing left outstanding. Row locks stop each transaction where the
	 * interleaving needs it.
	 */
	it('finishes the run all the same', async () => {
		const target = postgres.target();
		const [workerH, workerR] = await Promise.all([openTestPostgresStore(target), openTestPostgresStore(target)]);
		try {
			const list = [item('a'), item('n')];
			const h = await listRun(workerH, list, 'cursor-h');
			const checkedH = await workerH.items.check(h.items);
			expect(changeById(checkedH)).toEqual({ a: 'new', n: 'new' });
			// H's export skips n: its version is free again, and R takes it.
			await workerH.items.release([checkedH[1].item], { outcome: 'skipped', reason: 'not_downloadable' });
			const r = await listRun(workerR, list, 'cursor-r');
			const checkedR = await workerR.items.check(r.items);
			expect(changeById(checkedR)).toEqual({ a: 'unchanged', n: 'new' });

			const runRow = `SELECT 1 FROM "${target.schema}".runs WHERE id = $1 FOR NO KEY UPDATE`;
			const lockH = await holdLocks(target, runRow, [h.runId]);
			const lockR = await holdLocks(target, runRow, [r.runId]);
			const lockSource = await holdLocks(target, `SELECT 1 FROM "${target.schema}".sync_state WHERE source_key = $1 FOR NO KEY UPDATE`, [SOURCE]);

			// Both have dropped their claims and wait to count them into the runs' rows.
			const commitH = workerH.items.commit([checkedH[0].item]);
			const releaseR = workerR.items.release([checkedR[1].item], { outcome: 'skipped', reason: 'not_downloadable' });
			await waiting(2);
			// H's commit goes on to settle its runs (it stops again at the source's cursor, or at R's row).
			await lockH.release();
			await waiting(2, [lockH.pid]);
			// R's release settles R while H's commit is still open, and ends.
			await lockR.release();
			await releaseR;
			await lockSource.release();
			await commitH;

			expect(await workerH.runs.get(h.runId)).toMatchObject({ status: 'success' });
			expect(await workerR.runs.get(r.runId)).toMatchObject({ status: 'success', finishedAt: expect.any(String) });
			expect(await workerR.cursors.committed(SOURCE)).toBe('cursor-r');
		} finally {
			await Promise.all([workerH.close(), workerR.close()]);
		}
	}, 60_000);
});
