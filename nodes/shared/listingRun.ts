/**
 * One listChanges run as every connector node does it: a run record with the effective policy,
 * progress in n8n's log, the policy's refusals split off to Skipped, and the run marked failed
 * when the listing throws.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ConnectorCache } from '../../lib/cache';
import { errorMessage } from '../../lib/errors';
import type { ConnectorItem, Provider } from '../../lib/items';
import type { ListChangesResult } from '../../lib/providers/types';
import { toNodeError } from './nodeErrors';
import { partitionByPolicy, policyHints, type RunPolicy } from './policy';
import { ProgressLog } from './progress';

export interface ListingResult extends Pick<ListChangesResult, 'items' | 'hasMore' | 'requests'> {
	/** The source was listed in full (a first run, or a change token the provider refused). */
	fullListing?: boolean;
	/** Shown in n8n's log and as execution hints. */
	warnings?: readonly string[];
}

export interface ListingRun {
	provider: Provider;
	/** How the provider is named in log lines, e.g. `Google Drive`. */
	providerName: string;
	sourceKey: string;
	itemIndex: number;
	run: RunPolicy;
	cache: ConnectorCache;
	/**
	 * Lists the source for the run. Listed items are counted on `progress` here when the listing
	 * does not count them as it goes (`countsListed`).
	 */
	list: (runId: number, progress: ProgressLog) => Promise<ListingResult>;
	countsListed?: boolean;
}

/** The run's items for the main output and the items the org policy refuses, for Skipped. */
export async function listingRun(
	ctx: IExecuteFunctions,
	{ provider, providerName, sourceKey, itemIndex, run, cache, list, countsListed = false }: ListingRun,
): Promise<[INodeExecutionData[], INodeExecutionData[]]> {
	const label = `${providerName} listChanges`;
	// Before the run starts: a bad CONNECTORS_PROGRESS_INTERVAL_MS fails here, leaving no run behind.
	const progress = new ProgressLog(ctx.logger, `${label} ${sourceKey}`);
	const runId = cache.startRun({ sourceKey, provider, executionId: ctx.getExecutionId(), policy: run.description });
	try {
		const result = await list(runId, progress);
		const deleted = result.items.filter((item) => item.change === 'deleted').length;
		if (!countsListed) progress.add('listed', result.items.length - deleted);
		progress.add('deleted', deleted);
		const { allowed, skipped } = partitionByPolicy(cache, runId, run.policy, provider, result.items);
		if (skipped.length > 0) progress.add('skipped', skipped.length);
		progress.done(
			`: ${result.items.length} item(s) out${result.fullListing ? ' from a full listing' : ''} ` +
				`in ${result.requests} ${providerName} request(s)${result.hasMore ? ', more on the next run' : ''}`,
		);
		const warnings = result.warnings ?? [];
		for (const warning of warnings) ctx.logger.warn(`${label}: ${warning}`);
		if (warnings.length > 0) {
			ctx.addExecutionHints(...warnings.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
		}
		policyHints(ctx, run.warnings, skipped);
		const output = (items: readonly ConnectorItem[]) =>
			items.map((item) => ({ json: item as unknown as IDataObject, pairedItem: { item: itemIndex } }));
		return [output(allowed), output(skipped)];
	} catch (error) {
		cache.finishRun(runId, { status: 'error', errors: [errorMessage(error)] });
		throw toNodeError(ctx.getNode(), error, itemIndex);
	}
}
