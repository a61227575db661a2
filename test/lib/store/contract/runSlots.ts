import { RUN_SLOT_TTL_MS, type ConnectorStore } from '../../../../lib/store';
import { SOURCE } from '../helpers';
import type { StoreContract } from './support';

const HOST = 'worker-1';
const LEASE_MS = 10 * 60 * 1000;

export function runSlots(contract: StoreContract): void {
	describe('run slots', () => {
		let store: ConnectorStore;
		const alive = new Set<number>([100, 200, 300]);
		const take = async (
			executionId: string,
			limit = 1,
			options: { pid?: number; host?: string; provider?: 'google_drive' | 'notion' } = {},
		) =>
			await store.slots.acquire({
				provider: options.provider ?? 'google_drive',
				executionId,
				limit,
				host: options.host ?? HOST,
				pid: options.pid ?? 100,
				isProcessAlive: (pid) => alive.has(pid),
			});

		beforeEach(async () => {
			store = await contract.open({ leaseMs: LEASE_MS });
		});

		it('admits executions up to the limit and refuses the next, naming the holders', async () => {
			expect(await take('exec-a', 2)).toEqual({ acquired: true });
			expect(await take('exec-b', 2)).toEqual({ acquired: true });
			const refused = await take('exec-c', 2);
			expect(refused.acquired).toBe(false);
			expect(refused.acquired === false && refused.holders.map((holder) => holder.executionId)).toEqual(['exec-a', 'exec-b']);
			expect(refused.acquired === false && refused.holders[0]).toMatchObject({ host: HOST, pid: 100, active: true });
		});

		it('counts per provider', async () => {
			expect(await take('exec-a', 1)).toEqual({ acquired: true });
			expect(await take('exec-b', 1, { provider: 'notion' })).toEqual({ acquired: true });
			expect((await take('exec-c', 1)).acquired).toBe(false);
		});

		it('lets the nodes of one execution share its slot, even when the limit is reached', async () => {
			await take('exec-a');
			expect(await take('exec-a')).toEqual({ acquired: true });
			await store.slots.release('google_drive', 'exec-a');
			// One of its two nodes is still running.
			expect((await take('exec-b')).acquired).toBe(false);
			await store.slots.release('google_drive', 'exec-a');
			expect(await take('exec-b')).toEqual({ acquired: true });
		});

		it('keeps a released slot while its execution has an open run, and frees it once the run settles', async () => {
			await take('exec-a');
			const runId = await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-a' });
			await store.slots.release('google_drive', 'exec-a');
			expect((await take('exec-b')).acquired).toBe(false);
			expect(await store.slots.holders('google_drive')).toEqual([expect.objectContaining({ executionId: 'exec-a', active: false })]);
			// The same execution's export comes back to its slot.
			expect(await take('exec-a')).toEqual({ acquired: true });
			await store.slots.release('google_drive', 'exec-a');
			// Nothing listed: the run settles at once.
			await store.cursors.propose(runId, SOURCE, 'cursor-1', { listedItems: 0 });
			expect((await store.runs.get(runId))?.status).toBe('success');
			expect(await take('exec-b')).toEqual({ acquired: true });
		});

		it('frees a released slot whose run never settles once the claim lease runs out', async () => {
			await take('exec-a');
			await store.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-a' });
			await store.slots.release('google_drive', 'exec-a');
			contract.clock.advance(LEASE_MS - 1);
			expect((await take('exec-b')).acquired).toBe(false);
			contract.clock.advance(2);
			expect(await take('exec-b')).toEqual({ acquired: true });
		});

		it('frees a held slot that is not renewed within its lifetime, and keeps a renewed one', async () => {
			await take('exec-a');
			contract.clock.advance(RUN_SLOT_TTL_MS - 1000);
			await store.slots.renew('google_drive', 'exec-a');
			contract.clock.advance(RUN_SLOT_TTL_MS - 1000);
			expect((await take('exec-b')).acquired).toBe(false);
			contract.clock.advance(1001);
			expect(await take('exec-b')).toEqual({ acquired: true });
			expect((await store.slots.holders('google_drive')).map((slot) => slot.executionId)).toEqual(['exec-b']);
		});

		it('frees at once the slot of a process that is gone from this host, not one on another host', async () => {
			await take('exec-a', 2, { pid: 999 });
			await take('exec-b', 2, { pid: 998, host: 'worker-2' });
			expect(await take('exec-c', 2)).toEqual({ acquired: true });
			expect((await take('exec-d', 2)).acquired).toBe(false);
		});
	});
}
