/** Endpoints the clients talk to; an administrator may point them at a proxy (docs/architecture.md, "Other settings"). */
export const NOTION_API_VERSION = '2025-09-03';

export function googleApiUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_GOOGLE_API_URL || 'https://www.googleapis.com');
}

export function notionApiUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_NOTION_API_URL || 'https://api.notion.com');
}

export function dropboxApiUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_DROPBOX_API_URL || 'https://api.dropboxapi.com');
}

export function dropboxContentUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_DROPBOX_CONTENT_URL || 'https://content.dropboxapi.com');
}

function trimSlash(url: string): string {
	return url.replace(/\/+$/, '');
}
