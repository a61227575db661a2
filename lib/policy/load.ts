import * as fs from 'node:fs';

import { errorMessage } from '../errors';
import type { Provider } from '../items';
import { providerIds } from '../providers/registry';
import { PolicyError } from './errors';
import { defaultPolicy, type OrgPolicy, type PathRules } from './policy';
import {
	domainCovers,
	type ExportFormat,
	fileTypeCovers,
	intersectLists,
	parseDomain,
	parseExportFormat,
	parseFileType,
	parsePathGlob,
	parsePositiveInteger,
	parsePositiveNumber,
	parseProvider,
	parseWorkspaceId,
	RejectedValue,
	smaller,
} from './values';

type ListKey =
	| 'enabledProviders'
	| 'allowedExportFormats'
	| 'allowedFileTypes'
	| 'allowedAccountDomains'
	| 'allowedNotionWorkspaces';
type NumberKey = 'maxFileSizeMb' | 'maxFilesPerRun' | 'maxConcurrentRuns';

/** The environment variable for each setting; the policy file uses the camelCase key. */
export const POLICY_VARIABLES: Readonly<Record<ListKey | NumberKey, string>> = {
	enabledProviders: 'ORG_CONNECTORS_ENABLED_PROVIDERS',
	allowedExportFormats: 'ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS',
	allowedFileTypes: 'ORG_CONNECTORS_ALLOWED_FILE_TYPES',
	maxFileSizeMb: 'ORG_CONNECTORS_MAX_FILE_SIZE_MB',
	allowedAccountDomains: 'ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS',
	allowedNotionWorkspaces: 'ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES',
	maxFilesPerRun: 'ORG_CONNECTORS_MAX_FILES_PER_RUN',
	maxConcurrentRuns: 'ORG_CONNECTORS_MAX_CONCURRENT_RUNS',
};

export const POLICY_FILE_VARIABLE = 'ORG_CONNECTORS_POLICY_FILE';

const SETTING_KEYS = Object.keys(POLICY_VARIABLES) as Array<ListKey | NumberKey>;
const KNOWN_VARIABLES = [...Object.values(POLICY_VARIABLES), POLICY_FILE_VARIABLE];

/** What one admin source (the environment or the policy file) sets; `undefined`: not set there. */
interface AdminSettings {
	enabledProviders?: Provider[];
	allowedExportFormats?: ExportFormat[];
	allowedFileTypes?: string[];
	maxFileSizeMb?: number;
	allowedAccountDomains?: string[];
	allowedNotionWorkspaces?: string[];
	maxFilesPerRun?: number;
	maxConcurrentRuns?: number;
}

/** Raw values of one admin source, and how to name a setting of it in an error. */
interface SettingSource {
	list(key: ListKey): string[] | undefined;
	number(key: NumberKey): string | number | undefined;
	describe(key: ListKey | NumberKey): SettingLabel;
}

/** `setting` names the variable or key for code; `where` introduces it in a message. */
interface SettingLabel {
	setting: string;
	where: string;
}

interface PolicyFile {
	path: string;
	json: Record<string, unknown>;
}

export type ReadPolicyFile = (path: string, encoding: 'utf8') => string;

/**
 * Reads the org policy from `ORG_CONNECTORS_*` variables and the JSON file named by
 * `ORG_CONNECTORS_POLICY_FILE`, failing with a `PolicyError` that names the variable or key at fault.
 *
 * - Precedence: both sources are the administrator's, so neither can widen the other. A setting
 *   set in only one applies as is; set in both, the narrower combination applies: the intersection
 *   of lists (a pattern is kept when the other list covers it, e.g. `text/plain` within `text/*`)
 *   and the smaller number. Defaults apply only to settings neither source sets.
 * - Empty values: a list variable set to an empty string is an empty list — nothing allowed (no
 *   providers, no formats, …); unset it for the default. Number variables must hold a number.
 *   An empty `ORG_CONNECTORS_POLICY_FILE` means no file.
 * - Misspellings fail: an unknown `ORG_CONNECTORS_*` variable or policy-file key is an error,
 *   since it would otherwise silently not apply.
 * - Path rules (`providers.<provider>.paths.allow|deny`) exist only in the file.
 */
