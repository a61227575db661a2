import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { errorMessage } from '../../../lib/errors';
import { describePolicy, loadPolicy, type PolicyDescription } from '../../../lib/policy';
import { assertSourceInScope, sourcesInScope } from '../../../lib/sync';
import type { SourceStatus } from '../../../lib/store';
import { stateScope, withinScope } from '../../shared/host';
import { connectorStore } from '../../shared/store';

export const sourceKeyParameter = (operations: string[], required: boolean): INodeProperties => ({
	displayName: 'Source Key',
	name: 'sourceKey',
	type: 'string',
	default: '',
	required,
	placeholder: 'google_drive:alice@example.com:folder:1AbC…',
	description: required
		? 'The source_key of the source to forget (as on its items); only a source this workflow lists'
		: "The source_key of one source; leave empty for every source this workflow lists",
	displayOptions: { show: { operation: operations } },
});

export const description: INodeProperties[] = [sourceKeyParameter(['status'], false)];

/** The org policy as the administrator set it now, or why it cannot be read (status still answers). */
function currentOrgPolicy(): PolicyDescription | { error: string } {
	try {
		return describePolicy(loadPolicy());
	} catch (error) {
		return { error: errorMessage(error) };
	}
}

/** The status of the workflow's sources (every source for a workflow in CONNECTORS_STATE_ADMIN_WORKFLOWS). */
async function scopedStatus(ctx: IExecuteFunctions, sourceKey: string): Promise<SourceStatus[]> {
	const store = await connectorStore();
	const scope = stateScope(ctx);
	if (sourceKey) {
		await withinScope(ctx, assertSourceInScope(store, scope, sourceKey));
		return await store.status(sourceKey);
	}
	const owned = await sourcesInScope(store, scope);
	if (owned === undefined) return await store.status();
	const statuses: SourceStatus[] = [];
	for (const key of owned) statuses.push(...(await store.status(key)));
	return statuses;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const sourceKey = (this.getNodeParameter('sourceKey', 0, '') as string).trim();
	const store = await connectorStore();
	const sources = await scopedStatus(this, sourceKey);
	const orgPolicy = currentOrgPolicy() as unknown as IDataObject;
	return [
		sources.map((source) => ({
			json: {
				source_key: source.sourceKey,
				provider: source.provider,
				last_run: source.lastRun as unknown as IDataObject,
				last_run_status: source.lastRun?.status ?? null,
				// The policy the last run applied (org policy narrowed by its nodes), what it skipped per reason, and what it exported with a note (a fallback taken) per code.
				last_run_policy: (source.lastRun?.policy ?? null) as IDataObject | null,
				last_run_skipped_by_reason: source.lastRun?.skippedByReason ?? {},
				last_run_noted_by_reason: source.lastRun?.notedByReason ?? {},
				org_policy: orgPolicy,
				last_error: source.lastError as unknown as IDataObject,
				last_synced_at: source.lastSuccessAt,
				cursor_committed_at: source.cursorCommittedAt,
				items_known: source.itemsKnown,
				items_deleted: source.itemsDeleted,
				items_in_flight: source.itemsInFlight,
				cache_driver: store.driver,
			},
			pairedItem: { item: 0 },
		})),
	];
}
