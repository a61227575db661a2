import { InvalidInputError } from '../../../errors';
import { isShareUrl, shareIdOf } from '../ids';

/**
 * What a OneDrive listing covers: a whole drive (`me` for the user's OneDrive, or a SharePoint
 * document library), or a folder in one, its direct children or its whole subtree. A folder is an
 * item id in `driveId`, or a share URL (which names its drive itself).
 */
export type OneDriveSource =
	| { kind: 'drive'; driveId: string }
	| { kind: 'folder'; driveId: string; folderId: string; recursive: boolean };

/** Stable id of a source: provider, account and root; a non-recursive folder is a source of its own. */
export function sourceKeyFor(accountId: string, source: OneDriveSource): string {
	const account = accountId.trim().toLowerCase();
	if (account === '') {
		throw new InvalidInputError('The Microsoft account is empty', 'Pass the mail or userPrincipalName of the connected account (Graph /me).');
	}
	const prefix = `onedrive:${account}`;
	if (source.kind === 'drive') return `${prefix}:drive:${source.driveId}`;
	const folder = isShareUrl(source.folderId) ? `share:${shareIdOf(source.folderId)}` : `${source.driveId}:${source.folderId}`;
	return `${prefix}:folder:${folder}${source.recursive ? '' : ':direct'}`;
}

export function isRecursive(source: OneDriveSource): boolean {
	return source.kind === 'drive' || source.recursive;
}
