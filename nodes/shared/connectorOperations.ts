/**
 * listChanges and export as every connector node runs them: the node says how to connect and how
 * its parameters map to a source; the engine (lib/sync) does the rest. A node folder then holds
 * only descriptions, that mapping and its pickers.
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { ConnectorItem } from '../../lib/items';
import { assertAccountAllowed, assertProviderEnabled, loadPolicy, type OrgPolicy } from '../../lib/policy';
import type { ConnectorProvider, ProviderAccount } from '../../lib/providers/types';
import { acquireRunSlot, checkAccount, hasAccountRules, runExport, runListing, type ListingOptions, type RunPolicy } from '../../lib/sync';
import { exportsIdsDirectly, passMetadataOnlyOf } from './exportOptions';
import { exportFailure, routeExportResults, type Routed } from './exportOutputs';
import { runHost } from './host';
import { toNodeError } from './nodeErrors';
import { runPolicy } from './policy';
import { connectorStore } from './store';

export const BINARY_PROPERTY = 'data';
/** Extra binaries an export adds (e.g. a Notion page's files): file_0, file_1, … */
export const ATTACHMENT_PREFIX = 'file_';

export interface Connected<Connection> {
	connection: Connection;
	/** The n8n credential in use (type and id, never its secret). */
	credentialKey: string;
}

/** How a node reaches its provider: the connection over the credential the node uses. */
export interface ConnectorNode<Connection, Source> {
	provider: ConnectorProvider<Connection, Source>;
	connect(ctx: IExecuteFunctions | ILoadOptionsFunctions): Connected<Connection>;
}

export interface ListChangesNode<Connection, Source> extends ConnectorNode<Connection, Source> {
	/** The source the item's parameters describe (ids parsed, so a malformed one fails before any request). */
	sourceOf(ctx: IExecuteFunctions, itemIndex: number): Source;
	/** Filters and the per-run cap the item's parameters ask for (the policy's cap is applied here). */
	listingOptionsOf(ctx: IExecuteFunctions, itemIndex: number): ListingOptions;
}

export interface ExportNode<Connection> extends ConnectorNode<Connection, unknown> {
	/** The node's per-type format overrides for an item (by ExportChoices.kind). */
	formatOverridesOf?(ctx: IExecuteFunctions, itemIndex: number): Readonly<Record<string, string | undefined>>;
	/** Items exported at once, as the node asks (clamped to at least 1). */
	concurrencyOf(ctx: IExecuteFunctions): number;
	providerOptionsOf?(ctx: IExecuteFunctions): Readonly<Record<string, unknown>>;
}

/** The connected account, checked against the policy once per credential and execution. */
export async function connectedAccount<Connection>(
	ctx: IExecuteFunctions,
	node: ConnectorNode<Connection, unknown>,
	policy: OrgPolicy,
	connected: Connected<Connection>,
): Promise<ProviderAccount> {
	return await checkAccount(policy, node.provider, connected.connection, {
		executionId: ctx.getExecutionId(),
		credentialKey: connected.credentialKey,
	});
}

/** With the policy's files-per-run cap, the smaller of the node's and the policy's. */
export function withPolicyCap(options: ListingOptions, policy: Pick<OrgPolicy, 'maxFilesPerRun'>): ListingOptions {
	const caps = [options.maxItems, policy.maxFilesPerRun ?? undefined].filter((cap): cap is number => cap !== undefined);
	return caps.length > 0 ? { ...options, maxItems: Math.min(...caps) } : { ...options, maxItems: undefined };
}

/**
 * One listing per input item: items new or changed since the source's committed cursor, and
 * deletions, on the first output; items the policy refuses on Skipped. A disabled provider or a
 * bad policy value fails the node before any request; the cursor moves only once Connector Dedup
 * has committed the run's items.
 */
export async function listChangesOperation<Connection, Source>(
	ctx: IExecuteFunctions,
	node: ListChangesNode<Connection, Source>,
): Promise<INodeExecutionData[][]> {
	const { provider } = node;
	const store = await connectorStore();
	const first = runPolicy(ctx, 0, provider.id);
	const release = await acquireRunSlot(store, provider.id, ctx.getExecutionId(), first.policy);
	const outputs: INodeExecutionData[][] = [[], []];
	try {
		const connected = node.connect(ctx);
		for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
			try {
				const run: RunPolicy = itemIndex === 0 ? first : runPolicy(ctx, itemIndex, provider.id);
				const source = node.sourceOf(ctx, itemIndex);
				const options = withPolicyCap(node.listingOptionsOf(ctx, itemIndex), run.policy);
				const account = await connectedAccount(ctx, node, run.policy, connected);
				const result = await runListing({
					store,
					provider,
					connection: connected.connection,
					host: runHost(ctx),
					source,
					sourceKey: provider.sourceKey(account.accountId, source),
					run,
					options,
					account,
				});
				const output = (items: readonly ConnectorItem[]) =>
					items.map((item) => ({ json: item as unknown as IDataObject, pairedItem: { item: itemIndex } }));
				outputs[0].push(...output(result.allowed));
				outputs[1].push(...output(result.skipped));
			} catch (error) {
				const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
				if (!ctx.continueOnFail()) throw nodeError;
				outputs[0].push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
			}
		}
	} finally {
		await release();
	}
	return outputs;
}

