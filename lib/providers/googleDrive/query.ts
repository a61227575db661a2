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

/** The untrashed children of any of `folderIds`: one query for a batch of folders. */
export function childrenOfAny(folderIds: readonly string[]): string {
	if (folderIds.length === 0) throw new RangeError('childrenOfAny needs at least one folder id');
	if (folderIds.length === 1) return childrenOf(folderIds[0]);
	return `(${folderIds.map((id) => `${quoted(id)} in parents`).join(' or ')}) and trashed = false`;
}

/** Everything untrashed in the corpus the request names (a whole shared drive). */
export const UNTRASHED = 'trashed = false';
