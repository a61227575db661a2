import { generateKeyPairSync, verify } from 'node:crypto';

import { ConnectorError, InvalidInputError } from '../../../../lib/errors';
import {
	DRIVE_READONLY_SCOPE,
	JWT_BEARER_GRANT,
	forgetServiceAccountTokens,
	serviceAccountKeyOf,
	serviceAccountToken,
	signedAssertion,
	type ServiceAccountGrant,
} from '../../../../lib/providers/googleDrive/serviceAccount';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EMAIL = 'importer@project.iam.gserviceaccount.com';
const TOKEN_URL = 'https://oauth2.googleapis.com/token';
const keyFile = (overrides: Record<string, unknown> = {}) =>
	JSON.stringify({ type: 'service_account', client_email: EMAIL, private_key: PEM, private_key_id: 'kid-1', ...overrides });
/** The base64 body of the PEM: what must never appear in a message. */
const KEY_BODY = PEM.split('\n').slice(1, -2).join('');

function decode(part: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function grantFor(subject?: string): ServiceAccountGrant {
	return { key: serviceAccountKeyOf({ privateKeyJson: keyFile() }), subject, scopes: [DRIVE_READONLY_SCOPE], tokenUrl: TOKEN_URL };
}

/** A token endpoint answering each exchange with the next of `answers`, recording the forms it was sent. */
function tokenEndpoint(answers: Array<{ status: number; body: unknown }>) {
	const forms: URLSearchParams[] = [];
	const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
		forms.push(new URLSearchParams(String(init?.body)));
		const answer = answers.shift() ?? { status: 500, body: {} };
		return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
	}) as typeof globalThis.fetch;
	return { fetch, forms };
}

const ok = (token: string, expiresIn = 3599) => ({ status: 200, body: { access_token: token, expires_in: expiresIn, token_type: 'Bearer' } });

afterEach(() => forgetServiceAccountTokens());

