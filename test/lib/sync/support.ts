/** What the engine's tests share: a store per test, a host that records, and Connector Dedup's check and commit. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ConnectorItem } from '../../../lib/items';
import { defaultPolicy, describePolicy, type OrgPolicy } from '../../../lib/policy';
import { openStore, type ConnectorStore } from '../../../lib/store';
import type { RunHost, RunPolicy, StateScope, StoreBinary } from '../../../lib/sync';
import { owedItems, readSnapshot } from '../../../lib/sync/snapshots';
import { collectClosedHandles } from '../store/sqlite/helpers';

/** A fresh SQLite store in its own directory for every test, closed afterwards. */
export function useStore(): () => ConnectorStore {
	let directory = '';
	let store: ConnectorStore | undefined;
	beforeEach(async () => {
		directory = mkdtempSync(join(tmpdir(), 'connectors-sync-'));
		store = await openStore({ path: join(directory, 'store.sqlite') });
	});
	afterEach(async () => {
		await store?.close();
		store = undefined;
		rmSync(directory, { recursive: true, force: true });
	});
	// Registered after the close above, so the closed handles are collected once closed.
	collectClosedHandles();
	return () => {
		if (store === undefined) throw new Error('The store is open only inside a test');
		return store;
	};
}

export interface RecordingHost extends RunHost {
	infos: string[];
	warnings: string[];
	hints: string[];
}

/** The scope of a workflow: `workflow:<id>`, scoped unless `admin`. */
export function workflowScope(workflowId = 'workflow-1', admin = false): StateScope {
	return { owner: `workflow:${workflowId}`, workflowId, admin };
}

export function recordingHost(executionId: string, scope: StateScope = workflowScope()): RecordingHost {
	const infos: string[] = [];
	const warnings: string[] = [];
	const hints: string[] = [];
	return {
		executionId,
		scope,
		infos,
		warnings,
		hints,
		logger: { info: (message) => infos.push(message), warn: (message) => warnings.push(message) },
		hint: (messages) => hints.push(...messages),
	};
}

export function policyWith(overrides: Partial<OrgPolicy> = {}): OrgPolicy {
	return { ...defaultPolicy(), ...overrides };
}

export function runPolicy(policy: OrgPolicy = defaultPolicy(), warnings: string[] = []): RunPolicy {
	return { policy, description: describePolicy(policy), warnings };
}

/** Connector Dedup's check: each item routed and stamped with the run that claimed it. */
export async function check(store: ConnectorStore, items: readonly ConnectorItem[], executionId: string): Promise<ConnectorItem[]> {
	const checked = await store.items.check(items, { executionId });
	return checked.map((result) => ({ ...result.item, change: result.change, run_id: result.runId }));
}

/** Check, then commit what check let through, as a workflow does once ingestion succeeded. */
export async function checkAndCommit(store: ConnectorStore, items: readonly ConnectorItem[], executionId: string): Promise<void> {
	const checked = await check(store, items, executionId);
	await store.items.commit(
		checked.filter((item) => item.change !== 'unchanged'),
		{ executionId },
	);
}

/** The committed cursor as JSON, or null. */
export async function committedCursor(store: ConnectorStore, sourceKey: string): Promise<unknown> {
	const raw = await store.cursors.committed(sourceKey);
	return raw === null ? null : (JSON.parse(raw) as unknown);
}

export interface StoredSnapshots {
	/** By the id of the run that wrote each: the provider's listing state with the items still owed as `pending`. */
	snapshots: Record<string, Record<string, unknown>>;
}

/** The source's listing snapshots as the store keeps them, read back through the engine. */
export async function storedSnapshots(store: ConnectorStore, sourceKey: string, provider: string = 'fake'): Promise<StoredSnapshots> {
	const snapshots: Record<string, Record<string, unknown>> = {};
	for (const id of await store.cursors.snapshotIds(sourceKey)) {
		const state = await readSnapshot(store.cursors, provider, sourceKey, String(id));
		const pending = await owedItems(store.cursors, sourceKey, String(id), { skip: new Set(), limit: Number.MAX_SAFE_INTEGER });
		if (state !== null) snapshots[id] = { ...state, pending };
	}
	return { snapshots };
}

/** Drops every snapshot of the source, as a newer run's write would: a write keeping only itself, then that one. */
export async function dropSnapshots(store: ConnectorStore, sourceKey: string, provider: string): Promise<void> {
	const only = { base: null, state: '{}', entries: [], removed: [], owed: [], settled: [], committed: null, keptProposals: 1 };
	await store.cursors.writeSnapshot(sourceKey, provider, { snapshot: Number.MAX_SAFE_INTEGER, ...only });
}

export interface StoredBinary {
	fileName: string;
	mimeType: string | undefined;
	bytes: Buffer;
}

/** n8n's binary store in miniature: reads the data to the end (a stream's error rejects), in the order asked. */
export function binaryStore(): { stored: StoredBinary[]; storeBinary: StoreBinary<StoredBinary> } {
	const stored: StoredBinary[] = [];
	return {
		stored,
		storeBinary: async (data, fileName, mimeType) => {
			let bytes: Buffer;
			if (Buffer.isBuffer(data)) {
				bytes = data;
			} else {
				const chunks: Buffer[] = [];
				for await (const chunk of data) chunks.push(chunk as Buffer);
				bytes = Buffer.concat(chunks);
			}
			const binary = { fileName, mimeType, bytes };
			stored.push(binary);
			return binary;
		},
	};
}
