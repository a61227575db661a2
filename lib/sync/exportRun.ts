/**
 * An export run, the same for every provider: each item taken as its source's listings saw it (or,
 * with Export IDs Directly, as the provider describes it now), its format resolved once against
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
import { noteMessages, recordNotes, settleFailed, settleSkipped } from './settlement';
import { usableSources, type StateScope } from './stateScope';

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
	/**
	 * Export IDs Directly: an id its source's listings never emitted (or of a source this workflow
	 * does not own) is looked up at the provider and held to the rules as the provider describes it.
	 */
	exportIdsDirectly?: boolean;
}

/** Check routed the item to Changed for its name, path or permissions alone. */
export function isMetadataOnly(item: ConnectorItem): boolean {
	return item.change === 'changed' && item.content_changed === false;
}

export type ExportRunResult<Binary> =
	| { index: number; output: 'main'; json: ConnectorItem; content?: Binary; attachments?: Binary[] }
	| { index: number; output: 'skipped'; json: SkippedItem }
	| { index: number; output: 'failed'; error: unknown };

/** The skip reason of an item whose id the source's listings never emitted (or of a source of another workflow). */
export const UNKNOWN_SOURCE_ITEM = 'unknown_source_item';
/** The skip reason of an id the provider does not know, or does not let this credential read (Export IDs Directly). */
export const ITEM_NOT_FOUND = 'item_not_found';

/** Where an item's metadata came from: its source's listings, or the provider when exported directly. */
type Known = { from: 'listing'; listed: ListedItem } | { from: 'provider' } | { from: 'nowhere'; ownSource: boolean };

/**
 * The item as its source's listings saw it: name, path, type and size come from the store, so a
 * workflow that edits or crafts item JSON cannot move a file past the rules.
 */
function asListed(item: ConnectorItem, listed: ListedItem): ConnectorItem {
	return { ...item, name: listed.name, path: listed.path, mime: listed.mime, size: listed.size };
}

/**
 * What each source's listings saw of the input items, one lookup per source, for the sources this
 * workflow may use; the items of other sources are left out, as if never listed.
 */
async function listedItems(
	store: ConnectorStore,
	provider: string,
	items: readonly ConnectorItem[],
	scope: StateScope,
): Promise<{ bySource: Map<string, Map<string, ListedItem>>; usable: Set<string> }> {
	const idsBySource = new Map<string, string[]>();
	for (const item of items) {
		if (typeof item.source_key !== 'string' || typeof item.external_id !== 'string') continue;
		const ids = idsBySource.get(item.source_key) ?? [];
		ids.push(item.external_id);
		idsBySource.set(item.source_key, ids);
	}
	const usable = await usableSources(store, scope, [...idsBySource.keys()]);
	const bySource = new Map<string, Map<string, ListedItem>>();
	for (const [sourceKey, ids] of idsBySource) {
		if (usable.has(sourceKey)) bySource.set(sourceKey, await store.listed.lookup(provider, sourceKey, ids));
	}
	return { bySource, usable };
}

function skipped(index: number, item: ConnectorItem, skipReason: string, skipDetail: string): ExportRunResult<never> {
	return { index, output: 'skipped', json: { ...item, skip_reason: skipReason, skip_detail: skipDetail } };
}

/** The item as the provider describes it now, for Export IDs Directly; null when it is not found. */
async function resolvedByProvider<Connection>(input: ExportRunInput<Connection, unknown>, given: ConnectorItem): Promise<ConnectorItem | null> {
	if (typeof given.external_id !== 'string' || given.external_id === '') return null;
	const described = await input.provider.describeItem(input.connection, given);
	// Which item of which source and run it is stays as given; what it is comes from the provider.
	return described === null
		? null
		: { ...given, ...described, provider: given.provider, external_id: given.external_id, source_key: given.source_key, change: given.change };
}

