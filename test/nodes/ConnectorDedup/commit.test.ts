import { ExpressionError, type INodeExecutionData, type IPairedItemData } from 'n8n-workflow';

import { sharedStore } from '../../../lib/store';
import { useCacheFile } from '../cacheFile';
import type { Lineage } from '../support';
import { DEDUP_TYPE, SOURCE, dedup, ids, listed } from './dedup';

const HTTP_REQUEST = { name: 'Send to Index', type: 'n8n-nodes-base.httpRequest', typeVersion: 4, disabled: false };
const checkStep = (name: string, operation = 'check') => ({ name, type: DEDUP_TYPE, typeVersion: 1, disabled: false, parameters: { operation } });

/** What an HTTP Request step hands on: its own response, paired to the item it was sent for. */
const responses = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: { status: 'indexed', id: `doc-${index}` }, pairedItem: { item: index } }));

/** n8n's lineage back to one step: `$getPairedItem` answers that step's item for each paired item. */
function lineageTo(step: string, emitted: INodeExecutionData[], parentNodes: Lineage['parentNodes']) {
	const asked: Array<{ ancestor: string; pairedItem: IPairedItemData }> = [];
	const lineage: Lineage = {
		parentNodes,
		getPairedItem: (ancestor, _source, pairedItem) => {
			asked.push({ ancestor, pairedItem });
			return ancestor === step ? (emitted[pairedItem.item] ?? null) : null;
		},
	};
	return { lineage, asked };
}

describe('Connector Dedup commit', () => {
	useCacheFile();

	it('records the checked items as ingested and says so on each', async () => {
		const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		const [committed] = await dedup('commit', { items: fresh, executionId: 'e1' });
		expect(committed.map((item) => [item.json.external_id, item.json.committed])).toEqual([
			['a', true],
			['b', true],
		]);
		expect(Date.parse(String(committed[0].json.committed_at))).not.toBeNaN();
		expect(committed[0].json).toMatchObject({ change: 'new', run_id: fresh[0].json.run_id, source_key: SOURCE });
		expect(committed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [status] = await (await sharedStore()).status(SOURCE);
		expect(status).toMatchObject({ itemsKnown: 2, itemsInFlight: 0 });
	});

	it('finds items whose JSON an HTTP step replaced through lineage to the nearest Check step', async () => {
		const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		const { lineage, asked } = lineageTo('Check', fresh, [HTTP_REQUEST, checkStep('Commit Deletions', 'commit'), checkStep('Check')]);
		const [committed] = await dedup('commit', { items: responses(2), executionId: 'e1', lineage });
		expect(asked).toEqual([
			{ ancestor: 'Check', pairedItem: { item: 0 } },
			{ ancestor: 'Check', pairedItem: { item: 1 } },
		]);
		expect(ids(committed)).toEqual(['a', 'b']);
		expect(committed[0].json).toMatchObject({ committed: true, run_id: fresh[0].json.run_id });
		expect(committed[0].json.status).toBeUndefined();
		const [again, , unchanged] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e2' });
		expect([ids(again), ids(unchanged)]).toEqual([[], ['a', 'b']]);
	});

	it('takes the nearest Check step when more than one is upstream', async () => {
		const [fresh] = await dedup('check', { items: [listed('a')], executionId: 'e1' });
		const { lineage, asked } = lineageTo('Dedup Drive', fresh, [HTTP_REQUEST, checkStep('Dedup Drive'), checkStep('Dedup Everything')]);
		const [committed] = await dedup('commit', { items: responses(1), executionId: 'e1', lineage });
		expect(asked.map((call) => call.ancestor)).toEqual(['Dedup Drive']);
		expect(ids(committed)).toEqual(['a']);
	});

	it('follows the Check step named in Check Step rather than the nearest one', async () => {
		const [fresh] = await dedup('check', { items: [listed('a')], executionId: 'e1' });
		const { lineage, asked } = lineageTo('Dedup Drive', fresh, [HTTP_REQUEST, checkStep('Dedup Notion'), checkStep('Dedup Drive')]);
		const [committed] = await dedup('commit', { items: responses(1), executionId: 'e1', lineage, parameters: { checkNode: ' Dedup Drive ' } });
		expect(asked.map((call) => call.ancestor)).toEqual(['Dedup Drive']);
		expect(ids(committed)).toEqual(['a']);
	});

	it('fails naming the item that cannot be traced back, and commits none', async () => {
		const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		const { lineage } = lineageTo('Check', fresh.slice(0, 1), [HTTP_REQUEST, checkStep('Check')]);
		await expect(dedup('commit', { items: responses(2), executionId: 'e1', lineage })).rejects.toMatchObject({
			message: 'Item 1 cannot be traced back to a checked item',
			description: expect.stringMatching(/steps in between must keep item lineage/),
		});
		const [status] = await (await sharedStore()).status(SOURCE);
		expect(status).toMatchObject({ itemsKnown: 0, itemsInFlight: 2 });
	});

	it('fails naming the item when n8n cannot follow its lineage either, as when a step in between dropped it', async () => {
		const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		const lineage: Lineage = {
			parentNodes: [HTTP_REQUEST, checkStep('Check')],
			// What n8n's $getPairedItem does when an item has no paired item back to the step asked for.
			getPairedItem: (_ancestor, _source, pairedItem) => {
				if (pairedItem.item === 0) return fresh[0];
				throw new ExpressionError("Paired item data for $getPairedItem from node 'Send to Index' is unavailable. Ensure 'Send to Index' is providing the required output.");
			},
		};
		await expect(dedup('commit', { items: responses(2), executionId: 'e1', lineage })).rejects.toMatchObject({
			message: 'Item 1 cannot be traced back to a checked item',
			context: { itemIndex: 1 },
		});
		const [status] = await (await sharedStore()).status(SOURCE);
		expect(status).toMatchObject({ itemsKnown: 0, itemsInFlight: 2 });
	});

	it('fails when no Check step is upstream to trace replaced items to', async () => {
		await expect(dedup('commit', { items: responses(1), lineage: { parentNodes: [HTTP_REQUEST, checkStep('Commit', 'commit')] } })).rejects.toMatchObject({
			message: 'No Connector Dedup step with operation Check found upstream',
			description: expect.stringMatching(/name it in "Check Step"/),
		});
	});
});
