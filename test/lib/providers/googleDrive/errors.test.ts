import { resilientFetch } from '../../../../lib/http/resilientFetch';
import { createDriveClient } from '../../../../lib/providers/googleDrive/client';
import { googleErrorOf, isGoogleRetryable } from '../../../../lib/providers/googleDrive/errors';
import { googleError, recordingSleep, scriptedFetch, status } from '../../http/fakeFetch';

describe('isGoogleRetryable', () => {
	it.each([429, 500, 502, 503, 504])('retries a %i', async (code) => {
		expect(await isGoogleRetryable(status(code))).toBe(true);
	});

	it.each(['rateLimitExceeded', 'userRateLimitExceeded'])('retries a 403 whose reason is %s', async (reason) => {
		expect(await isGoogleRetryable(googleError(403, reason))).toBe(true);
	});

	it.each(['fileNotDownloadable', 'cannotDownloadAbusiveFile', 'exportSizeLimitExceeded', 'insufficientFilePermissions'])(
		'does not retry a 403 whose reason is %s',
		async (reason) => {
			expect(await isGoogleRetryable(googleError(403, reason))).toBe(false);
		},
	);

	it('does not retry a 403 whose body is not Google JSON', async () => {
		expect(await isGoogleRetryable(status(403, {}, '<html>Forbidden</html>'))).toBe(false);
	});

	it.each([400, 401, 404])('does not retry a %i', async (code) => {
		expect(await isGoogleRetryable(googleError(code, 'rateLimitExceeded'))).toBe(false);
	});

	it('leaves the body readable for the SDK after inspecting it', async () => {
		const response = googleError(403, 'fileNotDownloadable');
		await isGoogleRetryable(response);
		expect(await response.json()).toMatchObject({ error: { errors: [{ reason: 'fileNotDownloadable' }] } });
	});

	it('lets resilientFetch retry a Drive rate limit but hand a download refusal straight to the SDK', async () => {
		const sleep = recordingSleep();
		const rateLimited = scriptedFetch(googleError(403, 'userRateLimitExceeded'), status(200, {}, 'content'));
		const driveFetch = resilientFetch(rateLimited, { isRetryable: isGoogleRetryable }, { sleep });
		expect(await (await driveFetch('https://www.googleapis.com/drive/v3/files/1?alt=media')).text()).toBe('content');
		expect(rateLimited.sent).toHaveLength(2);

		const refused = scriptedFetch(googleError(403, 'cannotDownloadAbusiveFile'), status(200));
		const response = await resilientFetch(refused, { isRetryable: isGoogleRetryable }, { sleep })(
			'https://www.googleapis.com/drive/v3/files/2?alt=media',
		);
		expect(response.status).toBe(403);
		expect(refused.sent).toHaveLength(1);
		expect(await response.json()).toMatchObject({ error: { errors: [{ reason: 'cannotDownloadAbusiveFile' }] } });
	});
});

describe('googleErrorOf', () => {
	const client = (answer: Response) => createDriveClient({ fetch: scriptedFetch(answer), apiUrl: 'https://www.googleapis.com' });

	async function thrownBy(call: Promise<unknown>): Promise<unknown> {
		try {
			await call;
		} catch (error) {
			return error;
		}
		throw new Error('expected the call to fail');
	}

	it("reads the status, reason and location of the Drive client's error", async () => {
		const refused = new Response(
			JSON.stringify({ error: { code: 400, message: 'Invalid Value', errors: [{ reason: 'invalid', location: 'pageToken' }] } }),
			{ status: 400, headers: { 'content-type': 'application/json' } },
		);
		const error = await thrownBy(client(refused).changes.list({ pageToken: 'stale' }));

		expect(googleErrorOf(error)).toEqual({ status: 400, reason: 'invalid', location: 'pageToken', message: 'Invalid Value' });
	});

	it('reads the reason of a streamed download, whose error body the client leaves as JSON text', async () => {
		const error = await thrownBy(
			client(googleError(403, 'exportSizeLimitExceeded')).files.export({ fileId: '1AbCdEfGhIjK', mimeType: 'text/plain' }, { responseType: 'stream' }),
		);

		expect(googleErrorOf(error)).toMatchObject({ status: 403, reason: 'exportSizeLimitExceeded' });
	});

	it('gives only the message of an error that is not from Google', () => {
		expect(googleErrorOf(new TypeError('fetch failed'))).toEqual({ message: 'fetch failed' });
		expect(googleErrorOf('gone')).toEqual({ message: 'gone' });
	});
});
