/**
 * An export run, the same for every provider: each listed item's format resolved once against
 * the policy, the rules checked again with it, the provider asked for the content, the bytes
 * metered (size cap, sha256) into n8n's binary store a few items at a time, refused items settled
 * as skipped and failed ones released for the next run. One failing item does not stop the others.
 */
import type { Readable } from 'node:stream';

import pLimit from 'p-limit';

import { errorMessage } from '../errors';
import type { ConnectorItem } from '../items';
import { checkFile, PolicySkipError, type OrgPolicy, type PolicyDecision } from '../policy';
import type { ConnectorProvider, ExportedContent, SkippedAttachment } from '../providers/types';
import type { ConnectorStore, ListedItem } from '../store/types';
import { meteredBody } from './content';
import type { RunHost, RunPolicy } from './host';
import { formatOverrideWarnings, planExport, type SkippedItem } from './itemPolicy';
import { policyMessages } from './listingRun';
import { ProgressLog } from './progress';
import { settleFailed, settleSkipped } from './settlement';

/** Puts bytes into n8n's binary store (`prepareBinaryData`) and returns its reference. */
export type StoreBinary<Binary> = (data: Readable | Buffer, fileName: string, mimeType: string | undefined) => Promise<Binary>;

export interface ExportRunInput<Connection, Binary> {
	store: ConnectorStore;
	provider: ConnectorProvider<Connection>;
	connection: Connection;
	host: RunHost;
	run: RunPolicy;
	/** The input items, in order. */
	items: readonly ConnectorItem[];
	/** The node's per-type format overrides for an item (by `ExportChoices.kind`). */
	formatOverrides?: (index: number) => Readonly<Record<string, string | undefined>>;
	/** Items exported at once. */
	concurrency: number;
	/** Provider-specific options from the node (e.g. Notion's attachFiles). */
	providerOptions?: Readonly<Record<string, unknown>>;
	storeBinary: StoreBinary<Binary>;
	/** The failure as the person sees it, for the run record (default: the error's message). */
	describeFailure?: (error: unknown, index: number) => string;
	/**
	 * Items Check found changed in metadata only (`content_changed: false`) leave as they are,
	 * without a download: the content is the one already ingested.
	 */
	passMetadataOnly?: boolean;
}

/** Check routed the item to Changed for its name, path or permissions alone. */
export function isMetadataOnly(item: ConnectorItem): boolean {
	return item.change === 'changed' && item.content_changed === false;
}

export type ExportRunResult<Binary> =
	| { index: number; output: 'main'; json: ConnectorItem; content?: Binary; attachments?: Binary[] }
	| { index: number; output: 'skipped'; json: SkippedItem }
	| { index: number; output: 'failed'; error: unknown };

/** The skip reason of an item whose id the source's listings never emitted. */
export const UNKNOWN_SOURCE_ITEM = 'unknown_source_item';

/**
 * The item as its source's listings saw it: name, path, type and size come from the store, so a
 * workflow that edits or crafts item JSON cannot move a file past the rules. Null when unknown.
 */
function asListed(item: ConnectorItem, listed: ListedItem | undefined): ConnectorItem | null {
	if (listed === undefined) return null;
	return { ...item, name: listed.name, path: listed.path, mime: listed.mime, size: listed.size };
}

/** What each source's listings saw of the input items, one lookup per source. */
async function listedItems(store: ConnectorStore, provider: string, items: readonly ConnectorItem[]): Promise<Map<string, Map<string, ListedItem>>> {
	const idsBySource = new Map<string, string[]>();
	for (const item of items) {
		if (typeof item.source_key !== 'string' || typeof item.external_id !== 'string') continue;
		const ids = idsBySource.get(item.source_key) ?? [];
		ids.push(item.external_id);
		idsBySource.set(item.source_key, ids);
	}
	const bySource = new Map<string, Map<string, ListedItem>>();
	for (const [sourceKey, ids] of idsBySource) bySource.set(sourceKey, await store.listed.lookup(provider, sourceKey, ids));
	return bySource;
}

function skipped(index: number, item: ConnectorItem, skipReason: string, skipDetail: string): ExportRunResult<never> {
	return { index, output: 'skipped', json: { ...item, skip_reason: skipReason, skip_detail: skipDetail } };
}

