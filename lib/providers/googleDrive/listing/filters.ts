import picomatch from 'picomatch';

import { InvalidInputError } from '../../../errors';
import type { ListChangesOptions } from '../../types';

/** Decides from path and MIME type whether a file belongs in the listing's output. */
export type ItemFilter = (path: string, mime: string | null) => boolean;

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

export function itemFilterFor(options: ListChangesOptions = {}): ItemFilter {
	const typeIncluded = mimeMatcher(options.includeMimeTypes ?? []);
	const excluded = globMatcher(options.excludeGlobs ?? []);
	return (path, mime) => typeIncluded(path, mime) && !excluded(path);
}
