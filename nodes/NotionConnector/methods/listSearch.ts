import { isFullDataSource, isFullPage } from '@notionhq/client';
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { pageTitle, plainText } from '../../../lib/providers/notion/markdown';
import { notionConnectorClient } from '../transport';

const PAGE_SIZE = 100;

/** Pages shared with the integration whose title contains the filter, newest edits first. */
export async function searchPages(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const response = await notionConnectorClient(this).search({
		...(filter ? { query: filter } : {}),
		filter: { property: 'object', value: 'page' },
		page_size: PAGE_SIZE,
		...(paginationToken ? { start_cursor: paginationToken } : {}),
	});
	const results: INodeListSearchItems[] = [];
	for (const page of response.results) {
		if (!isFullPage(page) || page.in_trash) continue;
		results.push({ name: pageTitle(page), value: page.id, url: page.url });
	}
	return { results, paginationToken: response.next_cursor ?? undefined };
}

/**
 * Databases shared with the integration. Since Notion API 2025-09-03 search finds a database's
 * data sources; the picker offers the database they belong to, once.
 */
export async function searchDatabases(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const response = await notionConnectorClient(this).search({
		...(filter ? { query: filter } : {}),
		filter: { property: 'object', value: 'data_source' },
		page_size: PAGE_SIZE,
		...(paginationToken ? { start_cursor: paginationToken } : {}),
	});
	const results: INodeListSearchItems[] = [];
	const seen = new Set<string>();
	for (const dataSource of response.results) {
		if (!isFullDataSource(dataSource) || dataSource.in_trash) continue;
		const databaseId = dataSource.parent.type === 'database_id' ? dataSource.parent.database_id : dataSource.id;
		if (seen.has(databaseId)) continue;
		seen.add(databaseId);
		results.push({ name: plainText(dataSource.title) || 'Untitled', value: databaseId, url: dataSource.url });
	}
	return { results, paginationToken: response.next_cursor ?? undefined };
}
