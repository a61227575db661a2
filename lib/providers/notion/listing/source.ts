import { InvalidInputError } from '../../../errors';
import { parseNotionId } from '../ids';

/** What a Notion listing covers: a page and everything under it, or the rows of a database. */
export type NotionSource =
	| { kind: 'pageTree'; pageId: string; maxDepth?: number }
	| { kind: 'database'; databaseId: string };

export interface NotionListOptions {
	/** Minutes re-read before the committed cursor (default 2): Notion stamps edits to the minute. */
	overlapMinutes?: number;
	/**
	 * Minutes (on Notion's clock) between full re-walks of the source, which catch what the
	 * incremental reads cannot see: pages moved out without an edit, sharing withdrawn, missed
	 * search indexing. Default 1440 (daily); 0 walks in full on every run. Extension of the contract.
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
