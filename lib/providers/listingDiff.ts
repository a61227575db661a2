/**
 * What a run owes, written once for the providers whose snapshot keeps the source's files by id
 * (Drive, OneDrive): the listed items that pass the filters, and a deletion for every file the
 * previous snapshot held (and the filters let through) that has left the source or the filters.
 */
import type { ConnectorItem } from '../items';
import type { ItemFilter } from './types';

/**
 * `deletionOf` names a file of the previous snapshot as a deletion, with the path and type it had
 * then (what the filters are asked about); it is called only for files that may have left.
 */
export function outgoingItems<Known>(
	listed: readonly ConnectorItem[],
	previousFiles: Readonly<Record<string, Known>> | null,
	currentFiles: Readonly<Record<string, unknown>>,
	filter: ItemFilter,
	deletionOf: (id: string, known: Known) => ConnectorItem,
): { items: ConnectorItem[]; deletions: ConnectorItem[] } {
	const items: ConnectorItem[] = [];
	const deletions: ConnectorItem[] = [];
	const previouslyIncluded = (id: string): ConnectorItem | null => {
		const known = previousFiles === null || !Object.hasOwn(previousFiles, id) ? undefined : previousFiles[id];
		if (known === undefined) return null;
		const deletion = deletionOf(id, known);
		return filter(deletion.path, deletion.mime) ? deletion : null;
	};
	// Ids the loop over the previous snapshot skips; a first listing has none to loop over.
	const settled = new Set<string>();
	const settle = (id: string) => previousFiles !== null && previousFiles !== currentFiles && settled.add(id);
	for (const item of listed) {
		if (filter(item.path, item.mime)) {
			items.push(item);
			settle(item.external_id);
			continue;
		}
		const deletion = previouslyIncluded(item.external_id);
		if (deletion !== null) {
			deletions.push(deletion);
			settle(item.external_id);
		}
	}
	// Unchanged since the previous snapshot (the same map): nothing has left.
	if (previousFiles === null || previousFiles === currentFiles) return { items, deletions };
	for (const id in previousFiles) {
		if (Object.hasOwn(currentFiles, id) || settled.has(id)) continue;
		const deletion = previouslyIncluded(id);
		if (deletion !== null) deletions.push(deletion);
	}
	return { items, deletions };
}
