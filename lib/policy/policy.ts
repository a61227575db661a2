import type { Provider } from '../items';
import { providerIds } from '../providers/registry';
import type { ExportFormat } from './values';

export interface PathRules {
	/** Globs a path must match; `null`: every path. */
	allow: readonly string[] | null;
	/** Globs no path may match; deny beats allow. */
	deny: readonly string[];
}

/** The effective org policy (docs/architecture.md, "Org policy"). `null` means any / unlimited; an empty list means none. */
export interface OrgPolicy {
	enabledProviders: readonly Provider[];
	allowedExportFormats: readonly ExportFormat[];
	/** Extensions and MIME patterns, lower-case. */
	allowedFileTypes: readonly string[] | null;
	maxFileSizeMb: number;
	/** `example.com` or `*.example.com`, lower-case. */
	allowedAccountDomains: readonly string[] | null;
	/** Dashed lower-case workspace ids. */
	allowedNotionWorkspaces: readonly string[] | null;
	maxFilesPerRun: number | null;
	/** Per provider. */
	maxConcurrentRuns: number | null;
	/** Per provider; a provider without an entry has every path open (see `pathRulesFor`). */
	paths: Readonly<Record<Provider, PathRules>>;
	/** The policy file the settings came from, if one was named. */
	policyFile: string | null;
}

const OPEN_PATHS: PathRules = { allow: null, deny: [] };

/** The policy with no setting made: every shipped provider enabled, the default formats and size. */
export function defaultPolicy(): OrgPolicy {
	return {
		enabledProviders: providerIds(),
		allowedExportFormats: ['md', 'txt', 'csv', 'pdf'],
		allowedFileTypes: null,
		maxFileSizeMb: 500,
		allowedAccountDomains: null,
		allowedNotionWorkspaces: null,
		maxFilesPerRun: null,
		maxConcurrentRuns: null,
		paths: {},
		policyFile: null,
	};
}

export function pathRulesFor(policy: OrgPolicy, provider: Provider): PathRules {
	return policy.paths[provider] ?? OPEN_PATHS;
}

const BYTES_PER_MB = 1024 * 1024;

/** Megabytes are MiB (1,048,576 bytes); a file of exactly the limit is allowed. */
export function maxFileSizeBytes(policy: OrgPolicy): number {
	return Math.floor(policy.maxFileSizeMb * BYTES_PER_MB);
}

export function formatBytes(bytes: number): string {
	return `${bytes.toLocaleString('en-US')} bytes`;
}

export interface PolicyDescription {
	enabledProviders: Provider[];
	allowedExportFormats: ExportFormat[];
	allowedFileTypes: string[] | 'any';
	maxFileSizeMb: number;
	maxFileSizeBytes: number;
	allowedAccountDomains: string[] | 'any';
	allowedNotionWorkspaces: string[] | 'any';
	maxFilesPerRun: number | 'unlimited';
	maxConcurrentRuns: number | 'unlimited';
	paths: Record<Provider, { allow: string[] | 'any'; deny: string[] }>;
	policyFile: string | null;
}

/** The effective policy as plain JSON for run records and status output, with `any`/`unlimited` spelled out. */
export function describePolicy(policy: OrgPolicy): PolicyDescription {
	const list = <T>(values: readonly T[] | null): T[] | 'any' => (values === null ? 'any' : [...values]);
	const limit = (value: number | null): number | 'unlimited' => value ?? 'unlimited';
	const paths = (rules: PathRules) => ({ allow: list(rules.allow), deny: [...rules.deny] });
	return {
		enabledProviders: [...policy.enabledProviders],
		allowedExportFormats: [...policy.allowedExportFormats],
		allowedFileTypes: list(policy.allowedFileTypes),
		maxFileSizeMb: policy.maxFileSizeMb,
		maxFileSizeBytes: maxFileSizeBytes(policy),
		allowedAccountDomains: list(policy.allowedAccountDomains),
		allowedNotionWorkspaces: list(policy.allowedNotionWorkspaces),
		maxFilesPerRun: limit(policy.maxFilesPerRun),
		maxConcurrentRuns: limit(policy.maxConcurrentRuns),
		paths: Object.fromEntries(providerIds().map((provider) => [provider, paths(pathRulesFor(policy, provider))])),
		policyFile: policy.policyFile,
	};
}
