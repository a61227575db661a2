import { InvalidInputError } from '../../../errors';

/** What a Drive listing covers: a folder (its direct children, or its whole subtree), a shared drive, My Drive. */
export type DriveSource =
	| { kind: 'folder'; folderId: string; recursive: boolean }
	| { kind: 'sharedDrive'; driveId: string }
	| { kind: 'myDrive' };

/**
 * Stable id of a source: provider, account and root. A non-recursive folder is a different source
 * from the same folder listed recursively (they hold different items).
 */
export function sourceKeyFor(accountEmail: string, source: DriveSource): string {
	const account = accountEmail.trim().toLowerCase();
	if (account === '') {
		throw new InvalidInputError(
			'The Google account e-mail is empty',
			'Pass the e-mail of the connected account (Drive about.get user.emailAddress).',
		);
	}
	const prefix = `google_drive:${account}`;
	switch (source.kind) {
		case 'folder':
			return `${prefix}:folder:${source.folderId}${source.recursive ? '' : ':direct'}`;
		case 'sharedDrive':
			return `${prefix}:shared_drive:${source.driveId}`;
		case 'myDrive':
			return `${prefix}:my_drive`;
	}
}

/** Whether subfolders belong to the source. */
export function isRecursive(source: DriveSource): boolean {
	return source.kind !== 'folder' || source.recursive;
}
