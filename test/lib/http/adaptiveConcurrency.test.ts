import { AdaptiveConcurrency } from '../../../lib/http/adaptiveConcurrency';
import { settle } from './fakeClock';

describe('AdaptiveConcurrency', () => {
	it('hands out as many slots as its limit and the next one when a slot comes back', async () => {
		const limit = new AdaptiveConcurrency({ initial: 2, max: 8 });
		const first = await limit.acquire();
		await limit.acquire();
		let third = false;
		void limit.acquire().then(() => {
			third = true;
		});
		await settle();
		expect([limit.running, third]).toEqual([2, false]);
		first(false);
		await settle();
		expect([limit.running, third]).toEqual([2, true]);
	});

	it('halves on a rate limit, once per storm, and never below its minimum', () => {
		let now = 0;
		const limit = new AdaptiveConcurrency({ initial: 16, max: 32, min: 2, coolDownMs: 1000, now: () => now });
		limit.backOff();
		limit.backOff();
		expect(limit.limit).toBe(8);
		now = 1000;
		limit.backOff();
		now = 2000;
		limit.backOff();
		now = 3000;
		limit.backOff();
		expect(limit.limit).toBe(2);
	});

	it('takes no further cut from a request sent before the last one, however long it keeps retrying', () => {
		let now = 0;
		const limit = new AdaptiveConcurrency({ initial: 32, max: 32, coolDownMs: 1000, now: () => now });
		for (; now <= 10_000; now += 1100) limit.backOff(0);
		expect(limit.limit).toBe(16);
		limit.backOff(now);
		expect(limit.limit).toBe(8);
	});

	it('grows by one after as many successes in a row as it has slots, up to its cap', async () => {
		const limit = new AdaptiveConcurrency({ initial: 2, max: 3 });
		const succeed = async (times: number) => {
			for (let index = 0; index < times; index++) (await limit.acquire())(true);
		};
		await succeed(1);
		expect(limit.limit).toBe(2);
		await succeed(1);
		expect(limit.limit).toBe(3);
		await succeed(30);
		expect(limit.limit).toBe(3);
	});

	it('does not count failures as successes, and a slot given back twice counts once', async () => {
		const limit = new AdaptiveConcurrency({ initial: 1, max: 4 });
		const release = await limit.acquire();
		release(false);
		release(true);
		expect([limit.limit, limit.running]).toEqual([1, 0]);
	});

	it('lets waiting callers through only as far as a shrunken limit allows', async () => {
		const limit = new AdaptiveConcurrency({ initial: 4, max: 4 });
		const held = await Promise.all([limit.acquire(), limit.acquire(), limit.acquire(), limit.acquire()]);
		let admitted = 0;
		for (let index = 0; index < 4; index++) void limit.acquire().then(() => admitted++);
		limit.backOff();
		for (const release of held) release(false);
		await settle();
		expect([limit.limit, admitted, limit.running]).toEqual([2, 2, 2]);
	});
});
