import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { RUN_ID_FIELD, type DedupChange } from '../../../lib/store';
import type { ConnectorItem } from '../../../lib/items';
import { assertItemsInScope } from '../../../lib/sync';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';

export const OUTPUTS: readonly DedupChange[] = ['new', 'changed', 'unchanged', 'deleted'];

export const description: INodeProperties[] = [
	{
		displayName:
			'Routes each item to New, Changed, Unchanged or Deleted against what was last ingested. New and Changed items say whether their content changed (content_changed) and which of name, path and permissions did (changed_fields). Connect a Commit step after your ingestion so a version counts as ingested only once that succeeded.',
		name: 'checkNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['check'] } },
	},
	{
		displayName: 'Options',
		name: 'checkOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['check'] } },
		options: [
			{
				displayName: 'Claim Lease (Minutes)',
				name: 'leaseMinutes',
				type: 'number',
				default: 60,
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				description:
					'How long an emitted version is reserved for this execution. Another execution running at the same time does not emit it again; if this one never commits (it crashed), the version comes back after the lease.',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const { leaseMinutes } = this.getNodeParameter('checkOptions', 0, {}) as { leaseMinutes?: number };
	const store = await connectorStore();
	const incoming = items.map((item) => item.json as unknown as ConnectorItem);
	// Only the workflow's own sources: those it listed, or that nobody owned until it checked them.
	await withinScope(this, assertItemsInScope(store, stateScope(this), incoming, { adopt: true }));
	const checked = await store.items.check(incoming, {
		executionId: this.getExecutionId(),
		leaseMs: leaseMinutes ? leaseMinutes * 60_000 : undefined,
	});
	const outputs: INodeExecutionData[][] = OUTPUTS.map(() => []);
	checked.forEach((result, index) => {
		const json: IDataObject = { ...items[index].json, change: result.change, [RUN_ID_FIELD]: result.runId };
		if (result.reason === 'claimed_by_other_run') json.unchanged_reason = result.reason;
		if (result.contentChanged !== undefined) {
			json.content_changed = result.contentChanged;
			json.changed_fields = result.changedFields ?? [];
		}
		if (result.indexedContentHash !== undefined && json.content_hash === undefined) json.content_hash = result.indexedContentHash;
		outputs[OUTPUTS.indexOf(result.change)].push({
			json,
			binary: items[index].binary,
			pairedItem: { item: index },
		});
	});
	return outputs;
}
