import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { googleDriveProvider, type DriveBrowsePage } from '../../../lib/providers/googleDrive';
import { pickerConnection } from '../../shared/connectorOperations';
import { googleDriveNode } from '../transport';

function searchResult({ entries, nextPageToken }: DriveBrowsePage): INodeListSearchResult {
	return {
		results: entries.map((entry) => ({ name: entry.name, value: entry.id, url: entry.url ?? undefined })),
		paginationToken: nextPageToken,
	};
}

export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchResult(await googleDriveProvider.browse(await pickerConnection(this, googleDriveNode), { kind: 'searchFolders', text: filter, pageToken: paginationToken }));
}

export async function searchSharedDrives(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchResult(
		await googleDriveProvider.browse(await pickerConnection(this, googleDriveNode), { kind: 'searchSharedDrives', text: filter, pageToken: paginationToken }),
	);
}
