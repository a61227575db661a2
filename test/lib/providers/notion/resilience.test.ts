import { integrationKey } from '../../../../lib/http';
import { notionResilience, notionRetryable } from '../../../../lib/providers/notion/resilience';
import { status } from '../../http/fakeFetch';

describe('notionRetryable', () => {
	it.each([429, 500, 502, 503, 504])('retries a %i', async (code) => {
		expect(await notionRetryable(status(code))).toBe(true);
		expect(await notionResilience.isRetryable(status(code))).toBe(true);
	});

	it.each([400, 401, 403, 404, 409])('does not retry a %i', async (code) => {
		expect(await notionRetryable(status(code))).toBe(false);
	});
});

describe('notionResilience.breakerKey', () => {
	it('shares one breaker and throttle per credential, under a key that does not show the credential', () => {
		const key = notionResilience.breakerKey('notionConnectorApi:cred1');
		expect(key).toBe(integrationKey('notion', 'notionConnectorApi:cred1'));
		expect(key).toMatch(/^notion:[0-9a-f]{16}$/);
		expect(notionResilience.breakerKey('notionConnectorApi:cred2')).not.toBe(key);
	});
});
