/**
 * Drive's search language (`q`). Every value a query names goes through `quoted`: an id or a name
 * holding `'` or `\` would otherwise end the string early, and Drive answers 400 or searches for
 * something else.
 */

/** A string literal of Drive's query language, with `\` and `'` escaped. */
export function quoted(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The untrashed children of a folder. */
export function childrenOf(folderId: string): string {
	return `${quoted(folderId)} in parents and trashed = false`;
}
