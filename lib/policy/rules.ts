import type { Provider } from '../items';
import { type PolicyViolationCode, PolicyViolationError, type SkipReason } from './errors';
import { POLICY_VARIABLES } from './load';
import { findProvider, providerName } from '../providers/registry';
import { formatBytes, maxFileSizeBytes, pathRulesFor, type OrgPolicy } from './policy';
import {
	domainCovers,
	type FileTypeFacts,
	fileTypeMatches,
	isExportFormat,
	matchingPathGlob,
	normaliseWorkspaceId,
} from './values';

export type PolicyDecision = { allowed: true } | { allowed: false; skipReason: SkipReason; skipDetail: string };

export interface FileFacts extends FileTypeFacts {
	/** From the source root, starting with `/`, ending with the file's own name. */
	path: string;
	/** Bytes; `null` when unknown until streamed (Google-native exports), which `byteCap` then limits. */
	size?: number | null;
}


/** Longest path and path segment the path rules check; longer ones are refused, not matched. */
export const MAX_RULED_PATH_LENGTH = 8_192;
export const MAX_RULED_SEGMENT_LENGTH = 1_024;

function oversizedPath(path: string): string | undefined {
	if (path.length > MAX_RULED_PATH_LENGTH) return `its path is ${path.length} characters long, over the ${MAX_RULED_PATH_LENGTH} the path rules check`;
	const longest = path.split('/').reduce((most, segment) => Math.max(most, segment.length), 0);
	if (longest > MAX_RULED_SEGMENT_LENGTH) return `a name in its path is ${longest} characters long, over the ${MAX_RULED_SEGMENT_LENGTH} the path rules check`;
	return undefined;
}

function refuse(skipReason: SkipReason, skipDetail: string): PolicyDecision {
	return { allowed: false, skipReason, skipDetail };
}

/**
 * Whether the org policy lets this file be imported, checked in order path, type, size.
 * Paths: a deny match refuses; when an allow list exists, the path must match it.
 * Types: allowed when the name's extension, the MIME type or the export format matches an entry.
 */
export function checkFile(policy: OrgPolicy, provider: Provider, file: FileFacts): PolicyDecision {
	const { allow, deny } = pathRulesFor(policy, provider);
	const oversized = allow !== null || deny.length > 0 ? oversizedPath(file.path) : undefined;
	if (oversized !== undefined) return refuse('policy_path', `${file.path.slice(0, 80)}… is refused: ${oversized}`);
	const denied = matchingPathGlob(deny, file.path);
	if (denied !== undefined) return refuse('policy_path', `${file.path} is in a path the org policy denies (${denied})`);
	if (allow !== null && matchingPathGlob(allow, file.path) === undefined) {
		return refuse('policy_path', `${file.path} is outside the paths the org policy allows (${listed(allow)})`);
	}

	const types = policy.allowedFileTypes;
	if (types !== null && !types.some((type) => fileTypeMatches(type, file))) {
		const what = file.mime ? `${file.name} (${file.mime})` : file.name;
		const allowed = types.length > 0 ? `allowed are ${types.join(', ')}` : 'no file types are allowed';
		return refuse('policy_file_type', `${what} is not an allowed file type: ${allowed}`);
	}

	const limit = maxFileSizeBytes(policy);
	if (typeof file.size === 'number' && file.size > limit) {
		return refuse(
			'policy_size',
			`${file.name} is ${formatBytes(file.size)}, ` +
				`over the org limit of ${policy.maxFileSizeMb} MB (${formatBytes(limit)})`,
		);
	}
	return { allowed: true };
}

export type ExportDecision =
	| {
			allowed: true;
			format: string;
			/** The requested format, when the policy refused it and the default applies instead. */
			ignoredOverride?: string;
	  }
	| { allowed: false; skipReason: 'policy_export_format'; skipDetail: string };

/**
 * The format to export to: the requested override when the policy allows it, else the default when
 * that is allowed, else a skip.
 */
export function resolveExportFormat(
	policy: OrgPolicy,
	requested: string | undefined,
	defaultFormat: string,
): ExportDecision {
	const isAllowed = (format: string) => isExportFormat(format) && policy.allowedExportFormats.includes(format);
	const override = requested?.trim().toLowerCase().replace(/^\./, '') || undefined;
	const fallback = defaultFormat.toLowerCase();
	if (override !== undefined && isAllowed(override)) return { allowed: true, format: override };
	if (isAllowed(fallback)) {
		return override === undefined
			? { allowed: true, format: fallback }
			: { allowed: true, format: fallback, ignoredOverride: override };
	}

	const allowed = listed(policy.allowedExportFormats);
	const refused = override === undefined ? fallback : `${override} (nor the default ${fallback})`;
	return {
		allowed: false,
		skipReason: 'policy_export_format',
		skipDetail: `the org policy does not allow exporting to ${refused}: allowed formats are ${allowed}`,
	};
}

