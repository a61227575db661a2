/**
 * A listing's per-source state, kept beside its cursor as one snapshot per proposing run. The
 * committed cursor names the snapshot that matches it; a run that never commits leaves that one
 * untouched, so the next run starts from the committed cursor with the state that goes with it.
 */
import type { Provider } from '../items';
import type { SyncStateStore } from './types';

interface ProviderStateDocument<State> {
	v: 1;
	snapshots: Record<string, State>;
}

/** Proposed snapshots kept beside the committed one, newest first, for runs still settling. */
const KEPT_PROPOSALS = 8;

function parseDocument<State>(raw: string | null): ProviderStateDocument<State> {
	if (raw !== null) {
		try {
			const parsed = JSON.parse(raw) as unknown;
			if (typeof parsed === 'object' && parsed !== null && (parsed as { v?: unknown }).v === 1) {
				const snapshots = (parsed as { snapshots?: unknown }).snapshots;
				if (typeof snapshots === 'object' && snapshots !== null) {
					return { v: 1, snapshots: snapshots as Record<string, State> };
				}
			}
		} catch {
			// An unreadable state is a missing one: the source is listed in full again.
		}
	}
	return { v: 1, snapshots: {} };
}

export async function readSnapshot<State>(cache: SyncStateStore, sourceKey: string, snapshot: string): Promise<State | null> {
	return parseDocument<State>(await cache.cursors.providerState(sourceKey)).snapshots[snapshot] ?? null;
}

/** Stores a proposed snapshot; drops those older than the committed one, which can never commit now. */
export async function writeSnapshot<State>(
	cache: SyncStateStore,
	provider: Provider,
	sourceKey: string,
	snapshot: string,
	state: State,
	committed: string | null,
): Promise<void> {
	// Read and written in one transaction: two runs of the source never interleave here.
	await cache.cursors.updateProviderState(sourceKey, provider, (raw) => {
		const document = parseDocument<State>(raw);
		const committedOrder = committed === null ? -Infinity : Number(committed);
		const proposals = Object.keys(document.snapshots)
			.filter((id) => id !== committed && id !== snapshot && Number(id) > committedOrder)
			.sort((left, right) => Number(right) - Number(left))
			.slice(0, KEPT_PROPOSALS - 1);
		const snapshots: Record<string, State> = {};
		if (committed !== null && document.snapshots[committed] !== undefined) snapshots[committed] = document.snapshots[committed];
		for (const id of proposals) snapshots[id] = document.snapshots[id];
		snapshots[snapshot] = state;
		return JSON.stringify({ v: 1, snapshots } satisfies ProviderStateDocument<State>);
	});
}
