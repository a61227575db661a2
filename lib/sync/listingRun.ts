/**
 * A listChanges run, the same for every provider: a run record with the effective policy, the
 * source listed from its committed cursor (the listing workflow owning the source's state), progress in n8n's log, the policy's refusals split off
 * and settled, the provider's warnings shown, and the run marked failed when the listing throws.
 * The run then waits for Connector Dedup: it completes, and its cursor commits, once every item it
 * listed is settled (lib/store: the run settlement).
 */
import { errorMessage } from '../errors';
import type { ConnectorItem } from '../items';
import type { ConnectorProvider, ProviderAccount } from '../providers/types';
import type { ConnectorStore } from '../store/types';
import type { RunHost, RunPolicy } from './host';
import { partitionByPolicy, type SkippedItem } from './itemPolicy';
import { listSource, type ListingOptions } from './listing';
import { ProgressLog } from './progress';
import { settleSkipped } from './settlement';

export interface ListingRunInput<Connection, Source> {
	store: ConnectorStore;
	provider: ConnectorProvider<Connection, Source>;
	connection: Connection;
	host: RunHost;
	source: Source;
	sourceKey: string;
	run: RunPolicy;
	options?: ListingOptions;
	/** The connected account, checked against the policy: the provider may name it in items' permissions. */
	account?: ProviderAccount;
}

export interface ListingRunResult {
	runId: number;
	/** The run's items for the main output. */
	allowed: ConnectorItem[];
	/** Items the org policy refuses, for Skipped; already settled. */
	skipped: SkippedItem[];
	hasMore: boolean;
}

export async function runListing<Connection, Source>(input: ListingRunInput<Connection, Source>): Promise<ListingRunResult> {
	const { store, provider, host, sourceKey, run } = input;
	const label = `${provider.displayName} listChanges`;
	// Before the run starts: a bad CONNECTORS_PROGRESS_INTERVAL_MS fails here, leaving no run behind.
	const progress = new ProgressLog(host.logger, `${label} ${sourceKey}`);
	// Listing proves the workflow holds a credential of the source's account: it owns the source's state.
	await store.owners.recordListing({ sourceKey, provider: provider.id }, host.scope.owner);
	const runId = await store.runs.start({ sourceKey, provider: provider.id, executionId: host.executionId, policy: run.description });
	try {
		const result = await listSource({
			store,
			provider,
			connection: input.connection,
			source: input.source,
			sourceKey,
			runId,
			options: input.options,
			account: input.account,
			onListed: (items) => progress.add('listed', items),
			signal: host.signal,
		});
		const deleted = result.items.filter((item) => item.change === 'deleted').length;
		if (!result.countedListed) progress.add('listed', result.items.length - deleted);
		progress.add('deleted', deleted);
		const { allowed, skipped } = partitionByPolicy(run.policy, provider, result.items);
		// Settled at once, so the run's cursor does not wait for items nobody will commit.
		await settleSkipped(store, skipped, { runId });
		if (skipped.length > 0) progress.add('skipped', skipped.length);
		progress.done(
			`: ${result.items.length} item(s) out${result.fullListing ? ' from a full listing' : ''} ` +
				`in ${result.requests} ${provider.displayName} request(s)${result.hasMore ? ', more on the next run' : ''}`,
		);
		for (const warning of result.warnings) host.logger.warn(`${label}: ${warning}`);
		host.hint(result.warnings);
		host.hint(policyMessages(run.warnings, skipped));
		return { runId, allowed, skipped, hasMore: result.hasMore };
	} catch (error) {
		await store.runs.finish(runId, { status: 'error', errors: [errorMessage(error)] });
		throw error;
	}
}

/** What the policy did, for the output pane: overridden narrowing and skips per reason. */
export function policyMessages(warnings: readonly string[], skipped: readonly SkippedItem[]): string[] {
	const counts = new Map<string, number>();
	for (const item of skipped) counts.set(item.skip_reason, (counts.get(item.skip_reason) ?? 0) + 1);
	const messages = [...warnings];
	if (counts.size > 0) {
		const perReason = [...counts].map(([reason, count]) => `${reason}: ${count}`).join(', ');
		messages.push(`${skipped.length} item(s) went to the Skipped output (${perReason})`);
	}
	return messages;
}
