/**
 * Files uploaded to Notion come back as signed URLs that expire after about an hour
 * and differ on every read (`?X-Amz-Signature=…` or `?expirationTimestamp=…&signature=…`).
 * Their path (workspace, file id, file name) is stable and changes when the file is
 * replaced, so the URL without its query is the stable reference hashed for `content_hash`.
 */
export function stableFileUrl(url: string): string {
	const end = url.search(/[?#]/);
	return end === -1 ? url : url.slice(0, end);
}

/** The file name at the end of a URL's path, decoded; undefined when there is none. */
export function fileNameFromUrl(url: string): string | undefined {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return undefined;
	}
	const segment = path.split('/').pop();
	if (!segment) return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
