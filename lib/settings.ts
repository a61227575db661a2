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

/** Microsoft Graph for OneDrive and SharePoint; a national cloud's (e.g. https://graph.microsoft.us) or a test server's. */
export function microsoftGraphUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_MICROSOFT_GRAPH_URL || 'https://graph.microsoft.com');
}

/** The Microsoft identity platform the OneDrive credential signs in through. */
export function microsoftLoginUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_MICROSOFT_LOGIN_URL || 'https://login.microsoftonline.com');
}

function trimSlash(url: string): string {
	return url.replace(/\/+$/, '');
}
