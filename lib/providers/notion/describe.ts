/** A Notion page by id as Notion describes it now, with its path of titles from the workspace (Export IDs Directly). */
import type { Client } from '@notionhq/client';

import type { ConnectorItem } from '../../items';
import type { DescribedItem } from '../types';
import { NotionApi } from './api';
import { notionUrl } from './ids';
import { isTrashed, NOTION_PAGE_MIME, parentLink, pathSegment, titleOfDatabase, titleOfPage, type ParentLink } from './objects';

/** Parents climbed at most: a cycle or an absurd tree must not loop. */
const MAX_DEPTH = 100;

/**
 * The titles of the pages and databases above a page, from the top the integration can see: a
 * parent not shared with it ends the climb; blocks and data sources are passed through, untitled.
 */
async function titlesAbove(api: NotionApi, start: ParentLink): Promise<string[]> {
	const titles: string[] = [];
	let link = start;
	for (let steps = 0; steps < MAX_DEPTH; steps++) {
		if (link.type === 'page') {
			const page = await api.page(link.id);
			if (page === null) break;
			titles.unshift(titleOfPage(page));
			link = parentLink(page.parent);
		} else if (link.type === 'database') {
			const database = await api.databaseIfReadable(link.id);
			if (database === null) break;
			titles.unshift(titleOfDatabase(database));
			link = parentLink(database.parent);
		} else if (link.type === 'data_source') {
			if (link.databaseId !== null) link = { type: 'database', id: link.databaseId };
			else {
				const dataSource = await api.dataSource(link.id);
				if (dataSource === null) break;
				link = parentLink(dataSource.parent);
			}
		} else if (link.type === 'block') {
			const block = await api.block(link.id);
			if (block === null) break;
			link = parentLink(block.parent);
		} else break;
	}
	return titles;
}

export async function describeNotionPage(client: Client, { external_id: pageId }: ConnectorItem): Promise<DescribedItem | null> {
	const api = new NotionApi(client);
	const page = await api.page(pageId);
	if (page === null || isTrashed(page)) return null;
	const title = titleOfPage(page);
	const link = parentLink(page.parent);
	const titles = [...(await titlesAbove(api, link)), title];
	return {
		external_id: page.id,
		name: title,
		path: titles.map((segment) => `/${pathSegment(segment)}`).join(''),
		parents: link.type === 'workspace' ? [] : [link.id],
		mime: NOTION_PAGE_MIME,
		size: null,
		modified_at: page.last_edited_time,
		created_at: page.created_time,
		version: page.last_edited_time,
		hash: null,
		url: notionUrl(page.id),
	};
}
