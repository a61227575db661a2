import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';

import { startFakeGoogle, type FakeGoogle } from './googleApi';
import { JWT_BEARER_GRANT } from './serviceAccounts';

/** A Google answer as the assertions below read it. */
type GoogleAnswer = { error: { status: string; message: string; details?: unknown }; user: { emailAddress: string } } & Record<string, unknown>;

const READONLY = 'https://www.googleapis.com/auth/drive.readonly';

function jwt(claims: Record<string, unknown>, pem: string, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${part(header)}.${part(claims)}`;
	return `${unsigned}.${sign('sha256', Buffer.from(unsigned), createPrivateKey(pem)).toString('base64url')}`;
}

describe('fake Google: the JWT bearer grant and the Sheets API', () => {
	let google: FakeGoogle;
	let keyFile: ReturnType<FakeGoogle['addServiceAccount']>;

	beforeAll(async () => {
		google = await startFakeGoogle();
		keyFile = google.addServiceAccount({ clientEmail: 'importer@fake-project.iam.gserviceaccount.com' });
		google.addDomainUser('bob@example.com');
	});
	afterAll(async () => await google.close());
	afterEach(() => expect(google.internalErrors).toEqual([]));

	const now = () => Math.floor(Date.now() / 1000);
	const claims = (overrides: Record<string, unknown> = {}) => ({
		iss: keyFile.client_email,
		sub: 'bob@example.com',
		scope: READONLY,
		aud: google.tokenUrl,
		iat: now(),
		exp: now() + 3600,
		...overrides,
	});
	const exchange = async (assertion: string) => {
		const response = await fetch(google.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const api = async (path: string, token: string) => {
		const response = await fetch(`${google.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
		return { status: response.status, body: (await response.json()) as GoogleAnswer };
	};

	describe('token endpoint', () => {
		it('answers a well-signed assertion with a bearer token that speaks as the impersonated user, without a refresh token', async () => {
			const { status, body } = await exchange(jwt(claims(), keyFile.private_key, { alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id }));
			expect(status).toBe(200);
			expect(body).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3599, token_type: 'Bearer' });
			const about = await api('/drive/v3/about?fields=user(emailAddress)', String(body.access_token));
			expect(about.body).toEqual({ user: { emailAddress: 'bob@example.com' } });
		});

		it('speaks as the service account itself when the assertion has no sub', async () => {
			const { body } = await exchange(jwt(claims({ sub: undefined }), keyFile.private_key));
			const about = await api('/drive/v3/about?fields=user(emailAddress)', String(body.access_token));
			expect(about.body.user.emailAddress).toBe(keyFile.client_email);
		});

		it.each([
			['a signature by another key', () => jwt(claims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), 400, 'invalid_grant', /Invalid JWT Signature/],
			['an unknown service account', () => jwt(claims({ iss: 'nobody@x.iam.gserviceaccount.com' }), keyFile.private_key), 400, 'invalid_grant', /account not found/],
			['another audience', () => jwt(claims({ aud: 'https://attacker.test/token' }), keyFile.private_key), 400, 'invalid_grant', /audience/],
			['a lifetime over an hour', () => jwt(claims({ exp: now() + 7200 }), keyFile.private_key), 400, 'invalid_grant', /iat and exp/],
			['an expired assertion', () => jwt(claims({ iat: now() - 7200, exp: now() - 3600 }), keyFile.private_key), 400, 'invalid_grant', /iat and exp/],
			['no scope', () => jwt(claims({ scope: '' }), keyFile.private_key), 400, 'invalid_scope', /scope/],
			['a scope not delegated', () => jwt(claims({ scope: 'https://www.googleapis.com/auth/drive' }), keyFile.private_key), 401, 'unauthorized_client', /not authorized/],
			['a user outside the domain', () => jwt(claims({ sub: 'mallory@elsewhere.test' }), keyFile.private_key), 400, 'invalid_grant', /Invalid email or User ID/],
			['an unsigned token', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`, 400, 'invalid_grant', /Signature/],
		])('refuses %s as Google does', async (_label, assertion, status, error, description) => {
			const answer = await exchange(assertion());
			expect(answer.status).toBe(status);
			expect(answer.body.error).toBe(error);
			expect(String(answer.body.error_description)).toMatch(description);
		});

		it('refuses the tokens of a deleted key, and keeps the assertion out of its request log', async () => {
			const other = google.addServiceAccount();
			const { body } = await exchange(jwt({ ...claims(), iss: other.client_email }, other.private_key));
			google.disableServiceAccountKey(other.client_email);
			expect((await api('/drive/v3/about?fields=user(emailAddress)', String(body.access_token))).status).toBe(401);
			expect((await exchange(jwt({ ...claims(), iss: other.client_email }, other.private_key))).body.error).toBe('invalid_grant');
			expect(JSON.stringify(google.requests)).not.toContain(other.private_key.slice(40, 80));
			expect(google.requests.filter((request) => request.path === '/token').every((request) => (request.body as Record<string, unknown>).assertion === '<redacted>')).toBe(true);
		});
	});

	describe('Sheets API', () => {
		let token: string;
		let workbook: string;

		beforeAll(() => {
			token = google.issueTokens().access_token;
			workbook = google.addSpreadsheet({
				name: 'Budget',
				sheets: [
					{ title: 'Summary', rows: [['Total', '42'], ['', '']] },
					{ title: 'Raw data', rows: [['a', 'b', 'c']], hidden: true },
					{ title: 'Chart', sheetType: 'OBJECT' },
				],
			}).id;
		});

		it("lists the tabs' properties the mask names, leaving hidden out when false", async () => {
			const { status, body } = await api(`/v4/spreadsheets/${workbook}?fields=sheets.properties(sheetId,title,index,hidden,sheetType)`, token);
			expect(status).toBe(200);
			expect(body).toEqual({
				sheets: [
					{ properties: { sheetId: 0, title: 'Summary', index: 0, sheetType: 'GRID' } },
					{ properties: { sheetId: expect.any(Number), title: 'Raw data', index: 1, sheetType: 'GRID', hidden: true } },
					{ properties: { sheetId: expect.any(Number), title: 'Chart', index: 2, sheetType: 'OBJECT' } },
				],
			});
		});

		it('refuses a mask naming an unknown field, an unknown parameter and a missing token', async () => {
			const mask = await api(`/v4/spreadsheets/${workbook}?fields=sheets.properties(colour)`, token);
			expect(mask.status).toBe(400);
			expect(mask.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
			expect(JSON.stringify(mask.body.error.details)).toContain("Cannot find matching fields for path 'colour'");
			const param = await api(`/v4/spreadsheets/${workbook}?supportsAllDrives=true`, token);
			expect(param.body.error.message).toMatch(/Unknown name "supportsAllDrives"/);
			expect((await fetch(`${google.origin}/v4/spreadsheets/${workbook}`)).status).toBe(401);
		});

		it('reads several whole tabs at once, trailing empty cells and rows left out, and refuses a range naming no tab', async () => {
			const ranges = ["'Summary'", "'Raw data'"].map((range) => `ranges=${encodeURIComponent(range)}`).join('&');
			const { body } = await api(`/v4/spreadsheets/${workbook}/values:batchGet?${ranges}&majorDimension=ROWS&fields=valueRanges(values)`, token);
			expect(body).toEqual({ valueRanges: [{ values: [['Total', '42']] }, { values: [['a', 'b', 'c']] }] });
			const chart = await api(`/v4/spreadsheets/${workbook}/values:batchGet?ranges=Chart`, token);
			expect(chart).toEqual({ status: 400, body: { error: { code: 400, message: 'Unable to parse range: Chart', status: 'INVALID_ARGUMENT' } } });
		});

		it("answers 404 for a file the account cannot see and 400 for a file that is not a spreadsheet, while Drive's CSV export holds the first tab", async () => {
			expect((await api('/v4/spreadsheets/1missingmissingmissing', token)).body.error.status).toBe('NOT_FOUND');
			const doc = google.addFile({ name: 'Doc', mimeType: 'application/vnd.google-apps.document', content: 'x' });
			expect((await api(`/v4/spreadsheets/${doc.id}`, token)).body.error.status).toBe('FAILED_PRECONDITION');
			const csv = await fetch(`${google.origin}/drive/v3/files/${workbook}/export?mimeType=text%2Fcsv`, { headers: { authorization: `Bearer ${token}` } });
			expect(await csv.text()).toBe('Total,42');
		});
	});
});
