/**
 * The org policy as the nodes apply it: loaded from the environment (and policy file), narrowed by
 * the node's "Restrict Further" parameters, checked on listed items. One place for every node.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ConnectorItem, Provider } from '../../lib/items';
import { NOTION_PAGE_MIME } from '../../lib/providers/notion/objects';
import {
	type AccountFacts,
	assertAccountAllowed,
	assertProviderEnabled,
	checkFile,
	concurrentRunsError,
	describePolicy,
	loadPolicy,
	narrowPolicy,
	type OrgPolicy,
	type PolicyDecision,
	type PolicyDescription,
	type PolicyNarrowing,
} from '../../lib/policy';
import { RUN_SLOT_TTL_MS, type ConnectorStore } from '../../lib/store';

import { commaList, positiveNumber } from './parameters';

export const POLICY_NARROWING_PARAMETER = 'policyNarrowing';

export interface RunPolicy {
	policy: OrgPolicy;
	/** The effective policy as JSON, for run records and output metadata. */
	description: PolicyDescription;
	/** Narrowing requests the org policy overrides (shown as warnings, never widening it). */
	warnings: string[];
}

/** The "Restrict Further" collection for the given operations: a workflow can narrow the org policy, never widen it. */
export function policyNarrowingProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Restrict Further',
		name: POLICY_NARROWING_PARAMETER,
		type: 'collection',
		placeholder: 'Add Restriction',
		default: {},
		description: "Narrow the organisation's policy for this node; it can never be widened here",
		displayOptions: { show: { operation: operations } },
		options: [
			{
				displayName: 'Allowed File Types',
				name: 'allowedFileTypes',
				type: 'string',
				default: '',
				placeholder: 'pdf, md, text/*',
				description: 'Comma-separated extensions or MIME patterns; only these are imported',
			},
			{
				displayName: 'Allowed Export Formats',
				name: 'allowedExportFormats',
				type: 'string',
				default: '',
				placeholder: 'md, txt',
				description: 'Comma-separated export formats this node may produce',
			},
			{
				displayName: 'Deny Paths',
				name: 'denyPaths',
				type: 'string',
				default: '',
				placeholder: '/HR/**, **/Private/**',
				description: 'Comma-separated glob patterns on paths from the source root; matching items are skipped',
			},
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Larger files are skipped; 0 keeps the org limit',
			},
			{
				displayName: 'Max Files per Run',
				name: 'maxFilesPerRun',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'The rest comes on the next run; 0 keeps the org limit',
			},
		],
	};
}

function list(value: unknown): string[] | undefined {
	const entries = commaList(value);
	return entries.length > 0 ? entries : undefined;
}

/** What the node's "Restrict Further" parameters ask for (blank values ask for nothing). */
export function narrowingFromParameters(raw: IDataObject): PolicyNarrowing {
	return {
		allowedFileTypes: list(raw.allowedFileTypes),
		allowedExportFormats: list(raw.allowedExportFormats),
		denyPaths: list(raw.denyPaths),
		maxFileSizeMb: positiveNumber(raw.maxFileSizeMb),
		maxFilesPerRun: positiveNumber(raw.maxFilesPerRun),
	};
}

/**
 * The effective policy for this node run: the org policy narrowed by the node's parameters.
 * Throws, before any API call, when the provider is disabled or a policy value is bad.
 */
export function runPolicy(ctx: IExecuteFunctions, itemIndex: number, provider: Provider): RunPolicy {
	const org = loadPolicy();
	assertProviderEnabled(org, provider);
	const raw = ctx.getNodeParameter(POLICY_NARROWING_PARAMETER, itemIndex, {}) as IDataObject;
	const { policy, ignored } = narrowPolicy(org, narrowingFromParameters(raw ?? {}));
	return { policy, description: describePolicy(policy), warnings: ignored.map((entry) => entry.message) };
}

/**
 * Google-native files have no type or size of their own: their type is the format export picks and
 * their size is the exported content's, so those two rules wait for export (the size while streaming).
 */
function decidedAtExport(provider: Provider, item: ConnectorItem): boolean {
	return provider === 'google_drive' && typeof item.mime === 'string' && item.mime.startsWith('application/vnd.google-apps.');
}

/**
 * Path, type and size rules on a listed item (export checks again with what it knows then: the
 * export format, and the size while streaming). Deletions always pass, so downstream can remove the document.
 */
export function checkListedItem(policy: OrgPolicy, provider: Provider, item: ConnectorItem): PolicyDecision {
	if (item.change === 'deleted') return { allowed: true };
	const deferred = decidedAtExport(provider, item);
	return checkFile(deferred ? { ...policy, allowedFileTypes: null } : policy, provider, {
		path: item.path,
		name: item.name,
		mime: item.mime ?? undefined,
		size: deferred ? undefined : (item.size ?? undefined),
		exportFormat: exportFormatOf(provider, item),
	});
}

/** What the item is exported as, when its name and MIME type do not say: a Notion page is Markdown. */
function exportFormatOf(provider: Provider, item: ConnectorItem): string | undefined {
	if (typeof item.export_format === 'string') return item.export_format;
	if (provider === 'notion' && item.mime === NOTION_PAGE_MIME) return 'md';
	return undefined;
}

