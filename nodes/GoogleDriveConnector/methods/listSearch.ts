import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { FOLDER_MIME } from '../../../lib/providers/googleDrive/client';
import { folderUrl } from '../../../lib/providers/googleDrive/ids';
import { quoted } from '../../../lib/providers/googleDrive/query';
import { driveClient } from '../transport';

export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const clauses = [`mimeType = ${quoted(FOLDER_MIME)}`, 'trashed = false'];
	if (filter) clauses.push(`name contains ${quoted(filter)}`);
	const { data } = await driveClient(this).files.list({
		q: clauses.join(' and '),
		orderBy: 'name',
		pageSize: 100,
		pageToken: paginationToken,
		fields: 'nextPageToken,files(id,name,webViewLink)',
		corpora: 'allDrives',
		supportsAllDrives: true,
		includeItemsFromAllDrives: true,
	});
	return {
		results: (data.files ?? []).map((f) => ({ name: f.name ?? '', value: f.id ?? '', url: f.webViewLink ?? undefined })),
		paginationToken: data.nextPageToken ?? undefined,
	};
}

export async function searchSharedDrives(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { data } = await driveClient(this).drives.list({
		pageSize: 100,
		pageToken: paginationToken,
		fields: 'nextPageToken,drives(id,name)',
	});
	const needle = filter?.toLowerCase();
	return {
		results: (data.drives ?? [])
			.filter((d) => !needle || (d.name ?? '').toLowerCase().includes(needle))
			.map((d) => ({
				name: d.name ?? '',
				value: d.id ?? '',
				url: d.id ? folderUrl(d.id) : undefined,
			})),
		paginationToken: data.nextPageToken ?? undefined,
	};
}
