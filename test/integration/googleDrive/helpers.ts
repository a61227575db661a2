import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectDrive, googleDriveProvider, type DriveConnection, type DriveSource } from '../../../lib/providers/googleDrive';
import { openStore, type ConnectorStore } from '../../../lib/store';
import { listSource, type ListingOptions, type ListSourceResult } from '../../../lib/sync/listing';
import type { FakeGoogle } from '../../fakes/googleApi';

/** Signs every request with the fake's access token, as n8n's credential does. */
export function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

/** The provider's connection to the fake, as a credential of its own (so with its own circuit breaker). */
export function testConnection(google: FakeGoogle, fetch?: typeof globalThis.fetch): DriveConnection {
	const signed = fetch ?? bearerFetch(google.issueTokens().access_token);
	return connectDrive({ fetch: signed, credentialKey: `test:${randomUUID()}` }, google.origin);
}

export interface ListingRunOptions {
	/** Check and commit what the run listed, as the pipeline does once ingestion succeeded; this promotes the cursor. */
	commit?: boolean;
	options?: ListingOptions;
	onListed?: (files: number) => void;
}

export interface DriveListingRuns {
	store: ConnectorStore;
	/** One listChanges run of `source` as the node makes it: a run in the store, the engine's listing, then check and commit. */
	run(source: DriveSource, options?: ListingRunOptions): Promise<ListSourceResult & { runId: number }>;
	close(): Promise<void>;
}

/** Listing runs of the Drive provider against the fake, in a real store in a temporary folder. */
export async function listingRuns(
	google: FakeGoogle,
	connection: DriveConnection,
	account: string,
	provider: typeof googleDriveProvider = googleDriveProvider,
): Promise<DriveListingRuns> {
	const dir = mkdtempSync(join(tmpdir(), 'drive-list-changes-'));
	const store = await openStore({ path: join(dir, 'cache.sqlite') });
	return {
		store,
		async run(source, { commit = true, options, onListed } = {}) {
			const sourceKey = googleDriveProvider.sourceKey(account, source);
			const runId = await store.runs.start({ sourceKey, provider: googleDriveProvider.id });
			google.resetRequestLog();
			const result = await listSource({ store, provider, connection, source, sourceKey, runId, options, onListed });
			if (commit) await store.items.commit((await store.items.check(result.items)).map((checked) => checked.item));
			return { ...result, runId };
		},
		async close() {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