function askAdministrator(setting: keyof typeof POLICY_VARIABLES, policy: OrgPolicy, change: string): string {
	const where = policy.policyFile ? ` (and "${setting}" in the policy file ${policy.policyFile})` : '';
	return `ask your n8n administrator to ${change} ${POLICY_VARIABLES[setting]}${where}`;
}

function listed(values: readonly string[]): string {
	return values.length > 0 ? values.join(', ') : 'none';
}

function violation(code: PolicyViolationCode, problem: string, action: string): PolicyViolationError {
	const hint = action.charAt(0).toUpperCase() + action.slice(1) + '.';
	return new PolicyViolationError(code, `${problem} — ${action}.`, hint);
}

export function assertProviderEnabled(policy: OrgPolicy, provider: Provider): void {
	if (policy.enabledProviders.includes(provider)) return;
	throw violation(
		'policy_provider_disabled',
		`The ${providerName(provider)} connector is disabled by the org policy ` +
			`(enabled providers: ${listed(policy.enabledProviders)})`,
		askAdministrator('enabledProviders', policy, `add ${provider} to`),
	);
}

export interface AccountFacts {
	/** The Drive account's e-mail, or the Notion integration owner's. */
	email?: string | null;
	workspaceId?: string | null;
	workspaceName?: string | null;
}

/**
 * Fails closed: when the policy restricts domains (or Notion workspaces), an account whose e-mail
 * (or workspace id) is unknown is refused.
 */
export function assertAccountAllowed(policy: OrgPolicy, provider: Provider, account: AccountFacts): void {
	const domains = policy.allowedAccountDomains;
	if (domains !== null) {
		const email = account.email?.trim().toLowerCase();
		const domain = email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1).replace(/\.$/, '') : undefined;
		if (domain === undefined || !domains.some((allowed) => domainCovers(allowed, domain))) {
			const who =
				domain === undefined
					? `The ${providerName(provider)} account's e-mail is unknown, so it`
					: `The ${providerName(provider)} account ${email}`;
			throw violation(
				'policy_account_domain',
				`${who} is not in a domain the org policy allows (allowed: ${listed(domains)})`,
				'connect an account from an allowed domain, or ' +
					askAdministrator('allowedAccountDomains', policy, 'add its domain to'),
			);
		}
	}

	const workspaces = policy.allowedNotionWorkspaces;
	if (findProvider(provider)?.workspaceRule === true && workspaces !== null) {
		const id = normaliseWorkspaceId(account.workspaceId ?? '');
		if (id === undefined || !workspaces.includes(id)) {
			const name = account.workspaceName ? `"${account.workspaceName}" ` : '';
			const who = id ? `The Notion workspace ${name}(${id})` : `The Notion workspace ${name}has no known id, so it`;
			throw violation(
				'policy_notion_workspace',
				`${who} is not a workspace the org policy allows (allowed: ${listed(workspaces)})`,
				'connect a credential for an allowed workspace, or ' +
					askAdministrator('allowedNotionWorkspaces', policy, "add the workspace's id to"),
			);
		}
	}
}

export interface RunningRun {
	executionId: string;
	acquiredAt: string;
}

/** The provider already has as many runs in progress as ORG_CONNECTORS_MAX_CONCURRENT_RUNS allows. */
export function concurrentRunsError(policy: OrgPolicy, provider: Provider, running: readonly RunningRun[]): PolicyViolationError {
	const limit = policy.maxConcurrentRuns ?? running.length;
	const shown = running.slice(0, 5).map((run) => `execution ${run.executionId} since ${run.acquiredAt}`);
	const more = running.length > shown.length ? `, and ${running.length - shown.length} more` : '';
	return violation(
		'policy_concurrent_runs',
		`The ${providerName(provider)} connector already has ${running.length} run(s) in progress ` +
			`(${shown.join('; ')}${more}) and the org policy allows at most ${limit} at a time`,
		'retry once one of them has finished (a run ends when Connector Dedup has committed its items), or ' +
			askAdministrator('maxConcurrentRuns', policy, 'raise'),
	);
}
