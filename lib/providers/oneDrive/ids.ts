import { InvalidInputError } from '../../errors';

/** The signed-in user's own OneDrive, as a drive id. */
export const MY_DRIVE = 'me';

/** Graph drive ids (`b!…` in SharePoint and OneDrive for Business, hex in personal OneDrive). */
const DRIVE_ID = /^[A-Za-z0-9!_-]{4,}$/;
/** Graph item ids (`01BYE5RZ…` in Business, `D4648F06C91D9D3D!54927` in personal OneDrive). */
const ITEM_ID = /^[A-Za-z0-9!_.-]{4,}$/;

export function isShareUrl(input: string): boolean {
	return /^https?:\/\/\S+$/i.test(input.trim());
}

/** Graph's sharing token for a share URL: `u!` and the URL in unpadded base64url (Graph's /shares encoding). */
export function shareIdOf(url: string): string {
	return `u!${Buffer.from(url.trim(), 'utf8').toString('base64url')}`;
}

/** A drive id (`me` for the user's OneDrive), or a SharePoint library's address; anything else is a clear input error. */
export function parseDriveId(input: string): string {
	const value = input.trim();
	if (value === '' || value === MY_DRIVE) return MY_DRIVE;
	if (DRIVE_ID.test(value) || isShareUrl(value)) return value;
	throw new InvalidInputError(
		`"${value}" is not a OneDrive or SharePoint drive id`,
		'Pick the drive from the list, paste its address or its id (SharePoint library ids start with "b!"); leave it empty for My OneDrive.',
	);
}

/** A folder's item id, or a OneDrive/SharePoint share URL (resolved through Graph's /shares). */
export function parseFolderRef(input: string): string {
	const value = input.trim();
	if (isShareUrl(value)) return value;
	if (value === 'root' || ITEM_ID.test(value)) return value;
	throw new InvalidInputError(
		`"${value}" is not a OneDrive folder id or link`,
		'Pick the folder from the list, paste a link to it (Share → Copy link in OneDrive or SharePoint), or paste its item id.',
	);
}
