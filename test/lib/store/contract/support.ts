import type { CheckedItem, ConnectorStore, StoreSettings } from '../../../../lib/store';
import type { ConnectorItem } from '../../../../lib/items';
import { type ManualClock, SOURCE } from '../helpers';

/** What each part of the contract is given. */
export interface StoreContract {
	/** A store over this test's state, on this test's clock; closed after the test. */
	open(settings?: StoreSettings): Promise<ConnectorStore>;
	/** This test's clock: it moves only when the test advances it. */
	readonly clock: ManualClock;
}

export const changeById = (results: CheckedItem[]) =>
	Object.fromEntries(results.map((result) => [result.item.external_id, result.change]));

export const emitted = (results: CheckedItem[]) => results.filter((result) => result.change !== 'unchanged');

/** What listChanges hands on: items stamped with the run that listed them. */
export const stamped = (runId: number, list: ConnectorItem[]) => list.map((entry) => ({ ...entry, run_id: runId }));

/** One listChanges run: start, stamp, propose. */
export async function listRun(store: ConnectorStore, list: ConnectorItem[], cursor: string, sourceKey = SOURCE) {
	const runId = await store.runs.start({ sourceKey, provider: 'google_drive', executionId: `exec-${cursor}` });
	await store.cursors.propose(runId, sourceKey, cursor, { listedItems: list.length });
	return { runId, items: stamped(runId, list) };
}
