/**
 * Where a credential may be sent: the provider's API origins, matched exactly, or `https://*.host`
 * for any subdomain of a host over https. Anything else never sees the token.
 */
import { ConnectorError } from '../errors';

/** `https://www.googleapis.com` from `https://www.googleapis.com/drive/v3`; a test server's `http://127.0.0.1:4100`. */
export function originOf(url: string): string {
	return new URL(url).origin;
}

export function isAllowedOrigin(url: string | URL, allowed: readonly string[]): boolean {
	let parsed: URL;
	try {
		parsed = typeof url === 'string' ? new URL(url) : url;
	} catch {
		return false;
	}
	if (parsed.username !== '' || parsed.password !== '') return false;
	return allowed.some((pattern) => {
		const wildcard = /^https:\/\/\*\.([^/:]+)$/.exec(pattern);
		if (wildcard === null) return parsed.origin === pattern;
		return parsed.protocol === 'https:' && parsed.port === '' && parsed.hostname.endsWith(`.${wildcard[1].toLowerCase()}`);
	});
}

/** A request whose credential would leave the provider's hosts. */
export class CredentialHostError extends ConnectorError {
	constructor(url: string, allowed: readonly string[]) {
		let target = url;
		try {
			target = new URL(url).origin;
		} catch {
			// An unparsable URL is named as it came.
		}
		super(
			'credential_host_refused',
			`Refused to send the credential to ${target}: only ${allowed.join(', ')} may receive it`,
			'If a proxy or test server stands in for the API, set its URL in CONNECTORS_GOOGLE_API_URL or CONNECTORS_NOTION_API_URL.',
		);
		this.name = 'CredentialHostError';
	}
}
