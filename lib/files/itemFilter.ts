import type { ItemFilter } from '../providers/types';
import { compilePathGlob } from './pathGlob';

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
		// Paths start with "/": a pattern written without it ("Archive/**") means the same place.
		.map((glob) => compilePathGlob(glob.startsWith('/') || glob.startsWith('**') ? glob : `/${glob}`));
	return (path) => matchers.some((glob) => glob.matches(path));
}

/** Decides from path and MIME type whether an item belongs in the listing's output. */
export function itemFilterFor(options: ItemFilterOptions = {}): ItemFilter {
	const typeIncluded = mimeMatcher(options.includeMimeTypes ?? []);
	const excluded = globMatcher(options.excludeGlobs ?? []);
	return (path, mime) => typeIncluded(path, mime) && !excluded(path);
}
