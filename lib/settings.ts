import { InvalidInputError } from './errors';

/** Endpoints the clients talk to; an administrator may point them at a proxy (docs/architecture.md, "Other settings"). */
export const NOTION_API_VERSION = '2025-09-03';

export function googleApiUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_GOOGLE_API_URL || 'https://www.googleapis.com');
}

/**
 * Google's OAuth2 token endpoint, where a service account's signed assertion is exchanged for a
 * token (`CONNECTORS_GOOGLE_TOKEN_URL`, default https://oauth2.googleapis.com/token); a test server's in tests.
 */
export function googleTokenUrl(env: NodeJS.ProcessEnv = process.env): string {
	return trimSlash(env.CONNECTORS_GOOGLE_TOKEN_URL || 'https://oauth2.googleapis.com/token');
}

/**
 * The Sheets API, which reads a workbook's tabs: Google's own host by default; a proxy or test
 * server set in CONNECTORS_GOOGLE_API_URL serves it too (its `/v4/spreadsheets/…` paths).
 */
export function googleSheetsApiUrl(env: NodeJS.ProcessEnv = process.env): string {
	return env.CONNECTORS_GOOGLE_API_URL ? googleApiUrl(env) : 'https://sheets.googleapis.com';
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

const DEFAULT_RETRY_BUDGET_SECONDS = 120;

/**
 * How long one request may keep retrying rate limits and outages before it fails
 * (`CONNECTORS_RETRY_BUDGET_SECONDS`, default 120): Google's guidance is backoff up to about a minute,
 * and a shared quota can stay exhausted a little longer than that.
 */
export function retryBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.CONNECTORS_RETRY_BUDGET_SECONDS?.trim();
	if (!raw) return DEFAULT_RETRY_BUDGET_SECONDS * 1000;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds < 0) {
		throw new InvalidInputError(
			`CONNECTORS_RETRY_BUDGET_SECONDS must be a number of seconds, zero or more, got "${raw}"`,
			`Unset it for the default of ${DEFAULT_RETRY_BUDGET_SECONDS} s, or set e.g. 300.`,
		);
	}
	return Math.round(seconds * 1000);
}
