import { randomUUID } from 'node:crypto';

import { notionClient, notionProvider, serverTimeOf } from '../../../lib/providers/notion';
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

	it('connects the provider through the fetch the node signs with, on the configured API URL, retrying Notion’s transient errors', async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity, now: '2025-05-06T07:08:09Z' });
		const previousUrl = process.env.CONNECTORS_NOTION_API_URL;
		process.env.CONNECTORS_NOTION_API_URL = notion.url;
		const sent: string[] = [];
		const signing: typeof fetch = async (input, init) => {
			const request = new Request(input, init);
			sent.push(`${request.method} ${request.url}`);
			request.headers.set('authorization', `Bearer ${notion.token}`);
			return await fetch(request);
		};
		try {
			const connection = notionProvider.connect({ fetch: signing, credentialKey: `notionConnectorApi:${randomUUID()}` });
			notion.failNext(1, { status: 503 });

			expect((await notionProvider.account(connection)).accountId).toBe(notion.workspace.id);
			expect(sent).toEqual([`GET ${notion.url}/v1/users/me`, `GET ${notion.url}/v1/users/me`]);
			expect(serverTimeOf(connection)).toBe(Date.parse('2025-05-06T07:08:09Z'));
		} finally {
			if (previousUrl === undefined) delete process.env.CONNECTORS_NOTION_API_URL;
			else process.env.CONNECTORS_NOTION_API_URL = previousUrl;
		}
	});
});
