import {
	isFullBlock,
	isFullDatabase,
	isFullDataSource,
	isFullPage,
	type BlockObjectResponse,
	type Client,
	type DatabaseObjectResponse,
	type DataSourceObjectResponse,
	type GetSelfResponse,
	type PageObjectResponse,
	type QueryDataSourceParameters,
} from '@notionhq/client';
import pLimit, { type Limit } from 'p-limit';

import { integrationKeyOf, isNotFound, notionErrorOf } from './client';
import { listedPage, rememberListedPages } from './listedPages';

/** Notion's largest page size for lists, search and queries. */
export const PAGE_SIZE = 100;
/** Requests in flight at once; the integration's throttle decides how fast they actually go. */
export const DEFAULT_PARALLEL_REQUESTS = 6;

export type SearchResult = PageObjectResponse | DataSourceObjectResponse;

export interface SearchOptions {
	query?: string;
	objectType?: 'page' | 'data_source';
	/** Only trashed results (Notion's search never mixes trashed and live ones). */
	inTrash?: boolean;
	/** Newest edits first, instead of relevance. */
	newestFirst?: boolean;
}

/**
 * The Notion calls the provider makes, each counted and run through one p-limit, so a listing or
 * an export keeps several requests in flight (the throttle paces them) without flooding the queue.
 */
export class NotionApi {
	requests = 0;
	private readonly limit: Limit;

	constructor(
		readonly client: Client,
		parallel = DEFAULT_PARALLEL_REQUESTS,
		private readonly signal?: AbortSignal,
	) {
		this.limit = pLimit(Math.max(1, parallel));
	}

	private call<T>(request: () => Promise<T>): Promise<T> {
		return this.limit(async () => {
			this.signal?.throwIfAborted();
			this.requests++;
			return await request();
		});
	}

	/** The integration's bot user (`users.me`): its workspace. */
	async me(): Promise<GetSelfResponse> {
		return await this.call(() => this.client.users.me({}));
	}

	/**
	 * The page at `version` as a listing of this integration has just read it, without a request;
	 * else read from Notion (`page`).
	 */
	async listedOrPage(pageId: string, version: unknown): Promise<PageObjectResponse | null> {
		const key = integrationKeyOf(this.client);
		return (key === undefined ? undefined : listedPage(key, pageId, version)) ?? (await this.page(pageId));
	}

	/** Pages a listing read, for the export of the same pages to take them from (`listedOrPage`). */
	private remember(pages: readonly PageObjectResponse[]): void {
		const key = integrationKeyOf(this.client);
		if (key !== undefined && pages.length > 0) rememberListedPages(key, pages);
	}

	/** The page, or null when Notion does not show it to the integration. */
	async page(pageId: string): Promise<PageObjectResponse | null> {
		return await this.orNull(async () => {
			const page = await this.call(() => this.client.pages.retrieve({ page_id: pageId }));
			return isFullPage(page) ? page : null;
		});
	}

	/** A page (or a block from `unknown_block_ids`) as enhanced Markdown, `GET /v1/pages/{id}/markdown`. */
	async markdown(pageOrBlockId: string): Promise<Awaited<ReturnType<Client['pages']['retrieveMarkdown']>>> {
		return await this.call(() => this.client.pages.retrieveMarkdown({ page_id: pageOrBlockId }));
	}

	async database(databaseId: string): Promise<DatabaseObjectResponse | null> {
		return await this.orNull(async () => {
			const database = await this.call(() => this.client.databases.retrieve({ database_id: databaseId }));
			return isFullDatabase(database) ? database : null;
		});
	}

	/**
	 * A database met inside content (a child database block, a link): null also when Notion
	 * refuses to read it (a linked database, a view of one elsewhere, answers 400), so one odd
	 * block does not fail a listing or an export.
	 */
	async databaseIfReadable(databaseId: string): Promise<DatabaseObjectResponse | null> {
		try {
			return await this.database(databaseId);
		} catch (error) {
			if (notionErrorOf(error).status === 400) return null;
			throw error;
		}
	}

	async dataSource(dataSourceId: string): Promise<DataSourceObjectResponse | null> {
		return await this.orNull(async () => {
			const dataSource = await this.call(() => this.client.dataSources.retrieve({ data_source_id: dataSourceId }));
			return isFullDataSource(dataSource) ? dataSource : null;
		});
	}

	async block(blockId: string): Promise<BlockObjectResponse | null> {
		return await this.orNull(async () => {
			const block = await this.call(() => this.client.blocks.retrieve({ block_id: blockId }));
			return isFullBlock(block) ? block : null;
		});
	}

	/** Every child block of a page or block, 100 at a time. */
	async children(blockId: string): Promise<BlockObjectResponse[]> {
		const blocks: BlockObjectResponse[] = [];
		let cursor: string | undefined;
		do {
			const response = await this.call(() =>
				this.client.blocks.children.list({ block_id: blockId, page_size: PAGE_SIZE, start_cursor: cursor }),
			);
			for (const block of response.results) if (isFullBlock(block)) blocks.push(block);
			cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
		} while (cursor !== undefined);
		return blocks;
	}

	/** Rows of a data source, every page; `filter` and `inTrash` as Notion's query takes them. */
	async queryRows(
		dataSourceId: string,
		options: { filter?: QueryDataSourceParameters['filter']; inTrash?: boolean } = {},
	): Promise<PageObjectResponse[]> {
		const rows: PageObjectResponse[] = [];
		let cursor: string | undefined;
		do {
			const response = await this.call(() =>
				this.client.dataSources.query({
					data_source_id: dataSourceId,
					page_size: PAGE_SIZE,
					start_cursor: cursor,
					...(options.filter ? { filter: options.filter } : {}),
					...(options.inTrash ? { in_trash: true } : {}),
				}),
			);
			const fullRows = response.results.filter(isFullPage);
			rows.push(...fullRows);
			this.remember(fullRows);
			cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
		} while (cursor !== undefined);
		return rows;
	}

	/**
	 * Search results one Notion page at a time; the caller stops when it has enough (a limit, or
	 * results older than it needs when `newestFirst`).
	 */
	async *search(options: SearchOptions = {}): AsyncGenerator<SearchResult[]> {
		let cursor: string | undefined;
		const filter =
			options.objectType !== undefined
				? { property: 'object' as const, value: options.objectType, ...(options.inTrash ? { in_trash: true } : {}) }
				: options.inTrash
					? { in_trash: true }
					: undefined;
		do {
			const response = await this.call(() =>
				this.client.search({
					page_size: PAGE_SIZE,
					start_cursor: cursor,
					...(options.query ? { query: options.query } : {}),
					...(filter ? { filter } : {}),
					...(options.newestFirst ? { sort: { timestamp: 'last_edited_time' as const, direction: 'descending' as const } } : {}),
				}),
			);
			const results: SearchResult[] = [];
			for (const result of response.results) {
				if (isFullPage(result) || isFullDataSource(result)) results.push(result);
			}
			this.remember(results.filter((result): result is PageObjectResponse => result.object === 'page'));
			yield results;
			cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
		} while (cursor !== undefined);
	}

	private async orNull<T>(request: () => Promise<T | null>): Promise<T | null> {
		try {
			return await request();
		} catch (error) {
			if (isNotFound(error)) return null;
			throw error;
		}
	}
}