export function loadPolicy(
	env: NodeJS.ProcessEnv = process.env,
	readFile: ReadPolicyFile = fs.readFileSync,
): OrgPolicy {
	rejectUnknownVariables(env);
	const fromEnv = readSettings(envSource(env));
	const policyFile = env[POLICY_FILE_VARIABLE]?.trim() || null;
	const file = policyFile === null ? undefined : readPolicyFile(policyFile, readFile);
	const fromFile = file === undefined ? {} : readSettings(fileSource(file));
	const defaults = defaultPolicy();

	return {
		enabledProviders:
			narrowerList(fromEnv.enabledProviders, fromFile.enabledProviders) ?? defaults.enabledProviders,
		allowedExportFormats:
			narrowerList(fromEnv.allowedExportFormats, fromFile.allowedExportFormats) ??
			defaults.allowedExportFormats,
		allowedFileTypes:
			narrowerList(fromEnv.allowedFileTypes, fromFile.allowedFileTypes, fileTypeCovers) ??
			defaults.allowedFileTypes,
		maxFileSizeMb:
			smaller(fromEnv.maxFileSizeMb ?? null, fromFile.maxFileSizeMb ?? null) ?? defaults.maxFileSizeMb,
		allowedAccountDomains:
			narrowerList(fromEnv.allowedAccountDomains, fromFile.allowedAccountDomains, domainCovers) ??
			defaults.allowedAccountDomains,
		allowedNotionWorkspaces:
			narrowerList(fromEnv.allowedNotionWorkspaces, fromFile.allowedNotionWorkspaces) ??
			defaults.allowedNotionWorkspaces,
		maxFilesPerRun: smaller(fromEnv.maxFilesPerRun ?? null, fromFile.maxFilesPerRun ?? null),
		maxConcurrentRuns: smaller(fromEnv.maxConcurrentRuns ?? null, fromFile.maxConcurrentRuns ?? null),
		paths: file === undefined ? defaults.paths : readPathRules(file),
		policyFile,
	};
}

function narrowerList<T>(
	a: T[] | undefined,
	b: T[] | undefined,
	covers?: (outer: T, inner: T) => boolean,
): T[] | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return intersectLists(a, b, covers);
}

function rejectUnknownVariables(env: NodeJS.ProcessEnv): void {
	for (const name of Object.keys(env)) {
		if (name.startsWith('ORG_CONNECTORS_') && !KNOWN_VARIABLES.includes(name)) {
			throw new PolicyError(
				name,
				`Unknown org policy variable ${name} — the policy reads ${KNOWN_VARIABLES.join(', ')}.`,
				'Fix the spelling: a misspelt variable would silently not apply.',
			);
		}
	}
}

function readSettings(source: SettingSource): AdminSettings {
	const list = <T>(key: ListKey, parse: (raw: string) => T): T[] | undefined => {
		const entries = source.list(key);
		return entries && [...new Set(entries.map((entry) => checked(source.describe(key), () => parse(entry))))];
	};
	const number = (key: NumberKey, parse: (raw: string | number) => number): number | undefined => {
		const raw = source.number(key);
		return raw === undefined ? undefined : checked(source.describe(key), () => parse(raw));
	};
	return {
		enabledProviders: list('enabledProviders', parseProvider),
		allowedExportFormats: list('allowedExportFormats', parseExportFormat),
		allowedFileTypes: list('allowedFileTypes', parseFileType),
		maxFileSizeMb: number('maxFileSizeMb', (raw) => parsePositiveNumber(raw, 'megabytes')),
		allowedAccountDomains: list('allowedAccountDomains', parseDomain),
		allowedNotionWorkspaces: list('allowedNotionWorkspaces', parseWorkspaceId),
		maxFilesPerRun: number('maxFilesPerRun', (raw) => parsePositiveInteger(raw, 'files')),
		maxConcurrentRuns: number('maxConcurrentRuns', (raw) => parsePositiveInteger(raw, 'runs')),
	};
}

function checked<T>(at: SettingLabel, parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		if (!(error instanceof RejectedValue)) throw error;
		const hint = 'Fix the value, or remove the setting to use the default.';
		throw new PolicyError(at.setting, `${at.where}: ${error.message}.`, hint);
	}
}