/**
 * Each listed item as ingestion-ready content in the binary property `data`, streamed into n8n's
 * binary store a few at a time; refused items go to Skipped with a reason. With Export IDs
 * Directly, an id this workflow never listed is described by the provider and held to the rules as such. A failed item goes to
 * the error output (or fails the node), is not committed, and comes again next run.
 */
export async function exportOperation<Connection>(ctx: IExecuteFunctions, node: ExportNode<Connection>): Promise<INodeExecutionData[][]> {
	const { provider } = node;
	const store = await connectorStore();
	const run = runPolicy(ctx, 0, provider.id);
	const release = await acquireRunSlot(store, provider.id, ctx.getExecutionId(), run.policy);
	try {
		const connected = node.connect(ctx);
		if (hasAccountRules(run.policy, provider)) await connectedAccount(ctx, node, run.policy, connected);
		const items = ctx.getInputData();
		const failures = new Map<number, ReturnType<typeof exportFailure>>();
		const failureOf = (error: unknown, index: number) => {
			let failure = failures.get(index);
			if (failure === undefined) {
				failure = exportFailure(ctx, items[index].json, error, index, provider.itemNoun);
				failures.set(index, failure);
			}
			return failure;
		};
		const results = await runExport<Connection, IBinaryData>({
			store,
			provider,
			connection: connected.connection,
			host: runHost(ctx),
			run,
			items: items.map((item) => item.json as unknown as ConnectorItem),
			formatOverrides: node.formatOverridesOf && ((index) => node.formatOverridesOf!(ctx, index)),
			concurrency: node.concurrencyOf(ctx),
			providerOptions: node.providerOptionsOf?.(ctx),
			passMetadataOnly: passMetadataOnlyOf(ctx),
			storeBinary: async (data, fileName, mimeType) => await ctx.helpers.prepareBinaryData(data, fileName, mimeType),
			describeFailure: (error, index) => failureOf(error, index).message,
			exportIdsDirectly: exportsIdsDirectly(ctx),
		});
		const routed: Routed[] = results.map((result) => {
			const pairedItem = { item: result.index };
			if (result.output === 'failed') return { error: failureOf(result.error, result.index), itemIndex: result.index };
			if (result.output === 'skipped') return { output: 1, item: { json: result.json as unknown as IDataObject, pairedItem } };
			const binary: Record<string, IBinaryData> = {};
			if (result.content !== undefined) binary[BINARY_PROPERTY] = result.content;
			(result.attachments ?? []).forEach((attachment, index) => (binary[`${ATTACHMENT_PREFIX}${index}`] = attachment));
			const json = result.json as unknown as IDataObject;
			return { output: 0, item: result.content === undefined ? { json, pairedItem } : { json, binary, pairedItem } };
		});
		return routeExportResults(routed, items, {
			continueOnFail: ctx.continueOnFail(),
			errorOutput: ctx.getNode().onError === 'continueErrorOutput',
		});
	} finally {
		await release();
	}
}

/**
 * Before a Browse talks to the provider: the provider must be enabled, and the account allowed
 * when the policy has account rules.
 */
export async function browseConnection<Connection>(
	ctx: IExecuteFunctions,
	node: ConnectorNode<Connection, unknown>,
): Promise<Connection> {
	const policy = loadPolicy();
	assertProviderEnabled(policy, node.provider.id);
	const connected = node.connect(ctx);
	if (hasAccountRules(policy, node.provider)) await connectedAccount(ctx, node, policy, connected);
	return connected.connection;
}

/**
 * Before an editor's picker talks to the provider: the provider must be enabled, and the account
 * allowed when the policy has account rules. The editor has no execution to remember the verdict
 * for, so the account is asked on each search (only when there are account rules).
 */
export async function pickerConnection<Connection>(ctx: ILoadOptionsFunctions, node: ConnectorNode<Connection, unknown>): Promise<Connection> {
	const policy = loadPolicy();
	assertProviderEnabled(policy, node.provider.id);
	const { connection } = node.connect(ctx);
	if (hasAccountRules(policy, node.provider)) assertAccountAllowed(policy, node.provider.id, await node.provider.account(connection));
	return connection;
}
