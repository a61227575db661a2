import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectDropbox, dropboxProvider, type DropboxConnection, type DropboxSource } from '../../../lib/providers/dropbox';
import { openStore, type ConnectorStore } from '../../../lib/store';
import { listSource, type ListingOptions, type ListSourceResult } from '../../../lib/sync/listing';
import type { FakeDropbox } from '../../fakes/dropboxApi';

/** Signs every request with the fake's access token, as n8n's credential does. */
export function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

/** The provider's connection to the fake, as a credential of its own (so with its own circuit breaker). */
export function testConnection(dropbox: FakeDropbox, fetch?: typeof globalThis.fetch): DropboxConnection {
	const signed = fetch ?? bearerFetch(dropbox.issueTokens().access_token);
	return connectDropbox({ fetch: signed, credentialKey: `test:${randomUUID()}` }, { apiUrl: dropbox.apiUrl, contentUrl: dropbox.contentUrl });
}

export function folderSource(path: string, options: { recursive?: boolean; namespaceId?: string | null; sharedLink?: string } = {}): DropboxSource {
	return { path, namespaceId: options.namespaceId ?? null, recursive: options.recursive ?? true, ...(options.sharedLink ? { sharedLink: options.sharedLink } : {}) };
}

export interface ListingRunOptions {
	/** Check and commit what the run listed, as the pipeline does once ingestion succeeded; this promotes the cursor. */
	commit?: boolean;
	options?: ListingOptions;
}

export interface DropboxListingRuns {
	store: ConnectorStore;
	run(source: DropboxSource, options?: ListingRunOptions): Promise<ListSourceResult & { runId: number }>;
	close(): Promise<void>;
}

/** Listing runs of the Dropbox provider against the fake, in a real store in a temporary folder, as the node makes them. */
export async function listingRuns(dropbox: FakeDropbox, connection: DropboxConnection): Promise<DropboxListingRuns> {
	const dir = mkdtempSync(join(tmpdir(), 'dropbox-list-changes-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		store,
		async run(source, { commit = true, options } = {}) {
			const sourceKey = dropboxProvider.sourceKey(dropbox.accountId, source);
			const runId = await store.runs.start({ sourceKey, provider: dropboxProvider.id });
			dropbox.resetRequestLog();
			const result = await listSource({ store, provider: dropboxProvider, connection, source, sourceKey, runId, options });
			if (commit) await store.items.commit((await store.items.check(result.items)).map((checked) => checked.item));
			return { ...result, runId };
		},
		async close() {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