export type SkippedItem = ConnectorItem & { skip_reason: string; skip_detail: string };

/** Items without what the cache keys them by (e.g. built by hand in a Code node) cannot be settled there. */
function settleable(item: ConnectorItem): boolean {
	return [item.provider, item.source_key, item.external_id].every((value) => typeof value === 'string' && value !== '');
}

/**
 * Settles refused items in the cache as skipped, one call per reason: their counts per reason go
 * into the run record and the run's cursor no longer waits for them. Items without a `run_id` of
 * their own count towards `runId`, else towards the execution's run of their source.
 */
export async function settleSkipped(
	cache: ConnectorStore,
	runId: number | undefined,
	skipped: readonly SkippedItem[],
	executionId?: string,
): Promise<void> {
	const byReason = new Map<string, SkippedItem[]>();
	for (const item of skipped.filter(settleable)) byReason.set(item.skip_reason, [...(byReason.get(item.skip_reason) ?? []), item]);
	for (const [reason, items] of byReason) await cache.items.release(items, { runId, executionId, outcome: 'skipped', reason });
}

/**
 * Splits listed items by the policy's path/type/size rules. Refused items get skip_reason/skip_detail,
 * their counts per reason go into the run record, and they are settled so the run's cursor still
 * advances. Deletions always pass.
 */
export async function partitionByPolicy(
	cache: ConnectorStore,
	runId: number,
	policy: OrgPolicy,
	provider: Provider,
	items: ConnectorItem[],
): Promise<{ allowed: ConnectorItem[]; skipped: SkippedItem[] }> {
	const allowed: ConnectorItem[] = [];
	const skipped: SkippedItem[] = [];
	for (const item of items) {
		const decision = checkListedItem(policy, provider, item);
		if (decision.allowed) allowed.push(item);
		else skipped.push({ ...item, skip_reason: decision.skipReason, skip_detail: decision.skipDetail });
	}
	await settleSkipped(cache, runId, skipped);
	return { allowed, skipped };
}

/**
 * Takes one of ORG_CONNECTORS_MAX_CONCURRENT_RUNS slots for the provider, across executions and n8n
 * processes sharing the cache database. Throws a clear error when none is free. Call at the start of
 * a listChanges/export execution and call the returned release() in a finally.
 */
export async function acquireRunSlot(
	cache: ConnectorStore,
	provider: Provider,
	executionId: string,
	policy: OrgPolicy,
): Promise<() => Promise<void>> {
	const limit = policy.maxConcurrentRuns;
	if (limit === null) return async () => undefined;
	const result = await cache.slots.acquire({ provider, executionId, limit });
	if (!result.acquired) throw concurrentRunsError(policy, provider, result.holders);
	const heartbeat = setInterval(() => {
		cache.slots.renew(provider, executionId).catch(() => {
			// A busy cache skips one renewal; the next one (well within the slot's lifetime) catches up.
		});
	}, RUN_SLOT_TTL_MS / 4);
	heartbeat.unref();
	let released = false;
	return async () => {
		if (released) return;
		released = true;
		clearInterval(heartbeat);
		await cache.slots.release(provider, executionId);
	};
}

const MAX_REMEMBERED_ACCOUNTS = 200;
const accounts = new Map<string, Promise<AccountFacts>>();

/**
 * The connected account (Drive user, Notion integration owner and workspace), fetched once per
 * credential and execution and checked against the policy on every call: a disallowed account fails
 * the node with a message naming it and the allowed domains or workspaces.
 */
export async function checkAccount(
	ctx: IExecuteFunctions,
	provider: Provider,
	policy: OrgPolicy,
	fetchAccount: () => Promise<AccountFacts>,
): Promise<AccountFacts> {
	const credentialIds = Object.values(ctx.getNode().credentials ?? {}).map((credential) => credential.id ?? credential.name);
	const key = [provider, ctx.getExecutionId() ?? '', ...credentialIds].join('\u0000');
	let account = accounts.get(key);
	if (account === undefined) {
		account = fetchAccount();
		accounts.set(key, account);
		account.catch(() => accounts.delete(key));
		if (accounts.size > MAX_REMEMBERED_ACCOUNTS) accounts.delete(accounts.keys().next().value as string);
	}
	const facts = await account;
	assertAccountAllowed(policy, provider, facts);
	return facts;
}

/** Shows what the policy did in the node's output panel: overridden narrowing and skips per reason. */
export function policyHints(ctx: IExecuteFunctions, warnings: readonly string[], skipped: readonly SkippedItem[]): void {
	const counts = new Map<string, number>();
	for (const item of skipped) counts.set(item.skip_reason, (counts.get(item.skip_reason) ?? 0) + 1);
	const messages = [...warnings];
	if (counts.size > 0) {
		const perReason = [...counts].map(([reason, count]) => `${reason}: ${count}`).join(', ');
		messages.push(`${skipped.length} item(s) went to the Skipped output (${perReason})`);
	}
	if (messages.length > 0) ctx.addExecutionHints(...messages.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
}
