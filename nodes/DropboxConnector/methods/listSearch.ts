import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { dropboxProvider } from '../../../lib/providers/dropbox';
import { pickerConnection } from '../../shared/connectorOperations';
import { dropboxNode } from '../transport';

/** Folders of the home folder and the team space whose names contain the search text; values are what the folder parameter takes. */
export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await dropboxProvider.browse(await pickerConnection(this, dropboxNode), { kind: 'searchFolders', text: filter, cursor: paginationToken });
	return {
		results: page.entries.map((entry) => ({
			name: entry.namespace_id === null ? entry.path : `Team space: ${entry.path}`,
			value: entry.value,
			url: entry.url ?? undefined,
		})),
		paginationToken: page.nextCursor,
	};
}
