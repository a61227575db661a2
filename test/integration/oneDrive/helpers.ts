import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectOneDrive, oneDriveProvider, type OneDriveConnection, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { openStore, type ConnectorStore } from '../../../lib/store';
import { listSource, type ListingOptions, type ListSourceResult } from '../../../lib/sync/listing';
import type { FakeGraph } from '../../fakes/graphApi';

/** Signs every request with the fake's access token, as n8n's credential does. */
export function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

/** The provider's connection to the fake, as a credential of its own (so with its own circuit breaker). */
export function testConnection(graph: FakeGraph, fetch?: typeof globalThis.fetch): OneDriveConnection {
	return connectOneDrive({ fetch: fetch ?? bearerFetch(graph.issueTokens().access_token), credentialKey: `test:${randomUUID()}` }, graph.origin);
}

export interface ListingRunOptions {
	/** Check and commit what the run listed, as the pipeline does once ingestion succeeded; this promotes the cursor. */
	commit?: boolean;
	options?: ListingOptions;
}

export interface OneDriveListingRuns {
	store: ConnectorStore;
	run(source: OneDriveSource, options?: ListingRunOptions): Promise<ListSourceResult & { runId: number }>;
	close(): Promise<void>;
}

/** Listing runs of the OneDrive provider against the fake, in a real store in a temporary folder. */
export async function listingRuns(graph: FakeGraph, connection: OneDriveConnection, account: string): Promise<OneDriveListingRuns> {
	const dir = mkdtempSync(join(tmpdir(), 'onedrive-list-changes-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		store,
		async run(source, { commit = true, options } = {}) {
			const sourceKey = oneDriveProvider.sourceKey(account, source);
			const runId = await store.runs.start({ sourceKey, provider: oneDriveProvider.id });
			graph.resetRequestLog();
			const result = await listSource({ store, provider: oneDriveProvider, connection, source, sourceKey, runId, options });
			if (commit) await store.items.commit((await store.items.check(result.items)).map((checked) => checked.item));
			return { ...result, runId };
		},
		async close() {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
