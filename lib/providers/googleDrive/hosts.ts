/** The hosts a Drive credential may be sent to, and the export links Drive may hand out. */
import { isAllowedOrigin, originOf } from '../../http';
import { googleApiUrl, googleSheetsApiUrl } from '../../settings';

/** Where Drive's `exportLinks` point (Docs, Sheets, Slides are exported from docs.google.com). */
const GOOGLE_EXPORT_LINK_ORIGINS = ['https://docs.google.com', 'https://drive.google.com', 'https://www.googleapis.com'];

/**
 * The APIs (Drive at CONNECTORS_GOOGLE_API_URL, Google's own by default; Sheets, which a proxy or
 * test server there serves too) and Google's export-link hosts.
 */
export function driveCredentialOrigins(apiUrl = googleApiUrl(), sheetsUrl = googleSheetsApiUrl()): string[] {
	return [...new Set([originOf(apiUrl), originOf(sheetsUrl), ...GOOGLE_EXPORT_LINK_ORIGINS])];
}

/** An export link the signed fetch may follow: https on Google's hosts, or the configured API itself. */
export function isDriveExportLink(link: string, apiUrl = googleApiUrl()): boolean {
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		return false;
	}
	if (isAllowedOrigin(url, [originOf(apiUrl)])) return true;
	return url.protocol === 'https:' && isAllowedOrigin(url, GOOGLE_EXPORT_LINK_ORIGINS);
}
