/**
 * The JWT bearer grant (RFC 7523) of the fake Google token endpoint, as Google answers it for a
 * service account with domain-wide delegation: the assertion's RS256 signature is checked with
 * the account's public key, then its claims — `iss` a known account, `aud` the token URL, `iat`/`exp`
 * at most an hour apart around now, `scope` present and delegated, `sub` a user of the domain.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface FakeServiceAccount {
	clientEmail: string;
	keyId: string;
	publicKey: KeyObject;
	/** Scopes an admin delegated to the account's client ID (impersonation asks only these). */
	delegatedScopes: string[];
	/** Whether the key was deleted in the console (its assertions answer invalid_grant). */
	disabled: boolean;
}

/** A JSON key file as the Google Cloud console hands it out, with its private key. */
export interface ServiceAccountKeyFile {
	type: 'service_account';
	project_id: string;
	private_key_id: string;
	private_key: string;
	client_email: string;
	client_id: string;
	auth_uri: string;
	token_uri: string;
}

/** A fresh RSA key pair and the key file for `clientEmail`. */
export function newServiceAccountKey(clientEmail: string, keyId: string): { keyFile: ServiceAccountKeyFile; publicKey: KeyObject } {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		publicKey,
		keyFile: {
			type: 'service_account',
			project_id: clientEmail.split('@')[1]?.split('.')[0] ?? 'project',
			private_key_id: keyId,
			private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
			client_email: clientEmail,
			client_id: '1' + keyId.replace(/\D/g, '').padEnd(20, '7').slice(0, 20),
			auth_uri: 'https://accounts.google.com/o/oauth2/auth',
			token_uri: 'https://oauth2.googleapis.com/token',
		},
	};
}

export interface GrantVerdict {
	ok: true;
	account: FakeServiceAccount;
	subject?: string;
	scope: string;
}

export interface GrantRefusal {
	ok: false;
	status: number;
	error: string;
	description: string;
}

const SKEW_S = 300;
const MAX_LIFETIME_S = 3600;
const TIMEFRAME = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

function refuse(error: string, description: string, status = 400): GrantRefusal {
	return { ok: false, status, error, description };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
		return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** Google's answer to an assertion: who it speaks as, or the `{error, error_description}` it refuses with. */
export function verifyAssertion(
	assertion: string | undefined,
	{ accounts, domainUsers, tokenUrl, nowMs }: { accounts: ReadonlyMap<string, FakeServiceAccount>; domainUsers: ReadonlySet<string>; tokenUrl: string; nowMs: number },
): GrantVerdict | GrantRefusal {
	if (!assertion) return refuse('invalid_request', 'Missing required parameter: assertion');
	const parts = assertion.split('.');
	if (parts.length !== 3) return refuse('invalid_grant', 'Invalid JWT: Unable to parse the assertion.');
	const header = decodeJson(parts[0]);
	const claims = decodeJson(parts[1]);
	if (!header || !claims) return refuse('invalid_grant', 'Invalid JWT: Unable to parse the assertion.');
	if (header.alg !== 'RS256') return refuse('invalid_grant', 'Invalid JWT Signature.');
	const account = typeof claims.iss === 'string' ? accounts.get(claims.iss) : undefined;
	if (!account) return refuse('invalid_grant', 'Invalid grant: account not found');
	if (account.disabled || (header.kid !== undefined && header.kid !== account.keyId)) return refuse('invalid_grant', 'Invalid JWT Signature.');
	const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2], 'base64url'));
	if (!signed) return refuse('invalid_grant', 'Invalid JWT Signature.');
	if (claims.aud !== tokenUrl) return refuse('invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${tokenUrl}`);
	const now = Math.floor(nowMs / 1000);
	const { iat, exp } = claims;
	if (typeof iat !== 'number' || typeof exp !== 'number') return refuse('invalid_grant', TIMEFRAME);
	if (iat > now + SKEW_S || exp <= now - SKEW_S || exp <= iat || exp - iat > MAX_LIFETIME_S) return refuse('invalid_grant', TIMEFRAME);
	const scope = typeof claims.scope === 'string' ? claims.scope.trim() : '';
	if (!scope) return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
	const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
	if (subject !== undefined) {
		// Delegation is granted per client ID and scope in the Admin console.
		const undelegated = scope.split(/\s+/).some((asked) => !account.delegatedScopes.includes(asked));
		if (undelegated) {
			return refuse('unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.', 401);
		}
		if (!domainUsers.has(subject.toLowerCase())) return refuse('invalid_grant', 'Invalid email or User ID');
	}
	return { ok: true, account, subject, scope };
}

export function publicKeyOf(pemOrKey: string | KeyObject): KeyObject {
	return typeof pemOrKey === 'string' ? createPublicKey(pemOrKey) : pemOrKey;
}
