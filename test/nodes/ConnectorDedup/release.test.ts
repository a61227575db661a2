import type { INodeExecutionData } from 'n8n-workflow';

import { sharedStore } from '../../../lib/store';
import { useCacheFile } from '../cacheFile';
import type { Lineage } from '../support';
import { DEDUP_TYPE, SOURCE, dedup, ids, listed } from './dedup';

const HTTP_REQUEST = { name: 'Send to Index', type: 'n8n-nodes-base.httpRequest', typeVersion: 4, disabled: false };
const CHECK = { name: 'Check', type: DEDUP_TYPE, typeVersion: 1, disabled: false, parameters: { operation: 'check' } };

/** What an HTTP Request step's error output hands on: the error, paired to the item it was sent for. */
const failures = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({
		json: { error: { message: 'The service was not able to process your request', httpCode: '503' } },
		pairedItem: { item: index },
	}));

const lineageTo = (emitted: INodeExecutionData[]): Lineage => ({
	parentNodes: [HTTP_REQUEST, CHECK],
	getPairedItem: (ancestor, _source, pairedItem) => (ancestor === 'Check' ? (emitted[pairedItem.item] ?? null) : null),
});

describe('Connector Dedup release', () => {
	useCacheFile();

	it('hands items whose ingestion failed back to the next execution at once, with the error recorded in the run', async () => {
		const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		const [released] = await dedup('release', { items: failures(1), executionId: 'e1', lineage: lineageTo(fresh) });
		expect(ids(released)).toEqual(['a']);
		expect(released[0].json).toMatchObject({ released: true, release_outcome: 'failed', run_id: fresh[0].json.run_id });
		expect(released[0].pairedItem).toEqual({ item: 0 });

		// Before the lease is over, another execution gets the released item again; the other one is still claimed.
		const [again, , unchanged] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e2' });
		expect(ids(again)).toEqual(['a']);
		expect(unchanged.map((item) => [item.json.external_id, item.json.unchanged_reason])).toEqual([['b', 'claimed_by_other_run']]);
		const run = await (await sharedStore()).runs.get(Number(fresh[0].json.run_id));
		expect(run?.errors).toEqual(['a: The service was not able to process your request']);
		expect(run?.counts.failed).toBe(1);
	});

	it('records the reason it is given instead of the error', async () => {
		const [fresh] = await dedup('check', { items: [listed('a')], executionId: 'e1' });
		await dedup('release', { items: fresh, executionId: 'e1', parameters: { releaseOptions: { reason: 'index_full' } } });
		const run = await (await sharedStore()).runs.get(Number(fresh[0].json.run_id));
		expect(run?.errors).toEqual(['a: index_full']);
	});

	it('settles items for good when told to skip them, so they come again only once they change', async () => {
		const [fresh] = await dedup('check', { items: [listed('a')], executionId: 'e1' });
		const [released] = await dedup('release', {
			items: fresh,
			executionId: 'e1',
			parameters: { releaseOptions: { outcome: 'skipped', reason: 'too_large_for_index' } },
		});
		expect(released[0].json.release_outcome).toBe('skipped');
		const store = await sharedStore();
		expect((await store.runs.get(Number(fresh[0].json.run_id)))?.skippedByReason).toEqual({ too_large_for_index: 1 });
		const [status] = await store.status(SOURCE);
		expect(status.itemsInFlight).toBe(0);
		// Skipped, not ingested: the cache still does not know it, so the next check sees it New.
		expect(ids((await dedup('check', { items: [listed('a')], executionId: 'e2' }))[0])).toEqual(['a']);
	});

	it('fails naming the item that cannot be traced back to a checked item', async () => {
		await expect(dedup('release', { items: failures(1), executionId: 'e1', lineage: lineageTo([]) })).rejects.toMatchObject({
			message: 'Item 0 cannot be traced back to a checked item',
		});
	});
});
