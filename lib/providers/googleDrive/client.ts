import { drive as createDrive, type drive_v3 } from '@googleapis/drive';

export type DriveClient = drive_v3.Drive;

export interface DriveClientOptions {
	/** A fetch that signs requests (in n8n: through httpRequestWithAuthentication). */
	fetch: typeof fetch;
	/** e.g. https://www.googleapis.com or a test server. */
	apiUrl: string;
}

export function createDriveClient({ fetch, apiUrl }: DriveClientOptions): DriveClient {
	return createDrive({
		version: 'v3',
		rootUrl: `${apiUrl.replace(/\/+$/, '')}/`,
		fetchImplementation: fetch,
		// Retries are the connector's own (backoff, Retry-After, Drive's 403 reasons).
		retry: false,
	});
}

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';

/** Every field the connector reads from a file; Drive returns only what `fields` names. */
export const FILE_FIELDS =
	'id,name,mimeType,parents,size,modifiedTime,createdTime,webViewLink,driveId,md5Checksum,version,trashed,shortcutDetails(targetId,targetMimeType)';

export const SHARED_DRIVE_FIELDS = 'id,name,createdTime';
