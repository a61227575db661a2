import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { GoogleDriveConnectorServiceAccountApi } from '../../../credentials/GoogleDriveConnectorServiceAccountApi.credentials';
import { assertAccountAllowed, defaultPolicy } from '../../../lib/policy';
import { connectDrive, googleDriveProvider } from '../../../lib/providers/googleDrive';
import { forgetServiceAccountTokens } from '../../../lib/providers/googleDrive/serviceAccount';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import type { ServiceAccountKeyFile } from '../../fakes/serviceAccounts';
import { listingRuns } from './helpers';

const credential = new GoogleDriveConnectorServiceAccountApi();

/** n8n's signing of a request with the credential: its `authenticate`, then the request as it was signed. */
function signedBy(fields: ICredentialDataDecryptedObject): typeof fetch {
	return async (input, init) => {
		const request = new Request(input, init);
		const signed = await credential.authenticate(fields, { url: request.url, method: 'GET', headers: Object.fromEntries(request.headers) } as IHttpRequestOptions);
		return await fetch(request.url, { method: request.method, headers: signed.headers as Record<string, string>, signal: init?.signal });
	};
}

describe('Drive through a service account with domain-wide delegation', () => {
	let google: FakeGoogle;
	let keyFile: ServiceAccountKeyFile;
	let previousTokenUrl: string | undefined;

	beforeAll(async () => {
		google = await startFakeGoogle({ user: { emailAddress: 'alice@example.com' } });
		keyFile = google.addServiceAccount({ clientEmail: 'importer@acme-ingest.iam.gserviceaccount.com' });
		previousTokenUrl = process.env.CONNECTORS_GOOGLE_TOKEN_URL;
		process.env.CONNECTORS_GOOGLE_TOKEN_URL = google.tokenUrl;
	});
	afterAll(async () => {
		if (previousTokenUrl === undefined) delete process.env.CONNECTORS_GOOGLE_TOKEN_URL;
		else process.env.CONNECTORS_GOOGLE_TOKEN_URL = previousTokenUrl;
		await google.close();
	});
	beforeEach(() => forgetServiceAccountTokens());
	afterEach(() => expect(google.internalErrors).toEqual([]));

	const connectionAs = (fields: ICredentialDataDecryptedObject) => connectDrive({ fetch: signedBy(fields), credentialKey: `googleDriveConnectorServiceAccountApi:${randomUUID()}` }, google.origin);
	const asAlice = () => ({ keyFormat: 'json', privateKeyJson: JSON.stringify(keyFile), subject: 'alice@example.com' });

	it('lists and exports a folder as the impersonated user, minting one token for every request', async () => {
		const folder = google.addFolder({ name: 'Finance' });
		google.addFile({ name: 'plan.txt', parent: folder.id, mimeType: 'text/plain', content: 'plan' });
		google.addSpreadsheet({ name: 'Budget', parent: folder.id, sheets: [{ title: 'One', rows: [['1']] }, { title: 'Two', rows: [['2']] }] });
		const connection = connectionAs(asAlice());
		const account = await googleDriveProvider.account(connection);
		expect(account).toEqual({ accountId: 'alice@example.com', email: 'alice@example.com' });

		const runs = await listingRuns(google, connection, account.accountId);
		try {
			const listed = await runs.run({ kind: 'folder', folderId: folder.id, recursive: true });
			expect(listed.items.map((item) => item.name).sort()).toEqual(['Budget', 'plan.txt']);
			const budget = listed.items.find((item) => item.name === 'Budget')!;
			const outcome = await googleDriveProvider.exportItem(connection, { item: budget });
			expect(outcome.kind).toBe('content');
		} finally {
			await runs.close();
		}
		expect(google.serviceAccountTokenCount).toBe(1);
	});

	it('checks the account-domain rule against the impersonated user, not the service account', async () => {
		const policy = { ...defaultPolicy(), allowedAccountDomains: ['example.com'] };
		google.addDomainUser('bob@example.com');
		const bob = await googleDriveProvider.account(connectionAs({ ...asAlice(), subject: 'bob@example.com' }));
		expect(() => assertAccountAllowed(policy, 'google_drive', bob)).not.toThrow();
		const itself = await googleDriveProvider.account(connectionAs({ ...asAlice(), subject: '' }));
		expect(itself.email).toBe('importer@acme-ingest.iam.gserviceaccount.com');
		expect(() => assertAccountAllowed(policy, 'google_drive', itself)).toThrow(/importer@acme-ingest\.iam\.gserviceaccount\.com is not in a domain the org policy allows/);
	});

	it('accepts the e-mail and private key of the key file in place of the whole file', async () => {
		const fields = { keyFormat: 'fields', clientEmail: keyFile.client_email, privateKey: keyFile.private_key.replace(/\n/g, '\\n'), subject: 'alice@example.com' };
		expect((await googleDriveProvider.account(connectionAs(fields))).email).toBe('alice@example.com');
	});

	it('fails with what to change when Google refuses the grant, never echoing the key', async () => {
		const outsider = connectionAs({ ...asAlice(), subject: 'mallory@elsewhere.test' });
		const failure = await googleDriveProvider.account(outsider).catch((error: unknown) => error);
		const text = `${(failure as Error).message} ${JSON.stringify(failure)} ${String((failure as { cause?: unknown }).cause ?? '')}`;
		expect(text).toMatch(/impersonating mallory@elsewhere\.test: invalid_grant \(Invalid email or User ID\)/);
		expect(text).toMatch(/existing user of the Google Workspace domain/);
		expect(text).not.toContain(keyFile.private_key.split('\n')[1]);

		const unreadable = await googleDriveProvider.account(connectionAs({ keyFormat: 'json', privateKeyJson: `{${keyFile.private_key}` })).catch((error: unknown) => error);
		expect((unreadable as Error).message).toMatch(/not valid JSON — Paste the JSON key file/);
		expect((unreadable as Error).message).not.toContain(keyFile.private_key.split('\n')[1]);

		const undelegated = google.addServiceAccount({ delegatedScopes: [] });
		const refused = await googleDriveProvider
			.account(connectionAs({ keyFormat: 'json', privateKeyJson: JSON.stringify(undelegated), subject: 'alice@example.com' }))
			.catch((error: unknown) => error);
		expect((refused as Error).message).toMatch(/unauthorized_client.*Admin console/);
		expect((refused as Error).message).not.toContain(undelegated.private_key.split('\n')[1]);
	});
});
