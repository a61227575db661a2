/**
 * Path globs matched in time proportional to pattern × path, whatever the pattern: a regular
 * expression compiled from `*a*a*a*b` backtracks exponentially, and a workflow's glob must not be
 * able to freeze the n8n process. Supported: `*` and `?` within a segment, `**` as a whole segment
 * (any depth, none included), `[abc]`, `[a-z]`, `[!abc]`, `{a,b}` alternatives and `\` escapes.
 */
import { InvalidInputError } from '../errors';

/** Longest glob accepted: far beyond any real folder rule. */
export const MAX_GLOB_LENGTH = 1_024;
/** Alternatives a glob's `{a,b}` groups may expand to. */
export const MAX_GLOB_ALTERNATIVES = 64;

export interface PathGlobOptions {
	/** Ignore case (the org policy's path rules); listing's Exclude Paths keep it. */
	nocase?: boolean;
}

type Token = { kind: 'literal'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };
type Segment = { kind: 'globstar' } | { kind: 'segment'; tokens: Token[] };

/** A glob the parser refuses, with the reason in the words of picomatch-style messages. */
export class PathGlobError extends InvalidInputError {
	constructor(
		readonly glob: string,
		readonly reason: string,
	) {
		super(`"${glob}" is not a valid glob pattern: ${reason}`, 'Use patterns such as /Archive/** or **/*.tmp (paths start at the source root).');
		this.name = 'PathGlobError';
	}
}

export interface PathGlob {
	readonly source: string;
	/** `path` from the source root, with or without its leading `/`. */
	matches(path: string): boolean;
}

export function compilePathGlob(glob: string, options: PathGlobOptions = {}): PathGlob {
	if (glob.length > MAX_GLOB_LENGTH) throw new PathGlobError(glob.slice(0, 40) + '…', `longer than ${MAX_GLOB_LENGTH} characters`);
	const text = comparable(glob, options);
	const alternatives = expandBraces(glob, text).map((alternative) => parseSegments(glob, alternative.replace(/^\/+/, '')));
	return {
		source: glob,
		matches(path) {
			const target = comparable(path, options).replace(/\/{2,}/g, '/').replace(/^\/+/, '');
			const segments = target === '' ? [] : target.split('/');
			return alternatives.some((pattern) => matchSegments(pattern, segments));
		},
	};
}

/** NFC, so a folder name typed on one system matches the same name uploaded from macOS (NFD). */
function comparable(text: string, options: PathGlobOptions): string {
	const composed = text.normalize('NFC');
	return options.nocase ? composed.toLowerCase() : composed;
}

/** `{a,b}` groups (nested too) expanded into plain alternatives. */
function expandBraces(glob: string, text: string): string[] {
	const results: string[] = [];
	const expand = (value: string) => {
		const group = firstBraceGroup(glob, value);
		if (group === null) {
			results.push(value);
			if (results.length > MAX_GLOB_ALTERNATIVES) throw new PathGlobError(glob, `its {…} groups expand to more than ${MAX_GLOB_ALTERNATIVES} patterns`);
			return;
		}
		for (const option of group.options) expand(value.slice(0, group.start) + option + value.slice(group.end + 1));
	};
	expand(text);
	return results;
}

function firstBraceGroup(glob: string, value: string): { start: number; end: number; options: string[] } | null {
	for (let start = 0; start < value.length; start++) {
		if (value[start] === '\\') {
			start++;
			continue;
		}
		if (value[start] !== '{') continue;
		let depth = 0;
		const options: string[] = [];
		let optionStart = start + 1;
		for (let index = start; index < value.length; index++) {
			const char = value[index];
			if (char === '\\') {
				index++;
			} else if (char === '{') {
				depth++;
			} else if (char === '}') {
				depth--;
				if (depth === 0) {
					options.push(value.slice(optionStart, index));
					return { start, end: index, options };
				}
			} else if (char === ',' && depth === 1) {
				options.push(value.slice(optionStart, index));
				optionStart = index + 1;
			}
		}
		throw new PathGlobError(glob, 'Missing closing: "}"');
	}
	return null;
}

