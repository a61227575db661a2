import { randomUUID } from 'node:crypto';

import type { Client } from '@notionhq/client';

import { notionClient } from '../../../lib/providers/notion';
import type { FakeNotion } from '../../fakes/notionApi';

/** A client through the library (throttle, retries) with its own integration key, fast enough for tests. */
export function testClient(notion: FakeNotion, requestsPerSecond = 200): Client {
	return notionClient({ baseUrl: notion.url, auth: notion.token, integrationKey: `test:${randomUUID()}`, requestsPerSecond });
}
