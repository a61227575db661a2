import { InvalidInputError } from '../../../errors';
import { parseNotionId } from '../ids';

/**
 * What a Notion listing covers — a page and everything under it (down to `maxDepth`), or the rows
 * of a database — and how it is read again on later runs. Only the kind and the root name the
 * source (`notionSourceKeyFor`); the reading options may change between runs.
 */
export type NotionSource = (
	| { kind: 'pageTree'; pageId: string; maxDepth?: number }
	| { kind: 'database'; databaseId: string }
) &
	NotionListOptions;

/** How a source's later runs read it; both apply to page trees and databases. */
export interface NotionListOptions {
	/** Minutes re-read before the committed cursor (default 2): Notion stamps edits to the minute. */
	overlapMinutes?: number;
	/**
	 * Minutes (on Notion's clock) between full re-walks of the source, which catch what the
	 * incremental reads cannot see: pages moved out without an edit, sharing withdrawn, missed
	 * search indexing. Default 1440 (daily); 0 walks in full on every run.
	 */
	reconcileMinutes?: number;
}

export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_OVERLAP_MINUTES = 2;
export const DEFAULT_RECONCILE_MINUTES = 24 * 60;

/** `notion:<account>:page:<id>` / `notion:<account>:database:<id>`: two sources never collide. InvalidInputError for a malformed id. */
export function notionSourceKeyFor(accountId: string, source: NotionSource): string {
	const account = accountId.trim();
	if (account === '') {
		throw new InvalidInputError(
			'The Notion account id is empty',
			'Pass the id of the connected integration or workspace (notionAccount: workspaceId or botId).',
		);
	}
	// The id as Notion spells it, so an id and a URL of the same page name the same source.
	return source.kind === 'pageTree'
		? `notion:${account}:page:${parseNotionId(source.pageId, 'page')}`
		: `notion:${account}:database:${parseNotionId(source.databaseId, 'database')}`;
}
