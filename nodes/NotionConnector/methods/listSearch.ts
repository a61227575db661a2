import { isFullDataSource, isFullPage } from '@notionhq/client';
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { pageTitle, plainText } from '../../../lib/providers/notion/markdown';
import { pickerConnection } from '../../shared/connectorOperations';
import { notionNode } from '../transport';

const PAGE_SIZE = 100;

/** Pages shared with the integration whose title contains the filter, newest edits first. */
export async function searchPages(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const response = await (await pickerConnection(this, notionNode)).search({
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
 * data sources; the picker offers the database they belong to, once, by the database's title
 * (a data source of a database holding several is named after itself, so that one is looked up).
 */
export async function searchDatabases(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await pickerConnection(this, notionNode);
	const response = await client.search({
		...(filter ? { query: filter } : {}),
		filter: { property: 'object', value: 'data_source' },
		page_size: PAGE_SIZE,
		...(paginationToken ? { start_cursor: paginationToken } : {}),
	});
	const databases = new Map<string, { names: string[]; url: string }>();
	for (const dataSource of response.results) {
		if (!isFullDataSource(dataSource) || dataSource.in_trash) continue;
		const databaseId = dataSource.parent.type === 'database_id' ? dataSource.parent.database_id : dataSource.id;
		const entry = databases.get(databaseId) ?? { names: [], url: dataSource.url };
		entry.names.push(plainText(dataSource.title));
		databases.set(databaseId, entry);
	}
	const results: INodeListSearchItems[] = [];
	for (const [databaseId, { names, url }] of databases) {
		let name = names[0];
		if (names.length > 1) {
			const database = await client.databases.retrieve({ database_id: databaseId });
			name = 'title' in database ? plainText(database.title) : name;
		}
		results.push({ name: name || 'Untitled', value: databaseId, url });
	}
	return { results, paginationToken: response.next_cursor ?? undefined };
}