function envSource(env: NodeJS.ProcessEnv): SettingSource {
	return {
		list: (key) =>
			env[POLICY_VARIABLES[key]]
				?.split(',')
				.map((entry) => entry.trim())
				.filter((entry) => entry !== ''),
		number: (key) => env[POLICY_VARIABLES[key]],
		describe: (key) => ({ setting: POLICY_VARIABLES[key], where: POLICY_VARIABLES[key] }),
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fileError(path: string, key: string, message: string, hint?: string): PolicyError {
	return new PolicyError(key, `${fileLabel(path, key).where}: ${message}`, hint);
}

function rejectUnknownKeys(path: string, object: Record<string, unknown>, known: readonly string[], prefix = ''): void {
	for (const key of Object.keys(object)) {
		if (!known.includes(key)) {
			throw fileError(
				path,
				prefix + key,
				`unknown key — accepted here: ${known.join(', ')}.`,
				'Fix the spelling: a misspelt key would silently not apply.',
			);
		}
	}
}

function readPolicyFile(path: string, readFile: ReadPolicyFile): PolicyFile {
	let text: string;
	try {
		text = readFile(path, 'utf8');
	} catch (error) {
		throw new PolicyError(
			POLICY_FILE_VARIABLE,
			`Cannot read the policy file ${path} named by ${POLICY_FILE_VARIABLE} (${errorMessage(error)}).`,
			'Check the path and that the user n8n runs as can read it.',
			{ cause: error },
		);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new PolicyError(
			POLICY_FILE_VARIABLE,
			`Policy file ${path} is not valid JSON (${errorMessage(error)}).`,
			'Fix the JSON syntax; the file must hold one object such as {"enabledProviders": ["google_drive"]}.',
			{ cause: error },
		);
	}
	if (!isRecord(json)) {
		throw new PolicyError(
			POLICY_FILE_VARIABLE,
			`Policy file ${path} must hold a JSON object of settings, not ${JSON.stringify(json)}.`,
			'Write the settings as {"enabledProviders": ["google_drive"], "maxFileSizeMb": 50, …}.',
		);
	}
	rejectUnknownKeys(path, json, [...SETTING_KEYS, 'providers']);
	return { path, json };
}

function fileLabel(path: string, key: string): SettingLabel {
	return { setting: key, where: `Policy file ${path}, key "${key}"` };
}

function fileSource({ path, json }: PolicyFile): SettingSource {
	return {
		list: (key) => stringList(path, key, json[key]),
		number: (key) => {
			const value = json[key];
			if (value === undefined || typeof value === 'number') return value;
			throw fileError(path, key, `expected a JSON number, got ${JSON.stringify(value)}.`);
		},
		describe: (key) => fileLabel(path, key),
	};
}

function stringList(path: string, key: string, value: unknown): string[] | undefined {
	if (value === undefined) return undefined;
	if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value;
	throw fileError(path, key, `expected a JSON array of strings, got ${JSON.stringify(value)}.`);
}

/** `providers: { google_drive: { paths: { allow: [...], deny: [...] } } }`; a missing `allow` allows every path. */
function readPathRules({ path, json }: PolicyFile): Record<Provider, PathRules> {
	const providers = json.providers;
	const rules: Record<Provider, PathRules> = {};
	if (providers === undefined) return rules;
	if (!isRecord(providers)) {
		throw fileError(path, 'providers', `expected an object keyed by provider (${providerIds().join(', ')}).`);
	}
	rejectUnknownKeys(path, providers, providerIds(), 'providers.');
	for (const provider of providerIds()) {
		const section = providers[provider];
		if (section === undefined) continue;
		const prefix = `providers.${provider}`;
		if (!isRecord(section)) throw fileError(path, prefix, 'expected an object such as {"paths": {"deny": ["/HR/**"]}}.');
		rejectUnknownKeys(path, section, ['paths'], `${prefix}.`);
		const paths = section.paths;
		if (paths === undefined) continue;
		if (!isRecord(paths)) {
			throw fileError(path, `${prefix}.paths`, 'expected an object with "allow" and/or "deny" glob lists.');
		}
		rejectUnknownKeys(path, paths, ['allow', 'deny'], `${prefix}.paths.`);
		const globs = (key: string, value: unknown) =>
			stringList(path, key, value)?.map((glob) =>
				checked(fileLabel(path, key), () => parsePathGlob(glob)),
			);
		rules[provider] = {
			allow: globs(`${prefix}.paths.allow`, paths.allow) ?? null,
			deny: globs(`${prefix}.paths.deny`, paths.deny) ?? [],
		};
	}
	return rules;
}
