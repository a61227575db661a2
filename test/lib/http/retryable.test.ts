import { resilientFetch } from '../../../lib/http/resilientFetch';
import { googleRetryable, isTransientNetworkError } from '../../../lib/http/retryable';
import { connectionReset, googleError, recordingSleep, scriptedFetch, status } from './fakeFetch';

describe('googleRetryable', () => {
	it.each([429, 500, 502, 503, 504])('retries a %i', async (code) => {
		expect(await googleRetryable(status(code))).toBe(true);
	});

	it.each(['rateLimitExceeded', 'userRateLimitExceeded'])('retries a 403 whose reason is %s', async (reason) => {
		expect(await googleRetryable(googleError(403, reason))).toBe(true);
	});

	it.each(['fileNotDownloadable', 'cannotDownloadAbusiveFile', 'exportSizeLimitExceeded', 'insufficientFilePermissions'])(
		'does not retry a 403 whose reason is %s',
		async (reason) => {
			expect(await googleRetryable(googleError(403, reason))).toBe(false);
		},
	);

	it('does not retry a 403 whose body is not Google JSON', async () => {
		expect(await googleRetryable(status(403, {}, '<html>Forbidden</html>'))).toBe(false);
	});

	it.each([400, 401, 404])('does not retry a %i', async (code) => {
		expect(await googleRetryable(googleError(code, 'rateLimitExceeded'))).toBe(false);
	});

	it('leaves the body readable for the SDK after inspecting it', async () => {
		const response = googleError(403, 'fileNotDownloadable');
		await googleRetryable(response);
		expect(await response.json()).toMatchObject({ error: { errors: [{ reason: 'fileNotDownloadable' }] } });
	});

	it('lets resilientFetch retry a Drive rate limit but hand a download refusal straight to the SDK', async () => {
		const sleep = recordingSleep();
		const rateLimited = scriptedFetch(googleError(403, 'userRateLimitExceeded'), status(200, {}, 'content'));
		const driveFetch = resilientFetch(rateLimited, { isRetryable: googleRetryable }, { sleep });
		expect(await (await driveFetch('https://www.googleapis.com/drive/v3/files/1?alt=media')).text()).toBe('content');
		expect(rateLimited.sent).toHaveLength(2);

		const refused = scriptedFetch(googleError(403, 'cannotDownloadAbusiveFile'), status(200));
		const response = await resilientFetch(refused, { isRetryable: googleRetryable }, { sleep })(
			'https://www.googleapis.com/drive/v3/files/2?alt=media',
		);
		expect(response.status).toBe(403);
		expect(refused.sent).toHaveLength(1);
		expect(await response.json()).toMatchObject({ error: { errors: [{ reason: 'cannotDownloadAbusiveFile' }] } });
	});
});

describe('isTransientNetworkError', () => {
	it('recognises a dropped connection wrapped in "fetch failed"', () => {
		expect(isTransientNetworkError(connectionReset())).toBe(true);
	});

	it('recognises a socket hang-up and a refused connection', () => {
		expect(isTransientNetworkError(new Error('socket hang up'))).toBe(true);
		expect(isTransientNetworkError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
	});

	it('never treats an abort or a timeout the caller set as transient', () => {
		expect(isTransientNetworkError(new DOMException('aborted', 'AbortError'))).toBe(false);
		expect(isTransientNetworkError(new DOMException('timed out', 'TimeoutError'))).toBe(false);
		const abortWithResetCause = Object.assign(new Error('aborted', { cause: connectionReset() }), { name: 'AbortError' });
		expect(isTransientNetworkError(abortWithResetCause)).toBe(false);
	});

	it('does not treat programming errors as transient', () => {
		expect(isTransientNetworkError(new TypeError('Invalid URL'))).toBe(false);
		expect(isTransientNetworkError('ECONNRESET')).toBe(false);
	});
});
