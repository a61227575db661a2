import type { BlockObjectResponse, Client, DataSourceObjectResponse, PageObjectResponse } from '@notionhq/client';

import { InvalidInputError } from '../../errors';
import { NotionApi } from './api';
import { notSharedError } from './client';
import { normalizedId, notionUrl } from './ids';
import {
	isTrashed,
	parentLink,
	pathSegment,
	titleOfDatabase,
	titleOfDataSource,
	titleOfPage,
	type ParentLink,
} from './objects';

/** What to browse: a search of everything the integration sees, or one page's children; at most `limit` entries, all without one. */
export type NotionBrowseQuery = (
	| { kind: 'search'; query?: string; objectType?: 'page' | 'database' }
	| { kind: 'children'; pageId: string }
) & { limit?: number };

export interface NotionBrowseEntry {
	id: string;
	type: 'page' | 'database';
	name: string;
	url: string | null;
	parent_id: string | null;
	/** Where a person finds it in Notion's sidebar: `/Team/Handbook/Onboarding`. */
	path: string;
	last_edited_time: string | null;
	archived: boolean;
}

/** Container lookups a path may cost beyond the listing itself; past it a path starts with `/…`. */
const PATH_LOOKUP_BUDGET = 25;
const MAX_PATH_DEPTH = 50;

/**
 * Pages and databases the integration can see (Notion search; a database once, however many data
 * sources it has), or a page's child pages and databases (its block children, also those inside
 * toggles and columns, paginated). Stops at `limit`; without one (Return All) reads to the end.
 */
export async function browseNotion(client: Client, query: NotionBrowseQuery): Promise<NotionBrowseEntry[]> {
	const limit = query.limit ?? Infinity;
	if (!(limit >= 1)) throw new InvalidInputError(`The browse limit must be at least 1 (got ${String(query.limit)})`);
	const api = new NotionApi(client);
	const locator = new Locator(api);
	return query.kind === 'search' ? await searchEntries(api, locator, query, limit) : await childEntries(api, locator, query.pageId, limit);
}

async function searchEntries(
	api: NotionApi,
	locator: Locator,
	query: { query?: string; objectType?: 'page' | 'database' },
	limit: number,
): Promise<NotionBrowseEntry[]> {
	const found: Array<PageObjectResponse | DataSourceObjectResponse> = [];
	const databases = new Set<string>();
	// A database with several data sources is named by its own title, not by one of its sources'.
	const multiSource = new Set<string>();
	const objectType = query.objectType === 'database' ? 'data_source' : query.objectType;
	for await (const results of api.search({ query: query.query?.trim() || undefined, objectType })) {
		for (const result of results) {
			if (result.object === 'data_source') {
				const databaseId = databaseIdOf(result);
				if (databases.has(databaseId)) {
					multiSource.add(databaseId);
					continue;
				}
				databases.add(databaseId);
				locator.know(databaseId, titleOfDataSource(result), parentLink(result.database_parent));
			} else {
				locator.know(result.id, titleOfPage(result), parentLink(result.parent));
			}
			found.push(result);
			if (found.length >= limit) break;
		}
		if (found.length >= limit) break;
	}
	const databaseTitles = new Map<string, string>();
	await Promise.all(
		[...multiSource].map(async (databaseId) => {
			const database = await api.database(databaseId);
			if (database === null) return;
			databaseTitles.set(databaseId, titleOfDatabase(database));
			locator.know(databaseId, titleOfDatabase(database), parentLink(database.parent));
		}),
	);
	return await Promise.all(
		found.map(async (result) => {
			if (result.object === 'data_source') {
				const databaseId = databaseIdOf(result);
				const parent = parentLink(result.database_parent);
				const title = databaseTitles.get(databaseId) ?? titleOfDataSource(result);
				return entry(databaseId, 'database', title, result.url, parent, await locator.pathOf(parent), result.last_edited_time, isTrashed(result));
			}
			const parent = parentLink(result.parent);
			const title = titleOfPage(result);
			return entry(result.id, 'page', title, result.url, parent, await locator.pathOf(parent), result.last_edited_time, isTrashed(result));
		}),
	);
}

async function childEntries(api: NotionApi, locator: Locator, pageId: string, limit: number): Promise<NotionBrowseEntry[]> {
	const id = normalizedId(pageId);
	const page = await api.page(id);
	if (page === null) throw notSharedError('page', id);
	locator.know(page.id, titleOfPage(page), parentLink(page.parent));
	const base = `${await locator.pathOf(parentLink(page.parent))}/${pathSegment(titleOfPage(page))}`;
	const entries: NotionBrowseEntry[] = [];
	const parent: ParentLink = { type: 'page', id: page.id };
	for (const block of await childItemBlocks(api, page.id)) {
		if (block.type === 'child_page') {
			const title = block.child_page.title || 'Untitled';
			entries.push(entry(block.id, 'page', title, notionUrl(block.id), parent, base, block.last_edited_time, isTrashed(block)));
		} else if (block.type === 'child_database') {
			const title = block.child_database.title || 'Untitled';
			entries.push(entry(block.id, 'database', title, notionUrl(block.id), parent, base, block.last_edited_time, isTrashed(block)));
		}
		if (entries.length >= limit) break;
	}
	return entries;
}

