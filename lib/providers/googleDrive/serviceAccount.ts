/**
 * Access tokens for a Google service account with domain-wide delegation: a JWT signed with the
 * account's private key (RS256, node:crypto) exchanged at Google's token endpoint by the JWT bearer
 * grant (RFC 7523), impersonating one user of the domain. Tokens are kept in memory until shortly
 * before they expire, per key and subject; the key itself is never logged nor put in a message.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';

import { ConnectorError, InvalidInputError } from '../../errors';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Read-only Drive; the Sheets API accepts it for reading a workbook's tabs. */
export const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';

/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;

/** A token is renewed this long before Google says it expires, so no request is sent with a dying one. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

export interface ServiceAccountKey {
	clientEmail: string;
	privateKey: KeyObject;
	/** `private_key_id` of the JSON key: Google picks the public key by it. */
	keyId?: string;
}

export interface ServiceAccountGrant {
	key: ServiceAccountKey;
	/** The domain user to impersonate; empty means the service account itself. */
	subject?: string;
	scopes: readonly string[];
	/** CONNECTORS_GOOGLE_TOKEN_URL (Google's own by default): the assertion's audience, too. */
	tokenUrl: string;
}

export interface ServiceAccountCredentialFields {
	/** `json` (the key file as downloaded) or `fields` (e-mail and PEM key). */
	keyFormat?: unknown;
	privateKeyJson?: unknown;
	clientEmail?: unknown;
	privateKey?: unknown;
	subject?: unknown;
}

const HINT = 'Paste the JSON key file of the service account as downloaded from the Google Cloud console (IAM → Service accounts → Keys).';

/** The key from the credential's fields: a whole JSON key file, or an e-mail and a PEM private key. */
export function serviceAccountKeyOf(fields: ServiceAccountCredentialFields): ServiceAccountKey {
	if (fields.keyFormat === 'fields') {
		const clientEmail = stringField(fields.clientEmail);
		if (!clientEmail) throw new InvalidInputError('The service account credential has no Service Account Email', HINT);
		return { clientEmail, privateKey: privateKeyOf(stringField(fields.privateKey)) };
	}
	const raw = stringField(fields.privateKeyJson);
	if (!raw) throw new InvalidInputError('The service account credential has no JSON key', HINT);
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		// The parser's message quotes the text, which is the key: say only that it is not JSON.
		throw new InvalidInputError('The service account JSON key is not valid JSON', HINT);
	}
	const key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
	if (key.type !== 'service_account') {
		throw new InvalidInputError('The JSON key is not a service account key (its "type" is not "service_account")', HINT);
	}
	const clientEmail = stringField(key.client_email);
	if (!clientEmail) throw new InvalidInputError('The service account JSON key has no "client_email"', HINT);
	return { clientEmail, privateKey: privateKeyOf(stringField(key.private_key)), keyId: stringField(key.private_key_id) || undefined };
}

function privateKeyOf(pem: string): KeyObject {
	const text = normalisedPem(pem);
	if (!text) throw new InvalidInputError('The service account credential has no private key', HINT);
	let key: KeyObject;
	try {
		key = createPrivateKey(text);
	} catch {
		throw new InvalidInputError('The service account private key cannot be read as a PEM private key', HINT);
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new InvalidInputError('The service account private key is not an RSA key, which Google signs service account tokens with', HINT);
	}
	return key;
}

/**
 * Keys pasted from a JSON string keep their newlines escaped, and a one-line input drops real ones:
 * the PEM is rebuilt from its armour and base64 body either way.
 */
function normalisedPem(pem: string): string {
	const text = pem.replace(/\\n/g, '\n').trim();
	const armoured = /^-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----$/.exec(text);
	if (armoured === null) return text;
	const body = armoured[2].replace(/\s+/g, '');
	return `-----BEGIN ${armoured[1]}-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${armoured[1]}-----\n`;
}

