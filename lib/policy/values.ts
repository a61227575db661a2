import picomatch from 'picomatch';

import { compilePathGlob, type PathGlob, PathGlobError } from '../files/pathGlob';

import type { Provider } from '../items';
import { providerIds } from '../providers/registry';

/**
 * One policy value at a time: parse and normalise it, or say what is accepted.
 * Callers add where the value came from (a variable, a policy-file key, a node parameter).
 */
export class RejectedValue extends Error {
	constructor(
		readonly value: string,
		readonly expected: string,
	) {
		super(`"${value}" is not valid — expected ${expected}`);
		this.name = 'RejectedValue';
	}
}

/** Formats Drive can export Google-native files to, plus Notion's Markdown. */
export const EXPORT_FORMATS = [
	'md',
	'txt',
	'csv',
	'tsv',
	'pdf',
	'html',
	'docx',
	'xlsx',
	'pptx',
	'odt',
	'ods',
	'odp',
	'rtf',
	'epub',
	'json',
	'zip',
	'png',
	'jpg',
	'svg',
] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
	return (EXPORT_FORMATS as readonly string[]).includes(value);
}

function isProvider(value: string): value is Provider {
	return providerIds().includes(value);
}

export function parseProvider(raw: string): Provider {
	const value = raw.trim().toLowerCase();
	if (isProvider(value)) return value;
	throw new RejectedValue(raw, `a provider: ${providerIds().join(', ')}`);
}

export function parseExportFormat(raw: string): ExportFormat {
	const value = raw.trim().toLowerCase().replace(/^\./, '');
	if (isExportFormat(value)) return value;
	throw new RejectedValue(raw, `an export format: ${EXPORT_FORMATS.join(', ')}`);
}

const EXTENSION = /^[a-z0-9][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$/;
const MIME_PART = /^[a-z0-9*][a-z0-9!#$&^_.+*-]*$/;

/** An extension (`pdf`, `.tar.gz`) or a MIME pattern where `*` is the only wildcard (`text/*`). Lower-cased. */
export function parseFileType(raw: string): string {
	const value = raw.trim().toLowerCase();
	const slash = value.indexOf('/');
	if (slash === -1) {
		const extension = value.replace(/^\./, '');
		if (EXTENSION.test(extension)) return extension;
	} else if (MIME_PART.test(value.slice(0, slash)) && MIME_PART.test(value.slice(slash + 1))) {
		return value;
	}
	throw new RejectedValue(
		raw,
		'a file extension (pdf, md) or a MIME type pattern with * as the only wildcard ' +
			'(text/*, application/vnd.google-apps.*)',
	);
}

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `example.com` (that domain only) or `*.example.com` (its subdomains at any depth, not example.com itself). */
export function parseDomain(raw: string): string {
	const value = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
	const host = value.startsWith('*.') ? value.slice(2) : value;
	const labels = host.split('.');
	if (host.length <= 253 && labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label))) return value;
	throw new RejectedValue(raw, 'a domain such as example.com, or *.example.com for its subdomains');
}

/** A Notion workspace id, with or without dashes, in the dashed lower-case form; `undefined` if it is not one. */
export function normaliseWorkspaceId(raw: string): string | undefined {
	const value = raw.trim().toLowerCase();
	if (!/^[0-9a-f]{32}$/.test(value) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
		return undefined;
	}
	const hex = value.replace(/-/g, '');
	return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

export function parseWorkspaceId(raw: string): string {
	const id = normaliseWorkspaceId(raw);
	if (id !== undefined) return id;
	throw new RejectedValue(raw, 'a Notion workspace id: 32 hex digits, with or without dashes');
}

// Dotfiles match like any other name so a deny rule cannot be dodged with a leading dot; case is ignored
// because people write folder names from memory. MIME patterns keep picomatch: they are short and bounded.
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, nocase: true, windows: false, strictBrackets: true };

/**
 * A path glob from the source root: `/HR/**`, `/Engineering/*.md`, or `**\/drafts/**` at any depth.
 * A trailing slash means the folder and everything in it (`/HR/` = `/HR/**`).
 */