/**
 * The child_page and child_database blocks of a page in reading order, also those nested in
 * toggles, columns, lists or synced originals (not in synced references: they live elsewhere).
 * Nested blocks are read in parallel; the throttle paces the requests.
 */
export async function childItemBlocks(api: NotionApi, containerId: string): Promise<BlockObjectResponse[]> {
	const blocks = await api.children(containerId);
	const nested = await Promise.all(
		blocks.map(async (block) => {
			if (block.type === 'child_page' || block.type === 'child_database') return [block];
			return mayHoldChildItems(block) ? await childItemBlocks(api, block.id) : [];
		}),
	);
	return nested.flat();
}

/** Blocks worth descending into to find child pages: tables hold only rows, synced references hold another block's content. */
export function mayHoldChildItems(block: BlockObjectResponse): boolean {
	if (!block.has_children) return false;
	if (block.type === 'table' || block.type === 'child_page' || block.type === 'child_database') return false;
	if (block.type === 'synced_block' && block.synced_block.synced_from !== null) return false;
	return true;
}

function databaseIdOf(dataSource: DataSourceObjectResponse): string {
	return dataSource.parent.type === 'database_id' ? dataSource.parent.database_id : dataSource.id;
}

function entry(
	id: string,
	type: 'page' | 'database',
	name: string,
	url: string | null,
	parent: ParentLink,
	parentPath: string,
	lastEdited: string | null,
	archived: boolean,
): NotionBrowseEntry {
	return {
		id,
		type,
		name,
		url,
		parent_id: parent.type === 'workspace' ? null : parent.type === 'data_source' ? (parent.databaseId ?? parent.id) : parent.id,
		path: `${parentPath}/${pathSegment(name)}`,
		last_edited_time: lastEdited,
		archived,
	};
}

interface Located {
	title: string | null;
	parent: ParentLink;
}

/**
 * Paths of containers (pages, databases; blocks are passed through), from what the listing
 * already holds, then by looking containers up (memoised, within a budget).
 */
class Locator {
	private readonly known = new Map<string, Promise<Located | null>>();
	private budget = PATH_LOOKUP_BUDGET;

	constructor(private readonly api: NotionApi) {}

	know(id: string, title: string, parent: ParentLink): void {
		this.known.set(id, Promise.resolve({ title, parent }));
	}

	/** `''` for the workspace, `/A/B` for a container, `/…/B` when the chain cannot be read further. */
	async pathOf(link: ParentLink): Promise<string> {
		const segments: string[] = [];
		const seen = new Set<string>();
		let current = link;
		for (let depth = 0; depth < MAX_PATH_DEPTH; depth++) {
			if (current.type === 'workspace') return segments.reverse().join('');
			const id = current.type === 'data_source' ? (current.databaseId ?? current.id) : current.id;
			if (seen.has(id)) break;
			seen.add(id);
			const located = await this.locate(current);
			if (located === null) break;
			if (located.title !== null) segments.push(`/${pathSegment(located.title)}`);
			current = located.parent;
		}
		return `/…${segments.reverse().join('')}`;
	}

	private locate(link: Exclude<ParentLink, { type: 'workspace' }>): Promise<Located | null> {
		const id = link.type === 'data_source' ? (link.databaseId ?? link.id) : link.id;
		let located = this.known.get(id);
		if (located === undefined) {
			located = this.lookUp(link);
			this.known.set(id, located);
		}
		return located;
	}

	private async lookUp(link: Exclude<ParentLink, { type: 'workspace' }>): Promise<Located | null> {
		if (this.budget <= 0) return null;
		this.budget--;
		switch (link.type) {
			case 'page': {
				const page = await this.api.page(link.id);
				return page && { title: titleOfPage(page), parent: parentLink(page.parent) };
			}
			case 'block': {
				const block = await this.api.block(link.id);
				return block && { title: null, parent: parentLink(block.parent) };
			}
			case 'database': {
				const database = await this.api.database(link.id);
				return database && { title: titleOfDatabase(database), parent: parentLink(database.parent) };
			}
			case 'data_source': {
				if (link.databaseId !== null) {
					const database = await this.api.database(link.databaseId);
					return database && { title: titleOfDatabase(database), parent: parentLink(database.parent) };
				}
				const dataSource = await this.api.dataSource(link.id);
				return dataSource && { title: titleOfDataSource(dataSource), parent: parentLink(dataSource.database_parent) };
			}
		}
	}
}

