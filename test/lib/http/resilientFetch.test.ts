import { resilientFetch } from '../../../lib/http/resilientFetch';
import { RequestThrottle } from '../../../lib/http/requestThrottle';
import { connectionReset, recordingSleep, scriptedFetch, status } from './fakeFetch';
import { FakeClock } from './fakeClock';

const URL_ = 'https://api.example.test/v1/things';

describe('resilientFetch', () => {
	it('returns a successful response after a single attempt without waiting', async () => {
		const inner = scriptedFetch(status(200, {}, 'ok'));
		const sleep = recordingSleep();
		const response = await resilientFetch(inner, {}, { sleep })(URL_);
		expect(await response.text()).toBe('ok');
		expect(inner.sent).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
	});

	it.each([400, 401, 403, 404, 409])('returns a %i at once, since retrying cannot change it', async (code) => {
		const inner = scriptedFetch(status(code), status(200));
		const sleep = recordingSleep();
		const response = await resilientFetch(inner, {}, { sleep })(URL_);
		expect(response.status).toBe(code);
		expect(inner.sent).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
	});

	it('retries 429 and 5xx with exponentially growing backoff', async () => {
		const inner = scriptedFetch(status(503), status(502), status(500), status(429), status(200));
		const sleep = recordingSleep();
		const fetchWithRetries = resilientFetch(inner, { baseDelayMs: 100, maxDelayMs: 1000 }, { sleep, random: () => 0.5 });
		const response = await fetchWithRetries(URL_);
		expect(response.status).toBe(200);
		expect(sleep.waits).toEqual([50, 100, 200, 400]);
	});

	it('jitters each wait anywhere between zero and its exponential ceiling, capped at maxDelayMs', async () => {
		const randoms = [0, 0.999, 0.3, 0.999, 0.999, 0.7];
		const inner = scriptedFetch(status(503));
		const sleep = recordingSleep();
		const fetchWithRetries = resilientFetch(
			inner,
			{ maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1000 },
			{ sleep, random: () => randoms.shift() ?? 0 },
		);
		await fetchWithRetries(URL_);
		const ceilings = [100, 200, 400, 800, 1000, 1000];
		expect(sleep.waits).toHaveLength(6);
		sleep.waits.forEach((wait, i) => {
			expect(wait).toBeGreaterThanOrEqual(0);
			expect(wait).toBeLessThan(ceilings[i]);
		});
		expect(sleep.waits[0]).toBe(0);
		expect(sleep.waits[3]).toBe(799);
		expect(sleep.waits[4]).toBe(999);
	});

	it('gives up after maxAttempts and returns the last response so the SDK raises its usual error', async () => {
		const inner = scriptedFetch(status(503, {}, '{"error":"still down"}'));
		const sleep = recordingSleep();
		const fetchWithRetries = resilientFetch(inner, { maxAttempts: 3 }, { sleep });
		const response = await fetchWithRetries(URL_);
		expect(response.status).toBe(503);
		expect(await response.json()).toEqual({ error: 'still down' });
		expect(inner.sent).toHaveLength(3);
		expect(fetchWithRetries.stats).toMatchObject({ requests: 1, attempts: 3, retries: 2 });
	});

	it('waits the seconds a Retry-After header asks for (with no jitter drawn)', async () => {
		const inner = scriptedFetch(status(429, { 'retry-after': '3' }), status(200));
		const sleep = recordingSleep();
		const fetchWithRetries = resilientFetch(inner, {}, { sleep, random: () => 0 });
		expect((await fetchWithRetries(URL_)).status).toBe(200);
		expect(sleep.waits).toEqual([3000]);
		expect(fetchWithRetries.stats).toMatchObject({ rateLimited: 1, retries: 1, waitedMs: 3000 });
	});

	it('waits until the HTTP date a Retry-After header names', async () => {
		const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
		const inner = scriptedFetch(status(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:12 GMT' }), status(200));
		const sleep = recordingSleep();
		await resilientFetch(inner, {}, { sleep, now: () => now, random: () => 0 })(URL_);
		expect(sleep.waits).toEqual([12_000]);
	});

	it('honours a Retry-After longer than maxDelayMs as long as it stays under the hard ceiling', async () => {
		const inner = scriptedFetch(status(429, { 'retry-after': '90' }), status(200));
		const sleep = recordingSleep();
		await resilientFetch(inner, { maxDelayMs: 30_000 }, { sleep, random: () => 0 })(URL_);
		expect(sleep.waits).toEqual([90_000]);
	});

	it('adds up to a tenth of Retry-After, at most a second, so callers told the same wait do not return together', async () => {
		const waitsFor = async (retryAfter: string, random: number) => {
			const sleep = recordingSleep();
			await resilientFetch(scriptedFetch(status(429, { 'retry-after': retryAfter }), status(200)), {}, { sleep, random: () => random })(URL_);
			return sleep.waits[0];
		};
		expect(await waitsFor('2', 0.999)).toBe(2199);
		expect(await waitsFor('60', 0.999)).toBe(60_999);
		expect(await waitsFor('0', 0.5)).toBe(25);
	});

	it('keeps retrying a rate limit for as long as the time budget lasts, then returns the last answer', async () => {
		const clock = new FakeClock();
		const inner = scriptedFetch(status(429, { 'retry-after': '1' }));
		let answer: Response | undefined;
		void resilientFetch(inner, { retryBudgetMs: 60_000 }, { sleep: clock.sleep, now: clock.now, random: () => 0 })(URL_).then((response) => {
			answer = response;
		});
		await clock.advanceBy(59_000);
		expect(answer).toBeUndefined();
		expect(inner.sent).toHaveLength(60);
		await clock.advanceBy(1000);
		expect(answer?.status).toBe(429);
		// The 61st answer comes at 60 s: no budget left for another wait.
		expect(inner.sent).toHaveLength(61);
	});

	it('survives ten 429s in a row with the default budget, where a count of five attempts used to give up', async () => {
		const clock = new FakeClock();
		const inner = scriptedFetch(...Array.from({ length: 10 }, () => status(429, { 'retry-after': '1' })), status(200));
		let answer: Response | undefined;
		const fetchWithRetries = resilientFetch(inner, {}, { sleep: clock.sleep, now: clock.now });
		void fetchWithRetries(URL_).then((response) => {
			answer = response;
		});
		await clock.advanceBy(20_000);
		expect(answer?.status).toBe(200);
		expect(fetchWithRetries.stats).toMatchObject({ attempts: 11, rateLimited: 10 });
	});

	it('does not take a Retry-After wait that ends past the budget', async () => {
		const clock = new FakeClock();
		const inner = scriptedFetch(status(503), status(429, { 'retry-after': '30' }), status(200));
		let answer: Response | undefined;
		void resilientFetch(inner, { retryBudgetMs: 20_000, baseDelayMs: 1000 }, { sleep: clock.sleep, now: clock.now, random: () => 0.5 })(URL_).then((response) => {
			answer = response;
		});
		await clock.advanceBy(1000);
		expect(answer?.status).toBe(429);
		expect(inner.sent).toHaveLength(2);
	});

	it('shortens the last backoff to the budget left, so the final attempt lands within it', async () => {
		const clock = new FakeClock();
		const inner = scriptedFetch(status(503));
		const waits: number[] = [];
		await Promise.race([
			resilientFetch(inner, { retryBudgetMs: 5000, baseDelayMs: 4000, maxDelayMs: 30_000 }, {
				sleep: (ms) => (waits.push(ms), clock.sleep(ms)),
				now: clock.now,
				random: () => 0.999,
			})(URL_),
			clock.advanceBy(10_000),
		]);
		await clock.advanceBy(10_000);
		expect(waits).toEqual([3996, 1004]);
		expect(inner.sent).toHaveLength(3);
	});

	it('rethrows a network error once the budget is spent', async () => {
		const clock = new FakeClock();
		const inner = scriptedFetch(connectionReset());
		let failure: unknown;
		void resilientFetch(inner, { retryBudgetMs: 3000, baseDelayMs: 1000 }, { sleep: clock.sleep, now: clock.now, random: () => 0.999 })(URL_).catch(
			(error: unknown) => {
				failure = error;
			},
		);
		await clock.advanceBy(5000);
		expect(String(failure)).toMatch(/fetch failed/);
	});

	it('stops retrying when Retry-After exceeds the hard ceiling rather than coming back too early', async () => {
		const inner = scriptedFetch(status(429, { 'retry-after': '600' }), status(200));
		const sleep = recordingSleep();
		const response = await resilientFetch(inner, { retryAfterCeilingMs: 120_000 }, { sleep })(URL_);
		expect(response.status).toBe(429);
		expect(inner.sent).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
	});

	it('falls back to backoff when Retry-After is unreadable', async () => {
		const inner = scriptedFetch(status(429, { 'retry-after': 'later' }), status(200));
		const sleep = recordingSleep();
		await resilientFetch(inner, { baseDelayMs: 100 }, { sleep, random: () => 0.5 })(URL_);
		expect(sleep.waits).toEqual([50]);
	});

	it('retries dropped connections, refused connections and socket hang-ups', async () => {
		const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
		const hangUp = new Error('socket hang up');
		const inner = scriptedFetch(connectionReset(), refused, hangUp, status(200));
		const sleep = recordingSleep();
		const fetchWithRetries = resilientFetch(inner, {}, { sleep });
		expect((await fetchWithRetries(URL_)).status).toBe(200);
		expect(inner.sent).toHaveLength(4);
		expect(fetchWithRetries.stats).toMatchObject({ networkErrors: 3, retries: 3 });
	});

	it('rethrows the network error once every attempt has failed', async () => {
		const inner = scriptedFetch(connectionReset());
		await expect(resilientFetch(inner, { maxAttempts: 2 }, { sleep: recordingSleep() })(URL_)).rejects.toThrow('fetch failed');
		expect(inner.sent).toHaveLength(2);
	});

	it('does not retry a request the caller aborted', async () => {
		const inner = scriptedFetch(new DOMException('This operation was aborted', 'AbortError'), status(200));
		await expect(resilientFetch(inner, {}, { sleep: recordingSleep() })(URL_)).rejects.toMatchObject({ name: 'AbortError' });
		expect(inner.sent).toHaveLength(1);
	});

	it('does not retry errors that are not about the connection', async () => {
		const inner = scriptedFetch(new TypeError('Invalid URL'), status(200));
		await expect(resilientFetch(inner, {}, { sleep: recordingSleep() })(URL_)).rejects.toThrow('Invalid URL');
		expect(inner.sent).toHaveLength(1);
	});

	it('stops waiting between attempts as soon as the caller aborts', async () => {
		const inner = scriptedFetch(status(503));
		const controller = new AbortController();
		const started = Date.now();
		const pending = resilientFetch(inner, { baseDelayMs: 60_000 }, { random: () => 0.99 })(URL_, { signal: controller.signal });
		setTimeout(() => controller.abort(), 10);
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('replays a POST string body identically on every attempt', async () => {
		const inner = scriptedFetch(status(503), status(503), status(200));
		const body = JSON.stringify({ filter: { property: 'Status' }, page_size: 100 });
		await resilientFetch(inner, {}, { sleep: recordingSleep() })(URL_, { method: 'POST', body });
		expect(inner.sent.map((sent) => [sent.method, sent.body])).toEqual([
			['POST', body],
			['POST', body],
			['POST', body],
		]);
	});

	it('replays a buffer body identically even if the caller reuses its buffer afterwards', async () => {
		const inner = scriptedFetch(connectionReset(), status(200));
		const buffer = Buffer.from('original bytes');
		const sleep = async () => {
			buffer.fill(0);
		};
		await resilientFetch(inner, {}, { sleep })(URL_, { method: 'PUT', body: buffer });
		expect(inner.sent.map((sent) => sent.body)).toEqual(['original bytes', 'original bytes']);
	});

	it('replays the body of a Request object in a fresh Request each attempt', async () => {
		const inner = scriptedFetch(status(500), status(200));
		const request = new Request(URL_, { method: 'PATCH', body: '{"archived":false}', headers: { 'x-trace': 'abc' } });
		const seenHeaders: Array<string | null> = [];
		const spy: typeof fetch = async (input, init) => {
			seenHeaders.push((input instanceof Request ? input : new Request(input, init)).headers.get('x-trace'));
			return inner(input, init);
		};
		await resilientFetch(spy, {}, { sleep: recordingSleep() })(request);
		expect(inner.sent.map((sent) => [sent.method, sent.body])).toEqual([
			['PATCH', '{"archived":false}'],
			['PATCH', '{"archived":false}'],
		]);
		expect(seenHeaders).toEqual(['abc', 'abc']);
	});

	it('sends a streamed body once and does not retry it, since it cannot be replayed', async () => {
		const inner = scriptedFetch(status(503), status(200));
		const stream = new Blob(['streamed']).stream();
		const response = await resilientFetch(inner, {}, { sleep: recordingSleep() })(URL_, {
			method: 'POST',
			body: stream,
			duplex: 'half',
		} as RequestInit);
		expect(response.status).toBe(503);
		expect(inner.sent).toHaveLength(1);
	});

	it('reports every retry to onRetry with the reason and the wait', async () => {
		const events: unknown[] = [];
		const inner = scriptedFetch(status(429, { 'retry-after': '2' }), connectionReset(), status(200));
		await resilientFetch(
			inner,
			{ baseDelayMs: 100, onRetry: (event) => events.push(event) },
			{ sleep: recordingSleep(), random: () => 0.5 },
		)(URL_);
		expect(events).toEqual([
			// Retry-After's 2 s and a jitter of half its tenth.
			{ attempt: 1, delayMs: 2100, reason: '429 Too Many Requests', status: 429, url: URL_, startedAt: expect.any(Number) },
			{ attempt: 2, delayMs: 100, reason: 'ECONNRESET', status: undefined, url: URL_, startedAt: expect.any(Number) },
		]);
	});

	it('uses a custom isRetryable hook instead of the default statuses', async () => {
		const inner = scriptedFetch(status(409), status(200));
		const response = await resilientFetch(
			inner,
			{ isRetryable: async (r) => r.status === 409 },
			{ sleep: recordingSleep() },
		)(URL_);
		expect(response.status).toBe(200);
	});

	it('takes a throttle permit before every attempt', async () => {
		const inner = scriptedFetch(status(503), status(200));
		const throttle = new RequestThrottle({ rate: 1000, burst: 10 });
		const acquire = jest.spyOn(throttle, 'acquire');
		await resilientFetch(inner, { throttle }, { sleep: recordingSleep() })(URL_);
		expect(acquire).toHaveBeenCalledTimes(2);
	});

	it('pauses the shared throttle on a 429 so concurrent callers back off together', async () => {
		const clock = new FakeClock();
		const throttle = new RequestThrottle({ rate: 100, burst: 10, now: clock.now, sleep: clock.sleep });
		const inner = scriptedFetch(status(429, { 'retry-after': '5' }), status(200));
		let retried = false;
		void resilientFetch(inner, { throttle }, { sleep: recordingSleep(), now: clock.now, random: () => 0 })(URL_).then(() => {
			retried = true;
		});
		await clock.advanceBy(0);
		expect(inner.sent).toHaveLength(1);

		let otherCallerGotPermit = false;
		void throttle.acquire().then(() => {
			otherCallerGotPermit = true;
		});
		await clock.advanceBy(4900);
		expect([retried, otherCallerGotPermit]).toEqual([false, false]);
		await clock.advanceBy(200);
		expect([retried, otherCallerGotPermit]).toEqual([true, true]);
	});

	it('pauses the shared throttle on a rate-limit 403 the provider calls retryable, as on a 429', async () => {
		const throttle = new RequestThrottle({ rate: 1000, burst: 10 });
		const pause = jest.spyOn(throttle, 'pause');
		const inner = scriptedFetch(status(403, { 'retry-after': '2' }), status(200));
		await resilientFetch(inner, { throttle, isRetryable: async (r) => r.status === 403 }, { sleep: recordingSleep(), random: () => 0 })(URL_);
		expect(pause).toHaveBeenCalledWith(2000);
	});

	it('rejects a budget that is negative or endless', () => {
		expect(() => resilientFetch(scriptedFetch(status(200)), { retryBudgetMs: -1 })).toThrow('retryBudgetMs');
		expect(() => resilientFetch(scriptedFetch(status(200)), { retryBudgetMs: Infinity })).toThrow('retryBudgetMs');
	});

	it('rejects a policy that allows no attempts', () => {
		expect(() => resilientFetch(scriptedFetch(status(200)), { maxAttempts: 0 })).toThrow('maxAttempts');
	});
});