export function parsePathGlob(raw: string): string {
	const expected = 'a glob from the source root starting with / or **, e.g. /HR/** or **/drafts/**';
	let value = raw.trim();
	if (!value.startsWith('/') && !value.startsWith('**')) throw new RejectedValue(raw, expected);
	if (value.length > 1 && value.endsWith('/')) value += '**';
	try {
		pathMatcher(value);
	} catch (error) {
		const reason = error instanceof PathGlobError ? error.reason : error instanceof Error ? error.message : String(error);
		throw new RejectedValue(raw, `${expected} (${reason})`);
	}
	return value;
}

const POSITIVE_DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A positive number, decimals allowed. Strings must be plain decimals (no `1e3`, `0x10`). */
export function parsePositiveNumber(raw: string | number, unit: string): number {
	const value = typeof raw === 'number' ? raw : POSITIVE_DECIMAL.test(raw.trim()) ? Number(raw.trim()) : NaN;
	if (Number.isFinite(value) && value > 0) return value;
	throw new RejectedValue(String(raw), `a positive number of ${unit}, e.g. 500 or 0.5`);
}

export function parsePositiveInteger(raw: string | number, unit: string): number {
	const value = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
	if (Number.isSafeInteger(value) && value > 0) return value;
	throw new RejectedValue(String(raw), `a whole number of ${unit} greater than 0`);
}

const matchers = new Map<string, picomatch.Matcher>();
const pathMatchers = new Map<string, PathGlob>();

/** Compiled once per pattern: a run checks thousands of files against the same few globs. */
function matcher(pattern: string): picomatch.Matcher {
	let match = matchers.get(pattern);
	if (!match) {
		match = picomatch(pattern, GLOB_OPTIONS);
		matchers.set(pattern, match);
	}
	return match;
}

function pathMatcher(pattern: string): PathGlob {
	let match = pathMatchers.get(pattern);
	if (!match) {
		match = compilePathGlob(pattern, { nocase: true });
		pathMatchers.set(pattern, match);
	}
	return match;
}

/** The first pattern that matches the path (from the source root), if any. */
export function matchingPathGlob(patterns: readonly string[], path: string): string | undefined {
	return patterns.find((pattern) => pathMatcher(pattern).matches(path));
}

const isMimePattern = (fileType: string): boolean => fileType.includes('/');

export interface FileTypeFacts {
	name: string;
	mime?: string | null;
	/** The format it will be exported to: Google-native files and Notion pages have no extension of their own. */
	exportFormat?: string;
}

/** An extension entry matches the end of the file name (or the export format); a MIME entry matches the MIME type. */
export function fileTypeMatches(fileType: string, file: FileTypeFacts): boolean {
	if (isMimePattern(fileType)) {
		const mime = file.mime?.split(';')[0].trim().toLowerCase();
		return mime ? matcher(fileType)(mime) : false;
	}
	return file.name.toLowerCase().endsWith(`.${fileType}`) || file.exportFormat?.toLowerCase() === fileType;
}

/** True when every file `inner` matches is also matched by `outer` (so keeping `inner` never widens `outer`). */
export function fileTypeCovers(outer: string, inner: string): boolean {
	if (isMimePattern(outer) !== isMimePattern(inner)) return false;
	// With * as the only wildcard, a pattern that matches the other pattern's text matches all it matches.
	return isMimePattern(outer) ? matcher(outer)(inner) : outer === inner;
}

/** True when every account domain `inner` matches is also matched by `outer`. */
export function domainCovers(outer: string, inner: string): boolean {
	if (!outer.startsWith('*.')) return outer === inner;
	const suffix = outer.slice(1);
	return inner.endsWith(suffix) && inner.length > suffix.length;
}

/** Entries of `a` that `b` covers and entries of `b` that `a` covers: everything kept is allowed by both lists. */
export function intersectLists<T>(
	a: readonly T[],
	b: readonly T[],
	covers: (outer: T, inner: T) => boolean = (outer, inner) => outer === inner,
): T[] {
	const kept = [...a.filter((x) => b.some((y) => covers(y, x))), ...b.filter((y) => a.some((x) => covers(x, y)))];
	return [...new Set(kept)];
}

export function smaller(a: number | null, b: number | null): number | null {
	if (a === null) return b;
	if (b === null) return a;
	return Math.min(a, b);
}
