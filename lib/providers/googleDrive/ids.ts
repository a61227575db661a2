import { InvalidInputError } from '../../errors';

const DRIVE_ID = /^[A-Za-z0-9_-]{10,}$/;

/** URL shapes a person copies from Drive's web UI, each capturing the file, folder or shared drive id. */
const URL_PATTERNS = [
	/\/drive\/(?:u\/\d+\/)?folders\/([A-Za-z0-9_-]+)/,
	/\/(?:file|document|spreadsheets|presentation|forms|drawings)\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]+)/,
	/[?&]id=([A-Za-z0-9_-]+)/,
];

/** Drive's alias for the signed-in user's My Drive root folder. */
export const MY_DRIVE_ROOT = 'root';

/** The web UI's address of a folder or shared drive. */
export function folderUrl(id: string): string {
	return `https://drive.google.com/drive/folders/${id}`;
}

/** Accepts a Drive id or a Drive URL and returns the id; anything else is a clear input error. */
export function parseDriveId(input: string, what = 'folder'): string {
	const value = input.trim();
	if (value === MY_DRIVE_ROOT || DRIVE_ID.test(value)) return value;
	if (/^https?:\/\//i.test(value)) {
		for (const pattern of URL_PATTERNS) {
			const match = pattern.exec(value);
			if (match && DRIVE_ID.test(match[1])) return match[1];
		}
		throw new InvalidInputError(
			`"${value}" is not a Google Drive ${what} URL`,
			`Paste a link such as https://drive.google.com/drive/folders/<id>, or the ${what} id itself.`,
		);
	}
	throw new InvalidInputError(
		`"${value}" is not a valid Google Drive ${what} id`,
		'Drive ids are at least 10 letters, digits, "-" or "_"; a Drive URL works too.',
	);
}
