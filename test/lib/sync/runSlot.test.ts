import { RUN_SLOT_TTL_MS } from '../../../lib/store/constants';
import { PolicyViolationError } from '../../../lib/policy';
import type { ConnectorStore } from '../../../lib/store';
import { acquireRunSlot } from '../../../lib/sync';
import { FAKE_PROVIDER } from './fakeProvider';
import { policyWith, useStore } from './support';

const oneRun = policyWith({ maxConcurrentRuns: 1 });

describe('acquireRunSlot', () => {
	describe('against the store', () => {
		const store = useStore();

		it('refuses a second execution while the first holds the only slot, and lets it in once released', async () => {
			const release = await acquireRunSlot(store(), FAKE_PROVIDER, 'exec-first', oneRun);
			try {
				const refused = acquireRunSlot(store(), FAKE_PROVIDER, 'exec-second', oneRun);
				await expect(refused).rejects.toThrow(PolicyViolationError);
				await expect(acquireRunSlot(store(), FAKE_PROVIDER, 'exec-second', oneRun)).rejects.toMatchObject({
					code: 'policy_concurrent_runs',
					message: expect.stringMatching(
						/already has 1 run\(s\) in progress \(execution exec-first since .+\) and the org policy allows at most 1/,
					),
				});
			} finally {
				await release();
			}
			const second = await acquireRunSlot(store(), FAKE_PROVIDER, 'exec-second', oneRun);
			await second();
		});

		it('lets the nodes of one execution share its slot', async () => {
			const listing = await acquireRunSlot(store(), FAKE_PROVIDER, 'exec-first', oneRun);
			const exporting = await acquireRunSlot(store(), FAKE_PROVIDER, 'exec-first', oneRun);
			await exporting();
			await listing();
		});
	});

	describe('with a store that records', () => {
		let slots: { [Key in keyof ConnectorStore['slots']]: jest.Mock };
		let store: ConnectorStore;

		beforeEach(() => {
			jest.useFakeTimers();
			slots = {
				acquire: jest.fn(async () => ({ acquired: true })),
				renew: jest.fn(async () => undefined),
				release: jest.fn(async () => undefined),
				holders: jest.fn(async () => []),
			};
			store = { slots } as unknown as ConnectorStore;
		});

		afterEach(() => {
			jest.useRealTimers();
		});

		it('asks the store for nothing when the policy sets no limit', async () => {
			const untouchable = new Proxy({} as ConnectorStore, {
				get: (_target, key) => {
					throw new Error(`the store's ${String(key)} was used`);
				},
			});
			const release = await acquireRunSlot(untouchable, FAKE_PROVIDER, 'exec-1', policyWith({ maxConcurrentRuns: null }));
			await release();
		});

		it('takes a slot with the limit and renews it four times a slot lifetime until released', async () => {
			const release = await acquireRunSlot(store, FAKE_PROVIDER, 'exec-1', policyWith({ maxConcurrentRuns: 3 }));
			expect(slots.acquire).toHaveBeenCalledWith({ provider: FAKE_PROVIDER, executionId: 'exec-1', limit: 3 });
			jest.advanceTimersByTime(RUN_SLOT_TTL_MS / 4 - 1);
			expect(slots.renew).not.toHaveBeenCalled();
			jest.advanceTimersByTime(1);
			expect(slots.renew).toHaveBeenCalledWith(FAKE_PROVIDER, 'exec-1');
			jest.advanceTimersByTime(RUN_SLOT_TTL_MS);
			expect(slots.renew).toHaveBeenCalledTimes(5);

			await release();
			jest.advanceTimersByTime(RUN_SLOT_TTL_MS);
			expect(slots.renew).toHaveBeenCalledTimes(5);
			expect(slots.release).toHaveBeenCalledWith(FAKE_PROVIDER, 'exec-1');
		});

		it('releases the slot once however often release is called', async () => {
			const release = await acquireRunSlot(store, FAKE_PROVIDER, 'exec-1', oneRun);
			await release();
			await release();
			expect(slots.release).toHaveBeenCalledTimes(1);
		});

		it('starts no heartbeat when the slot is refused', async () => {
			slots.acquire.mockResolvedValueOnce({ acquired: false, holders: [{ executionId: 'exec-0', acquiredAt: '2026-01-01T00:00:00.000Z' }] });
			await expect(acquireRunSlot(store, FAKE_PROVIDER, 'exec-1', oneRun)).rejects.toThrow(PolicyViolationError);
			jest.advanceTimersByTime(RUN_SLOT_TTL_MS);
			expect(slots.renew).not.toHaveBeenCalled();
		});
	});
});
