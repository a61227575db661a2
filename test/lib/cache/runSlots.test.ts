import { type ConnectorCache, RUN_SLOT_TTL_MS } from '../../../lib/cache';
import { collectClosedHandles, DRIVERS, manualClock, openTestCache, SOURCE, useTempDir } from './helpers';

collectClosedHandles();

const HOST = 'worker-1';
const LEASE_MS = 10 * 60 * 1000;

describe.each(DRIVERS)('run slots with %s', (driverName) => {
	const tempDir = useTempDir();
	let cache: ConnectorCache;
	let clock: ReturnType<typeof manualClock>;
	const alive = new Set<number>([100, 200, 300]);
	const take = (executionId: string, limit = 1, options: { pid?: number; host?: string; provider?: 'google_drive' | 'notion' } = {}) =>
		cache.acquireRunSlot({
			provider: options.provider ?? 'google_drive',
			executionId,
			limit,
			host: options.host ?? HOST,
			pid: options.pid ?? 100,
			isProcessAlive: (pid) => alive.has(pid),
		});

	beforeEach(() => {
		clock = manualClock();
		cache = openTestCache(tempDir(), driverName, { now: clock.now, leaseMs: LEASE_MS });
	});
	afterEach(() => cache.close());

	it('admits executions up to the limit and refuses the next, naming the holders', () => {
		expect(take('exec-a', 2)).toEqual({ acquired: true });
		expect(take('exec-b', 2)).toEqual({ acquired: true });
		const refused = take('exec-c', 2);
		expect(refused.acquired).toBe(false);
		expect(refused.acquired === false && refused.holders.map((holder) => holder.executionId)).toEqual(['exec-a', 'exec-b']);
		expect(refused.acquired === false && refused.holders[0]).toMatchObject({ host: HOST, pid: 100, active: true });
	});

	it('counts per provider', () => {
		expect(take('exec-a', 1)).toEqual({ acquired: true });
		expect(take('exec-b', 1, { provider: 'notion' })).toEqual({ acquired: true });
		expect(take('exec-c', 1).acquired).toBe(false);
	});

	it('lets the nodes of one execution share its slot, even when the limit is reached', () => {
		take('exec-a');
		expect(take('exec-a')).toEqual({ acquired: true });
		cache.releaseRunSlot('google_drive', 'exec-a');
		// One of its two nodes is still running.
		expect(take('exec-b').acquired).toBe(false);
		cache.releaseRunSlot('google_drive', 'exec-a');
		expect(take('exec-b')).toEqual({ acquired: true });
	});

	it('keeps a released slot while its execution has an open run, and frees it once the run settles', () => {
		take('exec-a');
		const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-a' });
		cache.releaseRunSlot('google_drive', 'exec-a');
		expect(take('exec-b').acquired).toBe(false);
		expect(cache.runSlots('google_drive')).toEqual([expect.objectContaining({ executionId: 'exec-a', active: false })]);
		// The same execution's export comes back to its slot.
		expect(take('exec-a')).toEqual({ acquired: true });
		cache.releaseRunSlot('google_drive', 'exec-a');
		// Nothing listed: the run settles at once.
		cache.proposeCursor(runId, SOURCE, 'cursor-1', { listedItems: 0 });
		expect(cache.getRun(runId)?.status).toBe('success');
		expect(take('exec-b')).toEqual({ acquired: true });
	});

	it('frees a released slot whose run never settles once the claim lease runs out', () => {
		take('exec-a');
		cache.startRun({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-a' });
		cache.releaseRunSlot('google_drive', 'exec-a');
		clock.advance(LEASE_MS - 1);
		expect(take('exec-b').acquired).toBe(false);
		clock.advance(2);
		expect(take('exec-b')).toEqual({ acquired: true });
	});

	it('frees a held slot that is not renewed within its lifetime, and keeps a renewed one', () => {
		take('exec-a');
		clock.advance(RUN_SLOT_TTL_MS - 1000);
		cache.renewRunSlot('google_drive', 'exec-a');
		clock.advance(RUN_SLOT_TTL_MS - 1000);
		expect(take('exec-b').acquired).toBe(false);
		clock.advance(1001);
		expect(take('exec-b')).toEqual({ acquired: true });
		expect(cache.runSlots('google_drive').map((slot) => slot.executionId)).toEqual(['exec-b']);
	});

	it('frees at once the slot of a process that is gone from this host, not one on another host', () => {
		take('exec-a', 2, { pid: 999 });
		take('exec-b', 2, { pid: 998, host: 'worker-2' });
		expect(take('exec-c', 2)).toEqual({ acquired: true });
		expect(take('exec-d', 2).acquired).toBe(false);
	});
});
