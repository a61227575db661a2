/** A Drive file by id as Drive describes it now, with its path from the root of its drive (Export IDs Directly). */
import type { drive_v3 } from '@googleapis/drive';

import type { ConnectorItem } from '../../items';
import type { DescribedItem } from '../types';
import { FILE_FIELDS, FOLDER_MIME, SHORTCUT_MIME, type DriveClient } from './client';
import { googleErrorOf } from './errors';
import { itemOf } from './listing/driveApi';
import { joinPath } from './listing/state';

/** Folders climbed at most: deeper trees are not made by people, and a cycle must not loop. */
const MAX_DEPTH = 100;

async function fileOrNull(drive: DriveClient, fileId: string, fields: string): Promise<drive_v3.Schema$File | null> {
	try {
		return (await drive.files.get({ fileId, fields, supportsAllDrives: true })).data;
	} catch (error) {
		if (googleErrorOf(error).status === 404) return null;
		throw error;
	}
}

/**
 * The folder names from the drive's root down to `parentId`. A drive's root (My Drive, a shared
 * drive) has no parents and no place in the path; a folder the account cannot see ends the climb,
 * so a file shared on its own has the path of what the account sees.
 */
async function folderPath(drive: DriveClient, parentId: string | undefined): Promise<string> {
	const names: string[] = [];
	const seen = new Set<string>();
	for (let id = parentId; id !== undefined && !seen.has(id) && names.length < MAX_DEPTH; ) {
		seen.add(id);
		const folder = await fileOrNull(drive, id, 'id,name,parents');
		if (folder === null || !folder.parents?.length) break;
		names.unshift(folder.name ?? '');
		id = folder.parents[0];
	}
	return names.reduce(joinPath, '');
}

export async function describeDriveItem({ drive }: { drive: DriveClient }, { external_id: fileId }: ConnectorItem): Promise<DescribedItem | null> {
	const file = await fileOrNull(drive, fileId, FILE_FIELDS);
	if (file === null || file.trashed || file.mimeType === FOLDER_MIME || file.mimeType === SHORTCUT_MIME) return null;
	const parent = file.parents?.[0];
	const path = joinPath(await folderPath(drive, parent), file.name ?? '');
	return itemOf(file, path, '', parent ?? '');
}
