import { dropboxProvider, dropboxRetryable } from '../../../lib/providers/dropbox';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { bearerFetch, folderSource, listingRuns, testConnection } from './helpers';

describe('Dropbox requests under rate limits and outages', () => {
	let dropbox: FakeDropbox;

	beforeEach(async () => {
		dropbox = await startFakeDropbox();
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/a.txt', 'a');
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await dropbox.close();
	});

	it('rides out a 429 storm, honouring Retry-After, and lists everything once', async () => {
		const runs = await listingRuns(dropbox, testConnection(dropbox));
		try {
			dropbox.failNext(3, { status: 429, retryAfter: 1, path: '/2/files/list_folder' });
			const started = Date.now();

			const result = await runs.run(folderSource('/Docs'));

			expect(result.items.map((item) => item.path)).toEqual(['/a.txt']);
			expect(dropbox.rateLimitedCount).toBe(3);
			expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
		} finally {
			await runs.close();
		}
	}, 20_000);

	it('retries too_many_write_operations, 5xx and dropped connections', async () => {
		const connection = testConnection(dropbox);
		dropbox.failNext(1, { status: 429, retryAfter: 0, reason: 'too_many_write_operations' });
		dropbox.failNext(1, { status: 409, reason: 'path/too_many_write_operations' });
		dropbox.failNext(1, { status: 503 });
		dropbox.failNext(1, { reset: true });

		expect(await dropboxProvider.account(connection)).toMatchObject({ email: 'alice@example.com' });
		expect(dropbox.calls('users/get_current_account').map((call) => call.status)).toEqual([429, 409, 503, 0, 200]);
	}, 20_000);

	it('does not retry route errors that are answers, such as path/not_found', async () => {
		const answer = new Response(JSON.stringify({ error_summary: 'path/not_found/..', error: {} }), { status: 409 });
		expect(await dropboxRetryable(answer)).toBe(false);
		expect(await answer.json()).toMatchObject({ error_summary: 'path/not_found/..' });
	});

	it('opens the circuit for one credential after Dropbox keeps failing, without pausing another credential', async () => {
		const token = dropbox.issueTokens().access_token;
		// No retry budget (read when a connection is made): each call is one attempt, so five calls are five failures in a row.
		process.env.CONNECTORS_RETRY_BUDGET_SECONDS = '0';
		try {
			const failing = testConnection(dropbox, bearerFetch(token));
			const other = testConnection(dropbox, bearerFetch(token));
			dropbox.failNext(5, { status: 500, retryAfter: 0, path: '/2/users/get_current_account' });
			for (let attempt = 0; attempt < 5; attempt++) await expect(dropboxProvider.account(failing)).rejects.toMatchObject({ status: 500 });

			await expect(dropboxProvider.account(failing)).rejects.toMatchObject({ code: 'provider_unavailable', message: expect.stringContaining('Dropbox keeps failing') });
			expect(await dropboxProvider.account(other)).toMatchObject({ email: 'alice@example.com' });
		} finally {
			delete process.env.CONNECTORS_RETRY_BUDGET_SECONDS;
		}
	}, 20_000);
});
