import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Client } from '@notionhq/client';

import { notionClient, notionProvider, type NotionSource } from '../../../lib/providers/notion';
import type { ProviderAccount } from '../../../lib/providers/types';
import { openStore, type ConnectorStore } from '../../../lib/store';
import { listSource, type ListingOptions, type ListSourceResult } from '../../../lib/sync/listing';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';

/** A client through the library (throttle, retries) with its own integration key, fast enough for tests. */
export function testClient(notion: FakeNotion, requestsPerSecond = 200): Client {
	return notionClient({ baseUrl: notion.url, auth: notion.token, integrationKey: `test:${randomUUID()}`, requestsPerSecond });
}

/** A real store (the SQLite cache) in a folder of its own; `remove` closes it and deletes the folder. */
export async function temporaryStore(): Promise<{ store: ConnectorStore; remove(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'notion-store-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		store,
		remove: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** One test's strict fake Notion, a client on it and a store; `close` checks the fake had no internal error, then removes them. */
export async function fakeNotionWithStore(): Promise<{ notion: FakeNotion; client: Client; store: ConnectorStore; close(): Promise<void> }> {
	const notion = await startFakeNotion({ requestsPerSecond: Infinity });
	const { store, remove } = await temporaryStore();
	return {
		notion,
		client: testClient(notion),
		store,
		close: async () => {
			expect(notion.internalErrors).toEqual([]);
			await remove();
			await notion.close();
		},
	};
}

export interface ListRunOptions {
	/** The connected workspace: part of the source key. */
	account: string;
	/** Whether the pipeline checks and commits what the run listed, which promotes its cursor (default true). */
	commit?: boolean;
	options?: ListingOptions;
	/** The connected account as the node hands it to the listing (it has checked it already); else the listing asks Notion when it needs it. */
	connected?: ProviderAccount;
}

/**
 * One listChanges run as the Notion node makes it: a run record, the engine's listing with the
 * Notion provider, then, with `commit`, Connector Dedup's check and commit of every listed item.
 */
export async function listRun(
	store: ConnectorStore,
	client: Client,
	source: NotionSource,
	{ account, commit = true, options, connected }: ListRunOptions,
): Promise<ListSourceResult> {
	const sourceKey = notionProvider.sourceKey(account, source);
	const runId = await store.runs.start({ sourceKey, provider: notionProvider.id });
	const result = await listSource({ store, provider: notionProvider, connection: client, source, sourceKey, runId, options, account: connected });
	if (commit) await store.items.commit((await store.items.check(result.items)).map((checked) => checked.item));
	return result;
}
