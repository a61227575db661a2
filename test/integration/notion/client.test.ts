import { randomUUID } from 'node:crypto';

import { notionClient, serverTimeOf } from '../../../lib/providers/notion';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';

describe('notionClient against the strict fake Notion', () => {
	let notion: FakeNotion;

	afterEach(async () => {
		expect(notion.internalErrors).toEqual([]);
		await notion.close();
	});

	it('shares one request budget between every client of the same integration, so Notion never answers 429', async () => {
		notion = await startFakeNotion({ requestsPerSecond: 5, burst: 10 });
		const integrationKey = `test:${randomUUID()}`;
		const clients = [1, 2].map(() => notionClient({ baseUrl: notion.url, auth: notion.token, integrationKey, requestsPerSecond: 5 }));

		const started = Date.now();
		await Promise.all(Array.from({ length: 20 }, (_, index) => clients[index % 2].users.me({})));

		expect(notion.rateLimitedCount).toBe(0);
		// A burst of 5, then 15 more at 5 per second.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
	});

	it('retries Notion’s transient errors and reads its clock from the Date header', async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity, now: '2025-05-06T07:08:09Z' });
		const client = notionClient({ baseUrl: notion.url, auth: notion.token, integrationKey: `test:${randomUUID()}`, requestsPerSecond: 100 });
		notion.failNext(2, { status: 503 });

		expect((await client.users.me({})).id).toBe(notion.bot.id);
		expect(notion.apiRequests().filter((request) => request.status === 503)).toHaveLength(2);
		expect(serverTimeOf(client)).toBe(Date.parse('2025-05-06T07:08:09Z'));
	});
});
