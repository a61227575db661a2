import { InvalidInputError } from '../errors';
import { providerIds } from '../providers/registry';
import { pathRulesFor, type OrgPolicy, type PathRules } from './policy';
import {
	fileTypeCovers,
	parseExportFormat,
	parseFileType,
	parsePathGlob,
	parsePositiveInteger,
	parsePositiveNumber,
	parseProvider,
	RejectedValue,
} from './values';

/**
 * What a workflow's node parameters ask for. `undefined`: no narrowing; an empty list: none allowed
 * (map a blank parameter to `undefined`).
 */
export interface PolicyNarrowing {
	enabledProviders?: readonly string[];
	allowedExportFormats?: readonly string[];
	allowedFileTypes?: readonly string[];
	maxFileSizeMb?: number;
	maxFilesPerRun?: number;
	/** Extra path globs to deny, for every provider. */
	denyPaths?: readonly string[];
}

/** A requested value outside the org policy, dropped so the node can warn about it. */
export interface IgnoredNarrowing {
	setting: keyof PolicyNarrowing;
	value: string;
	message: string;
}

export interface NarrowedPolicy {
	policy: OrgPolicy;
	ignored: IgnoredNarrowing[];
}

/**
 * Narrows the org policy with node parameters; it can never widen it. Requested values the org does
 * not allow are dropped (intersection) and reported in `ignored`; limits take the smaller value.
 * Malformed values (an unknown format, a bad glob, a negative size) throw an `InvalidInputError`.
 */
export function narrowPolicy(policy: OrgPolicy, narrowing: PolicyNarrowing): NarrowedPolicy {
	const requested = parseNarrowing(narrowing);
	const ignored: IgnoredNarrowing[] = [];
	const ignore = (setting: keyof PolicyNarrowing, value: string | number, why: string) =>
		ignored.push({ setting, value: String(value), message: `${setting} ${value} is ignored: ${why}` });

	const within = <T extends string>(
		setting: keyof PolicyNarrowing,
		values: readonly T[] | undefined,
		orgAllowed: readonly T[] | null,
		covers: (outer: T, inner: T) => boolean = (outer, inner) => outer === inner,
	): T[] | undefined =>
		values?.filter((value) => {
			if (orgAllowed === null || orgAllowed.some((allowed) => covers(allowed, value))) return true;
			ignore(setting, value, `the org policy allows only ${orgAllowed.join(', ') || 'none'}`);
			return false;
		});
	const capped = (setting: keyof PolicyNarrowing, value: number | undefined, orgLimit: number | null) => {
		if (value === undefined || orgLimit === null || value <= orgLimit) return value;
		ignore(setting, value, `above the org limit of ${orgLimit}, which applies`);
		return undefined;
	};
	const withDeny = (rules: PathRules): PathRules => ({
		allow: rules.allow,
		deny: [...new Set([...rules.deny, ...(requested.denyPaths ?? [])])],
	});

	return {
		policy: {
			...policy,
			enabledProviders:
				within('enabledProviders', requested.enabledProviders, policy.enabledProviders) ?? policy.enabledProviders,
			allowedExportFormats:
				within('allowedExportFormats', requested.allowedExportFormats, policy.allowedExportFormats) ??
				policy.allowedExportFormats,
			allowedFileTypes:
				within('allowedFileTypes', requested.allowedFileTypes, policy.allowedFileTypes, fileTypeCovers) ??
				policy.allowedFileTypes,
			maxFileSizeMb: capped('maxFileSizeMb', requested.maxFileSizeMb, policy.maxFileSizeMb) ?? policy.maxFileSizeMb,
			maxFilesPerRun: capped('maxFilesPerRun', requested.maxFilesPerRun, policy.maxFilesPerRun) ?? policy.maxFilesPerRun,
			paths: Object.fromEntries(providerIds().map((provider) => [provider, withDeny(pathRulesFor(policy, provider))])),
		},
		ignored,
	};
}

function parseNarrowing(narrowing: PolicyNarrowing) {
	const list = <T>(setting: keyof PolicyNarrowing, values: readonly string[] | undefined, parse: (raw: string) => T) =>
		values && [...new Set(values.map((value) => checked(setting, () => parse(value))))];
	const number = <T>(setting: keyof PolicyNarrowing, value: number | undefined, parse: (raw: number) => T) =>
		value === undefined ? undefined : checked(setting, () => parse(value));
	return {
		enabledProviders: list('enabledProviders', narrowing.enabledProviders, parseProvider),
		allowedExportFormats: list('allowedExportFormats', narrowing.allowedExportFormats, parseExportFormat),
		allowedFileTypes: list('allowedFileTypes', narrowing.allowedFileTypes, parseFileType),
		maxFileSizeMb: number('maxFileSizeMb', narrowing.maxFileSizeMb, (raw) => parsePositiveNumber(raw, 'megabytes')),
		maxFilesPerRun: number('maxFilesPerRun', narrowing.maxFilesPerRun, (raw) => parsePositiveInteger(raw, 'files')),
		denyPaths: list('denyPaths', narrowing.denyPaths, parsePathGlob),
	};
}

function checked<T>(setting: keyof PolicyNarrowing, parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		if (!(error instanceof RejectedValue)) throw error;
		throw new InvalidInputError(`Policy narrowing "${setting}": ${error.message}.`, 'Fix the node parameter.');
	}
}
