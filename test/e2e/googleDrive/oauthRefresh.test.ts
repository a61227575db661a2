import { randomUUID } from 'node:crypto';

import { startFakeGoogle, type FakeGoogle, type IssuedTokens } from '../../fakes/googleApi';
import { DRIVE_CREDENTIAL, driveCredential, driveCredentials } from '../harness/google';
import { N8nInstance, waitFor } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { N8nRest } from '../harness/rest';
import { linearWorkflow, workflowId } from '../harness/workflows';

const WEBHOOK_PATH = 'connectors-e2e-browse';

/**
 * n8n refreshes OAuth2 tokens itself, after a 401, and saves the new token in
 * its credential store. This runs `n8n start` (the only command that reads
 * CREDENTIALS_OVERWRITE_DATA, which points the credential's token URL at the
 * fake) with a published webhook workflow that browses Drive.
 */
describe('Google Drive Connector with an expired OAuth2 token in a running n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let initial: IssuedTokens;
	let baseUrl: string;
	let firstResponse: Response | undefined;

	async function callWebhook(): Promise<Array<Record<string, unknown>>> {
		const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`);
		expect(response.status).toBe(200);
		return (await response.json()) as Array<Record<string, unknown>>;
	}

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Handbook' });
		google.addFile({ name: 'welcome.md', parent: folder.id, mimeType: 'text/markdown', content: '# Hi' });
		initial = google.issueTokens();

		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		await n8n.importCredentials([driveCredential(google, initial)]);
		const id = workflowId('oauthrefresh');
		await n8n.importWorkflow(
			linearWorkflow(
				id,
				[
					{
						name: 'Browse',
						type: NODE_TYPES.googleDriveConnector,
						parameters: { operation: 'browse', location: 'myDrive', returnAll: true },
						credentials: driveCredentials,
						onError: 'continueRegularOutput',
					},
				],
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: randomUUID(),
					parameters: { httpMethod: 'GET', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'allEntries' },
				},
			),
		);
		await n8n.publishWorkflow(id);

		google.expireAccessTokens();
		baseUrl = await n8n.start({
			CREDENTIALS_OVERWRITE_DATA: JSON.stringify({ googleDriveConnectorOAuth2Api: { accessTokenUrl: google.tokenUrl } }),
		});
		// Activation takes a while after start; the first call that is not a 404 ran the workflow.
		await waitFor(
			async () => {
				const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`);
				if (response.status === 404) return false;
				firstResponse = response;
				return true;
			},
			150_000,
			'the webhook workflow to be activated',
		);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
	});

	it('refreshes the token through the credential token URL and the browse succeeds', async () => {
		expect(firstResponse?.status).toBe(200);
		const items = (await firstResponse!.json()) as Array<Record<string, unknown>>;
		expect(items.map((i) => i.path)).toEqual(['/My Drive/Handbook']);
		expect(google.tokenRefreshCount).toBe(1);
	});

	it('passes the credential test in the editor', async () => {
		const rest = await N8nRest.asOwner(baseUrl);
		const result = await rest.testCredential({ ...DRIVE_CREDENTIAL, type: 'googleDriveConnectorOAuth2Api' });
		expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		const about = google.driveRequests().filter((r) => r.path === '/drive/v3/about');
		expect(about.length).toBeGreaterThan(0);
	});

	it('asks to reconnect the credential when the refresh token was revoked', async () => {
		google.revokeRefreshToken(initial.refresh_token);
		google.expireAccessTokens();
		const [item] = await callWebhook();
		expect(String(item.error)).toMatch(/needs to be reconnected/);
	});

	it('saved the refreshed token in n8n credential store, and never logged a token', async () => {
		await n8n.stop();
		const [stored] = await n8n.exportCredentials();
		const tokenData = (stored.data as { oauthTokenData: { access_token: string; refresh_token: string } }).oauthTokenData;
		expect(tokenData.access_token).not.toBe(initial.access_token);
		expect(tokenData.access_token).toMatch(/\S{16,}/);
		expect(tokenData.refresh_token).toBe(initial.refresh_token);

		const logs = n8n.allLogs();
		expect(logs).toContain('has been renewed');
		for (const secret of [initial.access_token, initial.refresh_token, tokenData.access_token, google.clientSecret]) {
			expect(logs).not.toContain(secret);
		}
	});
});