function parseSegments(glob: string, pattern: string): Segment[] {
	const segments: Segment[] = [];
	for (const part of pattern === '' ? [] : pattern.split('/')) {
		if (part === '**') {
			// `a/**/**/b` is `a/**/b`: consecutive globstars would only add states.
			if (segments[segments.length - 1]?.kind !== 'globstar') segments.push({ kind: 'globstar' });
			continue;
		}
		segments.push({ kind: 'segment', tokens: parseTokens(glob, part) });
	}
	return segments;
}

function parseTokens(glob: string, part: string): Token[] {
	const tokens: Token[] = [];
	for (let index = 0; index < part.length; index++) {
		const char = part[index];
		if (char === '\\') {
			if (index + 1 < part.length) tokens.push({ kind: 'literal', char: part[++index] });
			continue;
		}
		if ('?*+@!'.includes(char) && part[index + 1] === '(') {
			throw new PathGlobError(glob, `extended globs such as ${char}(…) are not supported; list the alternatives in {a,b}`);
		}
		if (char === '*') {
			// `**` inside a segment is one `*`, and so are runs of stars: the matcher never sees two in a row.
			if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
			continue;
		}
		if (char === '?') {
			tokens.push({ kind: 'any' });
			continue;
		}
		if (char === '[') {
			const end = part.indexOf(']', index + 2);
			if (end === -1) throw new PathGlobError(glob, 'Missing closing: "]"');
			tokens.push(parseClass(part.slice(index + 1, end)));
			index = end;
			continue;
		}
		tokens.push({ kind: 'literal', char });
	}
	return tokens;
}

function parseClass(body: string): Token {
	const negated = body.startsWith('!') || body.startsWith('^');
	const chars = [...(negated ? body.slice(1) : body)];
	const ranges: Array<[string, string]> = [];
	for (let index = 0; index < chars.length; index++) {
		if (chars[index + 1] === '-' && index + 2 < chars.length) {
			ranges.push([chars[index], chars[index + 2]]);
			index += 2;
		} else {
			ranges.push([chars[index], chars[index]]);
		}
	}
	return { kind: 'class', negated, ranges };
}

function tokenMatches(token: Token, char: string): boolean {
	if (token.kind === 'literal') return token.char === char;
	if (token.kind === 'any') return true;
	if (token.kind === 'class') return token.ranges.some(([low, high]) => char >= low && char <= high) !== token.negated;
	return false;
}

/**
 * One segment against one path segment, with the usual single backtrack point: a later `*`
 * supersedes an earlier one, so the work is at most tokens × characters.
 */
function segmentMatches(tokens: readonly Token[], text: string): boolean {
	let token = 0;
	let char = 0;
	let starToken = -1;
	let starChar = 0;
	while (char < text.length) {
		const current = tokens[token];
		if (current !== undefined && current.kind !== 'star' && tokenMatches(current, text[char])) {
			token++;
			char++;
		} else if (current?.kind === 'star') {
			starToken = token++;
			starChar = char;
		} else if (starToken !== -1) {
			token = starToken + 1;
			char = ++starChar;
		} else {
			return false;
		}
	}
	while (tokens[token]?.kind === 'star') token++;
	return token === tokens.length;
}

/** The pattern's segments against the path's, as a set of positions: patterns × segments steps. */
function matchSegments(pattern: readonly Segment[], segments: readonly string[]): boolean {
	const closure = (states: Set<number>) => {
		for (const state of [...states]) {
			for (let next = state; pattern[next]?.kind === 'globstar'; next++) states.add(next + 1);
		}
		return states;
	};
	let states = closure(new Set([0]));
	for (const text of segments) {
		const next = new Set<number>();
		for (const state of states) {
			const segment = pattern[state];
			if (segment === undefined) continue;
			if (segment.kind === 'globstar') next.add(state);
			else if (segmentMatches(segment.tokens, text)) next.add(state + 1);
		}
		if (next.size === 0) return false;
		states = closure(next);
	}
	return states.has(pattern.length);
}
