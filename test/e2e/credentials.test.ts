import { startFakeDropbox, type FakeDropbox } from '../fakes/dropboxApi';
import { startFakeGoogle, type FakeGoogle } from '../fakes/googleApi';
import { startFakeNotion, type FakeNotion } from '../fakes/notionApi';
import { dropboxCredential } from './dropbox/credential';
import { driveCredential } from './harness/google';
import { N8nInstance } from './harness/n8n';
import { N8nRest } from './harness/rest';

/** Each credential type's test, run by n8n's own credential tester as the editor's "Test" does. */
describe('credential tests in a running n8n', () => {
	let google: FakeGoogle;
	let notion: FakeNotion;
	let dropbox: FakeDropbox;
	let n8n: N8nInstance;
	let rest: N8nRest;

	const googleOk = { id: 'googleOkCred0001', name: 'Google ok', type: 'googleDriveConnectorOAuth2Api' };
	const googleRevoked = { id: 'googleBadCred001', name: 'Google revoked', type: 'googleDriveConnectorOAuth2Api' };
	const notionTokenOk = { id: 'notionOkCred0001', name: 'Notion token', type: 'notionConnectorApi' };
	const notionTokenBad = { id: 'notionBadCred001', name: 'Notion bad token', type: 'notionConnectorApi' };
	const notionOAuth = { id: 'notionOAuthCred1', name: 'Notion OAuth', type: 'notionConnectorOAuth2Api' };
	const dropboxOk = { id: 'dropboxOkCred001', name: 'Dropbox ok', type: 'dropboxConnectorOAuth2Api' };
	const serviceAccountOk = { id: 'googleSaCred0001', name: 'Google service account', type: 'googleDriveConnectorServiceAccountApi' };
	const serviceAccountOutsider = { id: 'googleSaCredBad1', name: 'Google service account, unknown user', type: 'googleDriveConnectorServiceAccountApi' };
	let privateKeyLine = '';

	beforeAll(async () => {
		google = await startFakeGoogle();
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		dropbox = await startFakeDropbox();
		const revoked = google.issueTokens();
		google.revokeRefreshToken(revoked.refresh_token);
		google.revokeAccessToken(revoked.access_token);

		const keyFile = google.addServiceAccount({ clientEmail: 'importer@acme-ingest.iam.gserviceaccount.com' });
		privateKeyLine = keyFile.private_key.split('\n')[1];
		const serviceAccount = (subject: string) => ({ keyFormat: 'json', privateKeyJson: JSON.stringify(keyFile), subject });

		n8n = await N8nInstance.create({
			CONNECTORS_GOOGLE_API_URL: google.origin,
			CONNECTORS_GOOGLE_TOKEN_URL: google.tokenUrl,
			CONNECTORS_NOTION_API_URL: notion.url,
			...dropbox.env,
		});
		await n8n.importCredentials([
			{ ...driveCredential(google, google.issueTokens()), ...googleOk },
			{ ...driveCredential(google, revoked), ...googleRevoked },
			{ ...notionTokenOk, data: { apiKey: notion.token } },
			{ ...notionTokenBad, data: { apiKey: 'ntn_not_a_real_token' } },
			{
				...notionOAuth,
				data: {
					clientId: notion.clientId,
					clientSecret: notion.clientSecret,
					oauthTokenData: { access_token: notion.issueToken(), token_type: 'bearer', workspace_id: 'w' },
				},
			},
			{ ...dropboxCredential(dropbox, dropbox.issueTokens()), ...dropboxOk },
			{ ...serviceAccountOk, data: serviceAccount(google.user.emailAddress) },
			{ ...serviceAccountOutsider, data: serviceAccount('mallory@elsewhere.test') },
		]);
		const baseUrl = await n8n.start({
			CREDENTIALS_OVERWRITE_DATA: JSON.stringify({ googleDriveConnectorOAuth2Api: { accessTokenUrl: google.tokenUrl } }),
		});
		rest = await N8nRest.asOwner(baseUrl);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
		await notion?.close();
		await dropbox?.close();
	});

	it('passes for a connected Google account, by calling Drive about', async () => {
		google.resetRequestLog();
		await expect(rest.testCredential(googleOk)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		expect(google.driveRequests().map((r) => r.path)).toEqual(['/drive/v3/about']);
	});

	it('passes for a service account impersonating a domain user, by minting a token and calling Drive about', async () => {
		google.resetRequestLog();
		await expect(rest.testCredential(serviceAccountOk)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		expect(google.requests.map((r) => r.path)).toEqual(['/token', '/drive/v3/about']);
	});

	it('fails for a service account impersonating a user Google does not know, saying so without the key', async () => {
		const result = await rest.testCredential(serviceAccountOutsider);
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).toMatch(/Invalid email or User ID/);
		expect(JSON.stringify(result)).not.toContain(privateKeyLine);
		expect(n8n.allLogs()).not.toContain(privateKeyLine);
	});

	it('fails for a Google account whose access was revoked', async () => {
		const result = await rest.testCredential(googleRevoked);
		expect(result.status).toBe('Error');
	});

	it('passes for a valid Notion integration secret, by calling users/me with a Notion-Version', async () => {
		await expect(rest.testCredential(notionTokenOk)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		const me = notion.apiRequests().filter((r) => r.path === '/v1/users/me');
		expect(me.length).toBeGreaterThan(0);
		expect(me[0].headers['notion-version']).toBe('2025-09-03');
	});

	it('fails for a wrong Notion integration secret', async () => {
		const result = await rest.testCredential(notionTokenBad);
		expect(result.status).toBe('Error');
	});

	it('passes for a connected Notion public integration', async () => {
		await expect(rest.testCredential(notionOAuth)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
	});

	it('passes for a connected Dropbox account, by calling users/get_current_account as Dropbox accepts it', async () => {
		await expect(rest.testCredential(dropboxOk)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		expect(dropbox.calls('users/get_current_account').map((call) => call.status)).toEqual([200]);
		expect(dropbox.internalErrors).toEqual([]);
	});

	it('never logs a secret while testing', () => {
		const logs = n8n.allLogs();
		expect(logs).not.toContain(notion.token);
		expect(logs).not.toContain(notion.clientSecret);
		expect(logs).not.toContain(google.clientSecret);
		expect(logs).not.toContain(dropbox.clientSecret);
	});
});
