import { ConnectorError } from '../../../lib/errors';
import { CircuitBreaker, circuitBreakerFor } from '../../../lib/http/circuitBreaker';
import { resilientFetch } from '../../../lib/http/resilientFetch';
import { recordingSleep, scriptedFetch, status } from './fakeFetch';

function breakerWithClock(options: { failureThreshold?: number; coolDownMs?: number; maxCoolDownMs?: number } = {}) {
	const clock = { time: 0 };
	const breaker = new CircuitBreaker({ providerName: 'Google Drive', now: () => clock.time, ...options });
	return { breaker, clock };
}

function failFastError(breaker: CircuitBreaker): ConnectorError {
	try {
		breaker.beforeRequest();
	} catch (error) {
		if (error instanceof ConnectorError) return error;
		throw error;
	}
	throw new Error('expected the breaker to fail fast');
}

describe('CircuitBreaker', () => {
	it('stays closed until the threshold of consecutive failed requests is reached', () => {
		const { breaker } = breakerWithClock({ failureThreshold: 3 });
		breaker.recordFailure('503 Service Unavailable');
		breaker.recordFailure('503 Service Unavailable');
		expect(breaker.state).toBe('closed');
		expect(() => breaker.beforeRequest()).not.toThrow();
		breaker.recordFailure('503 Service Unavailable');
		expect(breaker.state).toBe('open');
	});

	it('forgets earlier failures after a success', () => {
		const { breaker } = breakerWithClock({ failureThreshold: 2 });
		breaker.recordFailure('503');
		breaker.recordSuccess();
		breaker.recordFailure('503');
		expect(breaker.state).toBe('closed');
	});

	it('fails fast while open with a provider_unavailable error that names the provider, the last failure and the pause', () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 30_000 });
		breaker.recordFailure('503 Service Unavailable');
		const error = failFastError(breaker);
		expect(error.code).toBe('provider_unavailable');
		expect(error.message).toBe(
			'Google Drive keeps failing (last: 503 Service Unavailable); paused for 30 s to avoid hammering it — the run will retry later',
		);
		clock.time = 20_500;
		expect(failFastError(breaker).message).toContain('paused for 10 s');
	});

	it('lets exactly one probe through after the cool-down and closes when it succeeds', () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 30_000 });
		breaker.recordFailure('503');
		clock.time = 30_000;
		expect(breaker.state).toBe('half-open');
		expect(() => breaker.beforeRequest()).not.toThrow();
		expect(failFastError(breaker).code).toBe('provider_unavailable');
		breaker.recordSuccess();
		expect(breaker.state).toBe('closed');
		expect(() => breaker.beforeRequest()).not.toThrow();
	});

	it('reopens for twice as long when the probe fails, up to the maximum cool-down', () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 30_000, maxCoolDownMs: 100_000 });
		breaker.recordFailure('503');
		const probeFails = (at: number) => {
			clock.time = at;
			breaker.beforeRequest();
			breaker.recordFailure('502 Bad Gateway');
		};
		probeFails(30_000);
		clock.time = 89_999;
		expect(breaker.state).toBe('open');
		probeFails(90_000);
		clock.time = 90_000 + 99_999;
		expect(failFastError(breaker).message).toContain('last: 502 Bad Gateway');
		clock.time = 190_000;
		expect(breaker.state).toBe('half-open');
	});

	it('restarts from the base cool-down once a probe has succeeded', () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 1000 });
		breaker.recordFailure('503');
		clock.time = 1000;
		breaker.beforeRequest();
		breaker.recordFailure('503');
		clock.time = 3000;
		breaker.beforeRequest();
		breaker.recordSuccess();
		breaker.recordFailure('503');
		clock.time = 3999;
		expect(breaker.state).toBe('open');
		clock.time = 4000;
		expect(breaker.state).toBe('half-open');
	});

	it('frees the probe slot when the probe is abandoned without a verdict', () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 1000 });
		breaker.recordFailure('503');
		clock.time = 1000;
		breaker.beforeRequest();
		breaker.recordAbandoned();
		expect(() => breaker.beforeRequest()).not.toThrow();
	});

	it('is shared per provider key across the process', () => {
		const first = circuitBreakerFor('test:drive', { providerName: 'Google Drive' });
		expect(circuitBreakerFor('test:drive', { providerName: 'Google Drive' })).toBe(first);
		expect(circuitBreakerFor('test:notion', { providerName: 'Notion' })).not.toBe(first);
	});
});

describe('resilientFetch with a circuit breaker', () => {
	it('opens after N requests exhaust their attempts, then fails fast without calling the provider', async () => {
		const { breaker } = breakerWithClock({ failureThreshold: 2 });
		const inner = scriptedFetch(status(503));
		const driveFetch = resilientFetch(inner, { maxAttempts: 2, breaker }, { sleep: recordingSleep() });
		expect((await driveFetch('https://drive.test/a')).status).toBe(503);
		expect((await driveFetch('https://drive.test/b')).status).toBe(503);
		expect(inner.sent).toHaveLength(4);

		await expect(driveFetch('https://drive.test/c')).rejects.toMatchObject({
			code: 'provider_unavailable',
			message: expect.stringContaining('Google Drive keeps failing (last: 503 Service Unavailable); paused for 30 s'),
		});
		expect(inner.sent).toHaveLength(4);
	});

	it('counts answers that retrying cannot fix, such as 404, as the provider being healthy', async () => {
		const { breaker } = breakerWithClock({ failureThreshold: 2 });
		const inner = scriptedFetch(status(503), status(404), status(503));
		const driveFetch = resilientFetch(inner, { maxAttempts: 1, breaker }, { sleep: recordingSleep() });
		await driveFetch('https://drive.test/a');
		await driveFetch('https://drive.test/b');
		await driveFetch('https://drive.test/c');
		expect(breaker.state).toBe('closed');
	});

	it('closes again when the half-open probe succeeds', async () => {
		const { breaker, clock } = breakerWithClock({ failureThreshold: 1, coolDownMs: 30_000 });
		const inner = scriptedFetch(status(500), status(200));
		const driveFetch = resilientFetch(inner, { maxAttempts: 1, breaker }, { sleep: recordingSleep() });
		await driveFetch('https://drive.test/a');
		await expect(driveFetch('https://drive.test/b')).rejects.toBeInstanceOf(ConnectorError);
		clock.time = 30_000;
		expect((await driveFetch('https://drive.test/c')).status).toBe(200);
		expect(breaker.state).toBe('closed');
	});
});
