/**
 * The org policy's path, type and size rules on items, as listing and export apply them. What a
 * provider says of an item's export choices decides which rules wait for export: the format of a
 * type with several choices is picked by the Export node, and a converted item's size is its
 * export's, which the size cap measures while streaming.
 */
import { InvalidInputError } from '../errors';
import type { ConnectorItem } from '../items';
import { checkFile, resolveExportFormat, type OrgPolicy, type PolicyDecision } from '../policy';
import type { ConnectorProvider, ExportChoices } from '../providers/types';

export type PolicyProvider = Pick<ConnectorProvider, 'id' | 'displayName' | 'exportChoices'>;

export type SkippedItem = ConnectorItem & { skip_reason: string; skip_detail: string };

/** Path, type and size rules on a listed item. Deletions always pass, so downstream can remove the document. */
export function checkListedItem(policy: OrgPolicy, provider: PolicyProvider, item: ConnectorItem): PolicyDecision {
	if (item.change === 'deleted') return { allowed: true };
	const choices = provider.exportChoices(item);
	const chosenAtExport = choices !== undefined && choices.formats.length !== 1;
	const plannedFormat = typeof item.export_format === 'string' ? item.export_format : chosenAtExport ? undefined : choices?.default;
	return checkFile(chosenAtExport ? { ...policy, allowedFileTypes: null } : policy, provider.id, {
		path: item.path,
		name: item.name,
		mime: item.mime ?? undefined,
		size: choices === undefined ? (item.size ?? undefined) : undefined,
		exportFormat: plannedFormat,
	});
}

export type ExportPlan =
	| { allowed: true; choices?: ExportChoices; format?: string }
	| { allowed: false; skipReason: string; skipDetail: string };

/**
 * Before anything is downloaded: the format the item is exported to (resolved once, against the
 * policy and the node's override for its type), then the path, type and size rules with it.
 */
export function planExport(
	policy: OrgPolicy,
	provider: PolicyProvider,
	item: ConnectorItem,
	overrides: Readonly<Record<string, string | undefined>>,
): ExportPlan {
	const choices = provider.exportChoices(item);
	const override = choices === undefined ? undefined : validOverride(provider, choices, overrides[choices.kind]);
	const decision = choices === undefined ? undefined : formatDecision(policy, choices, override);
	let format = decision?.allowed ? decision.format : undefined;
	const rulesFor = (exportFormat: string | undefined) =>
		checkFile(policy, provider.id, {
			path: item.path,
			name: item.name,
			mime: item.mime ?? undefined,
			size: choices === undefined || (choices.keepsOriginal && exportFormat === choices.default) ? (item.size ?? undefined) : undefined,
			exportFormat,
		});
	let rules = rulesFor(format);
	if (!rules.allowed && rules.skipReason === 'policy_file_type' && choices?.keepsOriginal && override === undefined) {
		// The policy refuses the file as it is but allows a conversion of it: that is what it asks for.
		const conversion = choices.formats.find((candidate) => candidate !== choices.default && resolveExportFormat(policy, candidate, candidate).allowed && rulesFor(candidate).allowed);
		if (conversion !== undefined) {
			format = conversion;
			rules = rulesFor(format);
		}
	}
	if (!rules.allowed) return rules;
	if (decision !== undefined && !decision.allowed) {
		return { allowed: false, skipReason: decision.skipReason, skipDetail: `"${item.name}": ${decision.skipDetail}` };
	}
	return { allowed: true, choices, format };
}

/**
 * The format an item is exported to. A provider's own bytes (`keepsOriginal`) need no conversion,
 * so the export-format list binds only an override that converts; a refused one keeps the bytes.
 */
function formatDecision(policy: OrgPolicy, choices: ExportChoices, override: string | undefined): ReturnType<typeof resolveExportFormat> {
	if (!choices.keepsOriginal) return resolveExportFormat(policy, override, choices.default);
	const requested = override?.trim().toLowerCase().replace(/^\./, '') || undefined;
	if (requested === undefined || requested === choices.default) return { allowed: true, format: choices.default };
	const decision = resolveExportFormat(policy, requested, requested);
	return decision.allowed ? decision : { allowed: true, format: choices.default, ignoredOverride: requested };
}

/**
 * A format override must be one the provider can produce for the type: anything else is a mistake
 * in the workflow, not a file to skip. An empty override means the default.
 */
function validOverride(provider: PolicyProvider, choices: ExportChoices, raw: string | undefined): string | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const format = raw.trim().toLowerCase().replace(/^\./, '');
	if (!choices.formats.includes(format)) {
		throw new InvalidInputError(
			`${provider.displayName} cannot export a ${choices.kind} to "${raw}"`,
			`Choose one of: ${choices.formats.join(', ')}.`,
		);
	}
	return format;
}

/** What the policy does to the node's format overrides, for its warnings: a fallback to the default, or a skip. */
export function formatOverrideWarnings(
	policy: OrgPolicy,
	exportTypes: readonly ExportChoices[],
	overrides: Readonly<Record<string, string | undefined>>,
): string[] {
	return exportTypes.flatMap((choices) => {
		if (overrides[choices.kind] === undefined) return [];
		const decision = formatDecision(policy, choices, overrides[choices.kind]);
		if (decision.allowed && decision.ignoredOverride !== undefined) {
			return [`The org policy does not allow ${decision.ignoredOverride}: ${choices.label} are exported as ${decision.format} instead`];
		}
		return decision.allowed ? [] : [`${choices.label} go to Skipped: ${decision.skipDetail}`];
	});
}

/** Splits listed items by the rules; refused ones carry `skip_reason` and `skip_detail`. */
export function partitionByPolicy(
	policy: OrgPolicy,
	provider: PolicyProvider,
	items: readonly ConnectorItem[],
): { allowed: ConnectorItem[]; skipped: SkippedItem[] } {
	const allowed: ConnectorItem[] = [];
	const skipped: SkippedItem[] = [];
	for (const item of items) {
		const decision = checkListedItem(policy, provider, item);
		if (decision.allowed) allowed.push(item);
		else skipped.push({ ...item, skip_reason: decision.skipReason, skip_detail: decision.skipDetail });
	}
	return { allowed, skipped };
}