async function exportOne<Connection, Binary>(
	input: ExportRunInput<Connection, Binary>,
	index: number,
	policy: OrgPolicy,
	listed: ListedItem | undefined,
): Promise<ExportRunResult<Binary>> {
	const { provider, storeBinary } = input;
	const given = input.items[index];
	// Deletions pass through, so the next step can remove the document downstream.
	if (given.change === 'deleted') return { index, output: 'main', json: given };
	const item = asListed(given, listed);
	if (item === null) {
		return skipped(
			index,
			given,
			UNKNOWN_SOURCE_ITEM,
			`${provider.displayName} ${provider.itemNoun} ${String(given.external_id)} was never listed by source ${String(given.source_key)} — ` +
				'export items that List Changes emitted, unchanged',
		);
	}
	const plan = planExport(policy, provider, item, input.formatOverrides?.(index) ?? {});
	if (!plan.allowed) return skipped(index, item, plan.skipReason, plan.skipDetail);
	// The policy still holds for it (a move can take a file past a rule); only the download is spared.
	if (input.passMetadataOnly === true && isMetadataOnly(item)) return { index, output: 'main', json: item };

	const outcome = await provider.exportItem(input.connection, {
		item,
		format: plan.format,
		signal: input.host.signal,
		options: input.providerOptions,
	});
	if (outcome.kind === 'skipped') return skipped(index, item, outcome.skipReason, outcome.skipDetail);
	try {
		const body = meteredBody(outcome.body, policy, `"${item.name}"`);
		const content = await storeBinary(body.data, outcome.fileName, outcome.mimeType);
		const { attachments, skipped: attachmentsSkipped } = await storeAttachments(input, item, outcome, policy);
		const json: ConnectorItem = {
			...item,
			export_format: outcome.exportFormat,
			export_mime: outcome.exportMime,
			content_hash: outcome.contentHash ?? body.contentHash(),
			export_size: body.bytes(),
			...(attachmentsSkipped.length ? { attachments_skipped: attachmentsSkipped } : {}),
		};
		return { index, output: 'main', json, content, attachments };
	} catch (error) {
		if (error instanceof PolicySkipError) return skipped(index, item, error.skipReason, error.skipDetail);
		throw error;
	}
}

/**
 * An item's attachments, held to the same rules as the item: the org's file types (checked by
 * name first, then by the type the download reports) and its byte cap; one refused is reported
 * with the item and the others still stored. Stops when the execution is cancelled.
 */
async function storeAttachments<Connection, Binary>(
	input: ExportRunInput<Connection, Binary>,
	item: ConnectorItem,
	outcome: ExportedContent,
	policy: OrgPolicy,
): Promise<{ attachments: Binary[]; skipped: SkippedAttachment[] }> {
	const attachments: Binary[] = [];
	const skipped: SkippedAttachment[] = [...(outcome.skippedAttachments ?? [])];
	const refusal = (name: string, mime: string | null): PolicyDecision =>
		checkFile(policy, input.provider.id, { path: item.path, name, mime, size: null });
	// One at a time: items are already exported in parallel, and files can be large.
	for (const attachment of outcome.attachments ?? []) {
		input.host.signal?.throwIfAborted();
		const listed = refusal(attachment.name, attachment.mime);
		if (!listed.allowed) {
			skipped.push({ name: attachment.name, skip_reason: listed.skipReason, skip_detail: listed.skipDetail });
			continue;
		}
		const { stream, mime } = await attachment.open();
		const served = mime && mime !== attachment.mime ? refusal(attachment.name, mime) : listed;
		if (!served.allowed) {
			stream.destroy();
			skipped.push({ name: attachment.name, skip_reason: served.skipReason, skip_detail: served.skipDetail });
			continue;
		}
		try {
			const metered = meteredBody(stream, policy, `"${attachment.name}" of "${item.name}"`);
			attachments.push(await input.storeBinary(metered.data, attachment.name, mime ?? attachment.mime ?? undefined));
		} catch (error) {
			if (!(error instanceof PolicySkipError)) throw error;
			skipped.push({ name: attachment.name, skip_reason: error.skipReason, skip_detail: error.skipDetail });
		}
	}
	return { attachments, skipped };
}

/** Results in the input order, whatever order the exports finished in. */
export async function runExport<Connection, Binary>(input: ExportRunInput<Connection, Binary>): Promise<ExportRunResult<Binary>[]> {
	const { store, provider, host, run } = input;
	const progress = new ProgressLog(host.logger, `${provider.displayName} export`, { total: input.items.length });
	const limit = pLimit(Math.max(1, Math.trunc(input.concurrency) || 1));
	const listed = await listedItems(store, provider.id, input.items);
	const results = await Promise.all(
		input.items.map(async (item, index) =>
			await limit(async (): Promise<ExportRunResult<Binary>> => {
				let result: ExportRunResult<Binary>;
				try {
					result = await exportOne(input, index, run.policy, listed.get(item.source_key)?.get(item.external_id));
				} catch (error) {
					result = { index, output: 'failed', error };
				}
				const deletion = item.change === 'deleted';
				progress.add(result.output === 'failed' ? 'failed' : result.output === 'skipped' ? 'skipped' : deletion ? 'deleted' : 'exported');
				return result;
			}),
		),
	);
	const describe = input.describeFailure ?? ((error: unknown) => errorMessage(error));
	// Not committed, and the run's cursor held back: the next run lists these items again.
	await settleFailed(
		store,
		results.flatMap((result) => (result.output === 'failed' ? [{ item: input.items[result.index], message: describe(result.error, result.index) }] : [])),
		host.executionId,
	);
	progress.done();
	// Refused items are settled for good: counted per reason in their run, which no longer waits for them.
	const refused = results.flatMap((result) => (result.output === 'skipped' ? [result.json] : []));
	await settleSkipped(store, refused, { executionId: host.executionId });
	const overrides = input.formatOverrides?.(0) ?? {};
	host.hint(policyMessages([...run.warnings, ...formatOverrideWarnings(run.policy, provider.exportTypes, overrides)], refused));
	return results;
}