async function exportOne<Connection, Binary>(
	input: ExportRunInput<Connection, Binary>,
	index: number,
	policy: OrgPolicy,
	known: Known,
): Promise<ExportRunResult<Binary>> {
	const { provider, storeBinary } = input;
	const given = input.items[index];
	// Deletions pass through, so the next step can remove the document downstream.
	if (given.change === 'deleted') return { index, output: 'main', json: given };
	let item: ConnectorItem;
	if (known.from === 'listing') item = asListed(given, known.listed);
	else if (known.from === 'provider') {
		const resolved = await resolvedByProvider(input, given);
		if (resolved === null) {
			return skipped(
				index,
				given,
				ITEM_NOT_FOUND,
				`${provider.displayName} ${provider.itemNoun} ${String(given.external_id)} was not found, or this credential cannot read it — check the id`,
			);
		}
		item = resolved;
	} else {
		const why = known.ownSource
			? `was never listed by source ${String(given.source_key)}`
			: `belongs to source ${String(given.source_key)}, which this workflow has not listed`;
		return skipped(
			index,
			given,
			UNKNOWN_SOURCE_ITEM,
			`${provider.displayName} ${provider.itemNoun} ${String(given.external_id)} ${why} — ` +
				'export items that List Changes in this workflow emitted, unchanged, or turn on Export IDs Directly',
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
			...(outcome.contentSource !== undefined ? { content_source: outcome.contentSource } : {}),
			...(outcome.notes?.length ? { export_notes: outcome.notes.map(({ code, detail }) => ({ code, detail })) } : {}),
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
	const { bySource, usable } = await listedItems(store, provider.id, input.items, host.scope);
	const knownOf = (item: ConnectorItem): Known => {
		const listed = bySource.get(item.source_key)?.get(item.external_id);
		if (listed !== undefined) return { from: 'listing', listed };
		return input.exportIdsDirectly ? { from: 'provider' } : { from: 'nowhere', ownSource: usable.has(item.source_key) };
	};
	const knowledge = input.items.map(knownOf);
	const results = await Promise.all(
		input.items.map(async (item, index) =>
			await limit(async (): Promise<ExportRunResult<Binary>> => {
				let result: ExportRunResult<Binary>;
				try {
					result = await exportOne(input, index, run.policy, knowledge[index]);
				} catch (error) {
					result = { index, output: 'failed', error };
				}
				const deletion = item.change === 'deleted';
				progress.add(result.output === 'failed' ? 'failed' : result.output === 'skipped' ? 'skipped' : deletion ? 'deleted' : 'exported');
				return result;
			}),
		),
	);
	// Only the runs of this workflow's own sources are settled: another workflow's, or an id exported directly, is not this run's to settle.
	const settles = (result: ExportRunResult<Binary>) => usable.has(input.items[result.index].source_key) && knowledge[result.index].from !== 'provider';
	const describe = input.describeFailure ?? ((error: unknown) => errorMessage(error));
	// Not committed, and the run's cursor held back: the next run lists these items again.
	await settleFailed(
		store,
		results.flatMap((result) =>
			result.output === 'failed' && settles(result) ? [{ item: input.items[result.index], message: describe(result.error, result.index) }] : [],
		),
		host.executionId,
	);
	progress.done();
	// Refused items are settled for good: counted per reason in their run, which no longer waits for them.
	const refused = results.flatMap((result) => (result.output === 'skipped' ? [result.json] : []));
	await settleSkipped(
		store,
		results.flatMap((result) => (result.output === 'skipped' && settles(result) ? [result.json] : [])),
		{ executionId: host.executionId },
	);
	// Items exported with notes (a fallback taken) are counted per code in their run, for Status.
	const noted = results.filter((result) => result.output === 'main' && (result.json.export_notes?.length ?? 0) > 0);
	const notedItems = (of: readonly ExportRunResult<Binary>[]) => of.flatMap((result) => (result.output === 'main' ? [result.json] : []));
	await recordNotes(store, notedItems(noted.filter(settles)), { executionId: host.executionId });
	const overrides = input.formatOverrides?.(0) ?? {};
	host.hint([
		...policyMessages([...run.warnings, ...formatOverrideWarnings(run.policy, provider.exportTypes, overrides)], refused),
		...noteMessages(provider.itemNoun, notedItems(noted)),
	]);
	return results;
}
