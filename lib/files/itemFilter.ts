import picomatch from 'picomatch';

import { InvalidInputError } from '../errors';
import type { ItemFilter } from '../providers/types';

export type { ItemFilter };

/** The listing options every source offers: which types to include, which paths to leave out. */
export interface ItemFilterOptions {
	/** MIME types (`application/pdf`, `text/*`) or file extensions (`pdf`); empty or absent = all. */
	includeMimeTypes?: readonly string[];
	/** Glob patterns on the item path (from the source root, e.g. `/Archive/**`); matches are left out. */
	excludeGlobs?: readonly string[];
}

function mimeMatcher(patterns: readonly string[]): (path: string, mime: string | null) => boolean {
	const cleaned = patterns.map((pattern) => pattern.trim().toLowerCase()).filter((pattern) => pattern !== '');
	if (cleaned.length === 0) return () => true;
	return (path, mime) => {
		const type = (mime ?? '').toLowerCase();
		const dot = path.lastIndexOf('.');
		const extension = dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
		return cleaned.some((pattern) => {
			if (!pattern.includes('/')) return pattern.replace(/^\./, '') === extension;
			if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
			return type === pattern;
		});
	};
}

function globMatcher(globs: readonly string[]): (path: string) => boolean {
	const matchers = globs
		.map((glob) => glob.trim())
		.filter((glob) => glob !== '')
		.map((glob) => {
			try {
				// Paths start with "/": a pattern written without it ("Archive/**") means the same place.
				return picomatch(glob.startsWith('/') || glob.startsWith('**') ? glob : `/${glob}`, { dot: true, strictBrackets: true });
			} catch {
				throw new InvalidInputError(
					`"${glob}" is not a valid glob pattern`,
					'Use patterns such as /Archive/** or **/*.tmp (paths start at the source root).',
				);
			}
		});
	return (path) => matchers.some((matches) => matches(path));
}

/** Decides from path and MIME type whether an item belongs in the listing's output. */
export function itemFilterFor(options: ItemFilterOptions = {}): ItemFilter {
	const typeIncluded = mimeMatcher(options.includeMimeTypes ?? []);
	const excluded = globMatcher(options.excludeGlobs ?? []);
	return (path, mime) => typeIncluded(path, mime) && !excluded(path);
}
