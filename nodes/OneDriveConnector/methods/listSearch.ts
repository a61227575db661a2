import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MY_DRIVE, oneDriveProvider, parseDriveId, type OneDriveBrowsePage } from '../../../lib/providers/oneDrive';
import { pickerConnection } from '../../shared/connectorOperations';
import { oneDriveNode } from '../transport';

function searchResult({ entries, nextPageToken }: OneDriveBrowsePage): INodeListSearchResult {
	return {
		// A folder by its path: two folders of one name in different places stay apart.
		results: entries.map((entry) => ({ name: entry.type === 'folder' && entry.path ? entry.path : entry.name, value: entry.id, url: entry.url ?? undefined })),
		paginationToken: nextPageToken,
	};
}

/** My OneDrive and the document libraries of the SharePoint sites matching the search. */
export async function searchDrives(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return searchResult(await oneDriveProvider.browse(await pickerConnection(this, oneDriveNode), { kind: 'drives', text: filter, pageToken: paginationToken }));
}

/** Folders of the drive chosen beside the picker (the List Changes source's, or Browse's). */
export async function searchFolders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const chosen = (this.getNodeParameter('sourceDriveId', '', { extractValue: true }) || this.getNodeParameter('driveId', '', { extractValue: true })) as unknown;
	const driveId = typeof chosen === 'string' && chosen.trim() !== '' ? parseDriveId(chosen) : MY_DRIVE;
	return searchResult(await oneDriveProvider.browse(await pickerConnection(this, oneDriveNode), { kind: 'searchFolders', driveId, text: filter, pageToken: paginationToken }));
}