function stringField(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function base64url(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

/** The signed assertion of RFC 7523 §3: iss the service account, sub the user, aud the token URL. */
export function signedAssertion(grant: ServiceAccountGrant, nowMs = Date.now()): string {
	const iat = Math.floor(nowMs / 1000);
	const header = { alg: 'RS256', typ: 'JWT', ...(grant.key.keyId ? { kid: grant.key.keyId } : {}) };
	const claims = {
		iss: grant.key.clientEmail,
		...(grant.subject ? { sub: grant.subject } : {}),
		scope: grant.scopes.join(' '),
		aud: grant.tokenUrl,
		iat,
		exp: iat + ASSERTION_LIFETIME_S,
	};
	const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
	return `${unsigned}.${base64url(sign('sha256', Buffer.from(unsigned), grant.key.privateKey))}`;
}

interface CachedToken {
	accessToken: string;
	expiresAt: number;
}

/** Tokens (and exchanges under way) by key, subject, scopes and token URL: one exchange serves every request. */
const tokens = new Map<string, Promise<CachedToken>>();

function cacheKey(grant: ServiceAccountGrant): string {
	const der = grant.key.privateKey.export({ type: 'pkcs8', format: 'der' });
	// A digest, so the map holds nothing of the key.
	return createHash('sha256')
		.update(JSON.stringify([grant.key.clientEmail, grant.subject ?? '', [...grant.scopes], grant.tokenUrl]))
		.update(der)
		.digest('hex');
}

export interface TokenOptions {
	fetch?: typeof fetch;
	now?: () => number;
}

/** An access token for the grant: the cached one while it has more than a few minutes left, else a new exchange. */
export async function serviceAccountToken(grant: ServiceAccountGrant, { fetch: fetchImpl = fetch, now = Date.now }: TokenOptions = {}): Promise<string> {
	const key = cacheKey(grant);
	const cached = tokens.get(key);
	if (cached) {
		try {
			const token = await cached;
			if (token.expiresAt - RENEW_BEFORE_MS > now()) return token.accessToken;
		} catch {
			// A failed exchange is not remembered: the next request tries again.
		}
		if (tokens.get(key) !== cached) return await serviceAccountToken(grant, { fetch: fetchImpl, now });
	}
	const exchange = exchangeAssertion(grant, fetchImpl, now);
	tokens.set(key, exchange);
	exchange.catch(() => {
		if (tokens.get(key) === exchange) tokens.delete(key);
	});
	return (await exchange).accessToken;
}

/** Forgets every cached token (tests; a key rotated in place is picked up anyway, since the key is part of the cache key). */
export function forgetServiceAccountTokens(): void {
	tokens.clear();
}

async function exchangeAssertion(grant: ServiceAccountGrant, fetchImpl: typeof fetch, now: () => number): Promise<CachedToken> {
	const startedAt = now();
	let response: Response;
	try {
		response = await fetchImpl(grant.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: signedAssertion(grant, startedAt) }).toString(),
			redirect: 'error',
		});
	} catch (error) {
		throw new ConnectorError(
			'service_account_token_failed',
			`Could not reach Google's token endpoint (${originOf(grant.tokenUrl)}) for the service account ${grant.key.clientEmail} — check the network, or CONNECTORS_GOOGLE_TOKEN_URL`,
			undefined,
			{ cause: error },
		);
	}
	const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
	if (response.ok && typeof body.access_token === 'string') {
		const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
		return { accessToken: body.access_token, expiresAt: startedAt + expiresIn * 1000 };
	}
	throw tokenRefusal(grant, response.status, body);
}

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
}

/** Google's `{error, error_description}` as a sentence that says what to change (never the key). */
function tokenRefusal(grant: ServiceAccountGrant, status: number, body: Record<string, unknown>): ConnectorError {
	const code = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
	const description = typeof body.error_description === 'string' ? body.error_description : '';
	const who = grant.subject ? `${grant.key.clientEmail} impersonating ${grant.subject}` : grant.key.clientEmail;
	const said = `Google refused a token for the service account ${who}: ${code}${description ? ` (${description})` : ''}`;
	let next: string;
	if (code === 'unauthorized_client') {
		next =
			`Allow domain-wide delegation for the service account's client ID with the scope ${grant.scopes.join(', ')} ` +
			'in the Google Admin console (Security → API controls → Domain-wide delegation).';
	} else if (code === 'invalid_grant' && /email|user/i.test(description)) {
		next = 'Check the user to impersonate: it must be an existing user of the Google Workspace domain.';
	} else if (code === 'invalid_grant' && /signature|account not found|key/i.test(description)) {
		next = 'The key was deleted or disabled, or belongs to another service account: create a new key and paste it into the credential.';
	} else if (code === 'invalid_grant') {
		next = "Check this machine's clock (the token's issue and expiry times must be current) and the key.";
	} else if (code === 'invalid_scope') {
		next = 'Keep the credential\'s read-only scope; Google refused the scope asked for.';
	} else {
		next = 'Check the credential and try again.';
	}
	return new ConnectorError('service_account_token_refused', `${said}. ${next}`, next);
}