describe('service account keys', () => {
	it('reads a JSON key file, and an e-mail with a PEM key whose newlines were escaped or dropped', () => {
		expect(serviceAccountKeyOf({ privateKeyJson: keyFile() })).toMatchObject({ clientEmail: EMAIL, keyId: 'kid-1' });
		expect(serviceAccountKeyOf({ keyFormat: 'fields', clientEmail: EMAIL, privateKey: PEM.replace(/\n/g, '\\n') }).clientEmail).toBe(EMAIL);
		expect(serviceAccountKeyOf({ keyFormat: 'fields', clientEmail: EMAIL, privateKey: PEM.replace(/\n/g, '') }).privateKey.asymmetricKeyType).toBe('rsa');
	});

	it.each([
		['an empty key', { privateKeyJson: '' }, /no JSON key/],
		['text that is not JSON', { privateKeyJson: `{${PEM}` }, /not valid JSON/],
		['another kind of key file', { privateKeyJson: keyFile({ type: 'authorized_user' }) }, /not a service account key/],
		['a key file without client_email', { privateKeyJson: keyFile({ client_email: undefined }) }, /no "client_email"/],
		['a broken private key', { privateKeyJson: keyFile({ private_key: PEM.replace(/[A-Z]{6}/, 'zzzzzz').slice(0, 400) }) }, /cannot be read as a PEM private key/],
		['an e-mail without a key', { keyFormat: 'fields', clientEmail: EMAIL, privateKey: '' }, /no private key/],
	])('refuses %s with an input error that does not quote the key', (_label, fields, message) => {
		let thrown: unknown;
		try {
			serviceAccountKeyOf(fields);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(InvalidInputError);
		expect((thrown as Error).message).toMatch(message);
		expect(`${(thrown as Error).message} ${(thrown as InvalidInputError).hint}`).not.toContain(KEY_BODY.slice(0, 40));
		expect(JSON.stringify(thrown)).not.toContain('PRIVATE KEY');
	});
});

describe('the signed assertion', () => {
	it('names the service account, the user, the read-only scope and the token URL, valid for an hour, signed RS256 with the key', () => {
		const assertion = signedAssertion(grantFor('alice@example.com'), Date.UTC(2026, 0, 1));
		const [header, claims, signature] = assertion.split('.');
		expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-1' });
		const iat = Date.UTC(2026, 0, 1) / 1000;
		expect(decode(claims)).toEqual({ iss: EMAIL, sub: 'alice@example.com', scope: DRIVE_READONLY_SCOPE, aud: TOKEN_URL, iat, exp: iat + 3600 });
		expect(verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
	});

	it('leaves sub out when the service account speaks as itself', () => {
		expect(decode(signedAssertion(grantFor(undefined)).split('.')[1])).not.toHaveProperty('sub');
	});
});

describe('service account tokens', () => {
	it('exchanges the assertion by the JWT bearer grant and reuses the token until shortly before it expires', async () => {
		let now = 1_000_000;
		const endpoint = tokenEndpoint([ok('ya29.first'), ok('ya29.second')]);
		const options = { fetch: endpoint.fetch, now: () => now };
		expect(await serviceAccountToken(grantFor('alice@example.com'), options)).toBe('ya29.first');
		now += 50 * 60 * 1000;
		expect(await serviceAccountToken(grantFor('alice@example.com'), options)).toBe('ya29.first');
		now += 6 * 60 * 1000; // under five minutes left
		expect(await serviceAccountToken(grantFor('alice@example.com'), options)).toBe('ya29.second');
		expect(endpoint.forms.map((form) => form.get('grant_type'))).toEqual([JWT_BEARER_GRANT, JWT_BEARER_GRANT]);
		expect(endpoint.forms[0].get('assertion')?.split('.')).toHaveLength(3);
	});

	it('makes one exchange for requests that ask at once, and one per impersonated user', async () => {
		const endpoint = tokenEndpoint([ok('ya29.alice'), ok('ya29.bob')]);
		const tokens = await Promise.all([1, 2, 3].map(async () => await serviceAccountToken(grantFor('alice@example.com'), { fetch: endpoint.fetch })));
		expect(tokens).toEqual(['ya29.alice', 'ya29.alice', 'ya29.alice']);
		expect(await serviceAccountToken(grantFor('bob@example.com'), { fetch: endpoint.fetch })).toBe('ya29.bob');
		expect(endpoint.forms).toHaveLength(2);
	});

	it('does not remember a refusal: the next request exchanges again', async () => {
		const endpoint = tokenEndpoint([{ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } }, ok('ya29.later')]);
		await expect(serviceAccountToken(grantFor('alice@example.com'), { fetch: endpoint.fetch })).rejects.toThrow(ConnectorError);
		expect(await serviceAccountToken(grantFor('alice@example.com'), { fetch: endpoint.fetch })).toBe('ya29.later');
	});

	it.each([
		[401, { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method.' }, /domain-wide delegation .* Admin console/],
		[400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' }, /user to impersonate/],
		[400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, /create a new key/],
		[400, { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes)' }, /clock/],
	])("says what to change when Google answers %s %j, naming the account but never the key", async (status, body, next) => {
		const endpoint = tokenEndpoint([{ status, body }]);
		const failure = await serviceAccountToken(grantFor('alice@example.com'), { fetch: endpoint.fetch }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(ConnectorError);
		const message = (failure as Error).message;
		expect(message).toContain(`${EMAIL} impersonating alice@example.com`);
		expect(message).toContain(body.error);
		expect(message).toMatch(next);
		expect(message).not.toContain(KEY_BODY.slice(0, 40));
		expect(message).not.toContain(endpoint.forms[0].get('assertion') ?? 'no assertion');
	});

	it('fails with the token endpoint named when it cannot be reached', async () => {
		const unreachable = (async () => {
			throw new TypeError('fetch failed');
		}) as typeof fetch;
		await expect(serviceAccountToken(grantFor(), { fetch: unreachable })).rejects.toThrow(/Could not reach Google's token endpoint \(https:\/\/oauth2\.googleapis\.com\)/);
	});
});
