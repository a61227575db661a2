import type { NotionApi, SearchResult } from '../api';

const MINUTE_MS = 60_000;

/**
 * Where the next read starts: the minute the last read began (Notion stamps edits to the minute,
 * so an edit later in that minute carries that minute's stamp), minus the overlap. Whatever the
 * overlap re-reads is re-emitted and absorbed by the dedup cache.
 */
export function windowStart(readAt: string, overlapMinutes: number): string {
	const readMs = Date.parse(readAt);
	return new Date(readMs - (readMs % MINUTE_MS) - overlapMinutes * MINUTE_MS).toISOString();
}

export function isInWindow(lastEdited: string, since: string): boolean {
	return Date.parse(lastEdited) >= Date.parse(since);
}

/** Search results newest first, up to the first one edited before `since` (search is sorted, so the rest are older). */
export async function searchSince(
	api: NotionApi,
	since: string,
	options: { inTrash?: boolean } = {},
): Promise<SearchResult[]> {
	const found: SearchResult[] = [];
	for await (const results of api.search({ newestFirst: true, inTrash: options.inTrash })) {
		for (const result of results) {
			if (!isInWindow(result.last_edited_time, since)) return found;
			found.push(result);
		}
	}
	return found;
}
