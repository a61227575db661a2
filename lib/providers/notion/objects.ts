/** Reading Notion objects the same way everywhere: titles, parents, trash state. */
import type {
	BlockObjectResponse,
	DatabaseObjectResponse,
	DataSourceObjectResponse,
	PageObjectResponse,
} from '@notionhq/client';

import { pageTitle, plainText } from './markdown';

export const NOTION_PAGE_MIME = 'application/vnd.notion.page';

/** Where an object sits: on a page, in a block (a toggle, a column…), in a data source, at the top. */
export type ParentLink =
	| { type: 'page'; id: string }
	| { type: 'block'; id: string }
	| { type: 'database'; id: string }
	| { type: 'data_source'; id: string; databaseId: string | null }
	| { type: 'workspace' };

type AnyParent = PageObjectResponse['parent'] | BlockObjectResponse['parent'] | DatabaseObjectResponse['parent'];

export function parentLink(parent: AnyParent | DataSourceObjectResponse['parent']): ParentLink {
	switch (parent.type) {
		case 'page_id':
			return { type: 'page', id: parent.page_id };
		case 'block_id':
			return { type: 'block', id: parent.block_id };
		case 'database_id':
			return { type: 'database', id: parent.database_id };
		case 'data_source_id':
			return { type: 'data_source', id: parent.data_source_id, databaseId: parent.database_id ?? null };
		default:
			return { type: 'workspace' };
	}
}

export function titleOfPage(page: PageObjectResponse): string {
	return pageTitle(page);
}

export function titleOfDatabase(database: DatabaseObjectResponse): string {
	return plainText(database.title) || 'Untitled';
}

export function titleOfDataSource(dataSource: DataSourceObjectResponse): string {
	return plainText(dataSource.title) || 'Untitled';
}

/** In the trash (the API's `in_trash`, and its older alias `archived`). */
export function isTrashed(object: { archived?: boolean; in_trash?: boolean }): boolean {
	return object.in_trash === true || object.archived === true;
}

/** A title as one path segment: a "/" in it would read as a boundary in globs. */
export function pathSegment(title: string): string {
	return title.replace(/\//g, '∕');
}
