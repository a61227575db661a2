import { backoffDelayMs, retryAfterMs } from '../../../lib/http/backoff';

describe('backoffDelayMs', () => {
	it('doubles the ceiling with each attempt and jitters below it', () => {
		expect(backoffDelayMs(1, 500, 30_000, () => 0.999)).toBe(499);
		expect(backoffDelayMs(2, 500, 30_000, () => 0.999)).toBe(999);
		expect(backoffDelayMs(4, 500, 30_000, () => 0.999)).toBe(3996);
		expect(backoffDelayMs(4, 500, 30_000, () => 0)).toBe(0);
		expect(backoffDelayMs(4, 500, 30_000, () => 0.5)).toBe(2000);
	});

	it('never exceeds maxDelayMs however many attempts were made', () => {
		expect(backoffDelayMs(30, 500, 30_000, () => 0.999)).toBeLessThan(30_000);
	});
});

describe('retryAfterMs', () => {
	it('reads delta-seconds, fractional ones too', () => {
		expect(retryAfterMs('2', 0)).toBe(2000);
		expect(retryAfterMs(' 1.5 ', 0)).toBe(1500);
	});

	it('reads an HTTP date relative to now and never goes negative', () => {
		const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
		expect(retryAfterMs('Wed, 21 Oct 2015 07:28:07 GMT', now)).toBe(7000);
		expect(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
	});

	it('ignores a missing or unreadable header', () => {
		expect(retryAfterMs(null, 0)).toBeUndefined();
		expect(retryAfterMs('soon', 0)).toBeUndefined();
		expect(retryAfterMs('', 0)).toBeUndefined();
	});
});
