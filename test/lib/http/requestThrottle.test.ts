import { RequestThrottle, integrationKey, requestThrottleFor } from '../../../lib/http/requestThrottle';
import { FakeClock } from './fakeClock';

/** Starts `count` acquires at once and records when each was granted. */
function acquireAll(throttle: RequestThrottle, clock: FakeClock, count: number): Array<{ caller: number; at: number }> {
	const grants: Array<{ caller: number; at: number }> = [];
	for (let caller = 0; caller < count; caller++) {
		void throttle.acquire().then(() => grants.push({ caller, at: clock.now() }));
	}
	return grants;
}

function mostInAnyWindow(times: number[], windowMs: number): number {
	return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

describe('RequestThrottle', () => {
	it('never lets more than rate requests through in any one-second window', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 3, burst: 1, now: clock.now, sleep: clock.sleep });
		const grants = acquireAll(throttle, clock, 30);
		await clock.advanceBy(10_000);
		expect(grants).toHaveLength(30);
		expect(mostInAnyWindow(grants.map((g) => g.at), 1000)).toBeLessThanOrEqual(3);
		expect(grants[29].at).toBeLessThanOrEqual(10_000);
	});

	it('allows an initial burst, then settles at the sustained rate', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 3, burst: 3, now: clock.now, sleep: clock.sleep });
		const grants = acquireAll(throttle, clock, 60);
		await clock.advanceBy(0);
		expect(grants).toHaveLength(3);
		await clock.advanceBy(10_000);
		expect(grants.length).toBeLessThanOrEqual(3 + 3 * 10);
		expect(grants.length).toBeGreaterThanOrEqual(3 * 10);
		const afterBurst = grants.slice(3).map((g) => g.at);
		expect(mostInAnyWindow(afterBurst, 1000)).toBeLessThanOrEqual(3);
	});

	it('grants permits in the order they were asked for', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 5, burst: 2, now: clock.now, sleep: clock.sleep });
		const grants = acquireAll(throttle, clock, 12);
		await clock.advanceBy(5000);
		expect(grants.map((g) => g.caller)).toEqual([...Array(12).keys()]);
	});

	it('holds every waiting caller during pause() and resumes one at a time rather than in a burst', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 3, burst: 3, now: clock.now, sleep: clock.sleep });
		throttle.pause(2000);
		const grants = acquireAll(throttle, clock, 4);
		await clock.advanceBy(1999);
		expect(grants).toEqual([]);
		await clock.advanceBy(1);
		expect(grants.map((g) => g.at)).toEqual([2000]);
		await clock.advanceBy(2000);
		const gaps = grants.slice(1).map((g, i) => g.at - grants[i].at);
		expect(gaps).toHaveLength(3);
		gaps.forEach((gap) => expect(gap).toBeGreaterThanOrEqual(333));
		gaps.forEach((gap) => expect(gap).toBeLessThanOrEqual(335));
	});

	it('keeps the longer of two overlapping pauses', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 10, burst: 1, now: clock.now, sleep: clock.sleep });
		throttle.pause(3000);
		throttle.pause(1000);
		const grants = acquireAll(throttle, clock, 1);
		await clock.advanceBy(2999);
		expect(grants).toEqual([]);
		await clock.advanceBy(1);
		expect(grants).toHaveLength(1);
	});

	it('is shared per integration key across the process', () => {
		const first = requestThrottleFor('test:notion:a', { rate: 3 });
		expect(requestThrottleFor('test:notion:a', { rate: 3 })).toBe(first);
		expect(requestThrottleFor('test:notion:b', { rate: 3 })).not.toBe(first);
	});

	it('keys integrations by a hash that never contains the secret itself', () => {
		const secret = 'secret_abcdefghijklmnopqrstuvwxyz0123456789';
		const key = integrationKey('notion', secret);
		expect(key).toMatch(/^notion:[0-9a-f]{16}$/);
		expect(key).not.toContain(secret.slice(7, 20));
		expect(integrationKey('notion', secret)).toBe(key);
		expect(integrationKey('notion', `${secret}x`)).not.toBe(key);
	});

	it('rejects a rate that is not positive', () => {
		expect(() => new RequestThrottle({ rate: 0 })).toThrow('rate');
	});
});
