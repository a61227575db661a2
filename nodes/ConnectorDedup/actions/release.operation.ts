import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ConnectorItem } from '../../../lib/items';
import { assertItemsInScope } from '../../../lib/sync';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';
import { checkedItemsOf } from './checkedItems';

type Outcome = 'failed' | 'skipped';

export const description: INodeProperties[] = [
	{
		displayName:
			'Hands items your ingestion could not take back to the next run: their claim is returned and the source\'s cursor held, so the next scheduled run sends them again (not only after the claim lease). Connect it to the error output of your ingestion step.',
		name: 'releaseNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['release'] } },
	},
	{
		displayName: 'Options',
		name: 'releaseOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['release'] } },
		options: [
			{
				displayName: 'Outcome',
				name: 'outcome',
				type: 'options',
				default: 'failed',
				options: [
					{ name: 'Retry Next Run', value: 'failed', description: 'The next run sends the items again' },
					{ name: 'Skip for Good', value: 'skipped', description: 'Settle the items without ingesting them; they come again only when they change' },
				],
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				placeholder: 'index_unavailable',
				description: "Recorded in the run (Status shows it). Empty: the item's error message.",
			},
		],
	},
];

/** What the failed step said, as n8n hands it on its error output. */
function errorMessageOf(json: IDataObject): string | null {
	const error = json.error;
	if (typeof error === 'string' && error !== '') return error;
	if (error !== null && typeof error === 'object') {
		const message = (error as IDataObject).message;
		if (typeof message === 'string' && message !== '') return message;
	}
	return null;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const { outcome = 'failed', reason = '' } = this.getNodeParameter('releaseOptions', 0, {}) as { outcome?: Outcome; reason?: string };
	const checked = checkedItemsOf(this, items, 'Release');
	const store = await connectorStore();
	// As Commit: releasing settles runs and holds cursors, so only of the workflow's own sources.
	await withinScope(this, assertItemsInScope(store, stateScope(this), checked as unknown as ConnectorItem[], { adopt: false }));
	const executionId = this.getExecutionId();
	// One release per reason: the run record keeps each item's failure (or counts skips per reason).
	const byReason = new Map<string, number[]>();
	items.forEach((item, index) => {
		const why = reason.trim() || errorMessageOf(item.json) || (outcome === 'failed' ? 'not ingested' : 'not_ingested');
		byReason.set(why, [...(byReason.get(why) ?? []), index]);
	});
	for (const [why, indexes] of byReason) {
		const batch = indexes.map((index) => checked[index] as unknown as ConnectorItem);
		await store.items.release(batch, { outcome, reason: why, executionId });
	}
	return [
		checked.map((json, index) => ({
			json: { ...json, released: true, release_outcome: outcome },
			pairedItem: { item: index },
		})),
	];
}
