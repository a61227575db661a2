import type { IHttpRequestOptions } from 'n8n-workflow';

import { GoogleDriveConnectorServiceAccountApi } from '../../../credentials/GoogleDriveConnectorServiceAccountApi.credentials';

const credential = new GoogleDriveConnectorServiceAccountApi();
const field = (name: string) => credential.properties.find((property) => property.name === name);

describe('Google Drive Connector Service Account API credential', () => {
	it('is the type the node names, with the key masked and a user to impersonate', () => {
		expect(credential.name).toBe('googleDriveConnectorServiceAccountApi');
		expect(field('privateKeyJson')?.typeOptions?.password).toBe(true);
		expect(field('privateKey')?.typeOptions?.password).toBe(true);
		expect(field('subject')?.typeOptions?.password).toBeUndefined();
		expect(field('keyFormat')?.default).toBe('json');
	});

	it("is tested by asking Drive's about who it speaks as", () => {
		expect(credential.test.request).toMatchObject({ url: '/drive/v3/about', qs: { fields: 'user(emailAddress,displayName)' } });
	});

	it('refuses an unreadable key before any request, saying what to paste and quoting none of it', async () => {
		const secret = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
		const request = { url: 'https://www.googleapis.com/drive/v3/about' } as IHttpRequestOptions;
		const failure = await credential.authenticate({ keyFormat: 'fields', clientEmail: 'a@p.iam.gserviceaccount.com', privateKey: secret }, request).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/cannot be read as a PEM private key — Paste the JSON key file/);
		expect(JSON.stringify({ message: (failure as Error).message, ...(failure as object) })).not.toContain('MIIEvQIBADANBg');
		expect((failure as { code?: unknown }).code).toBeUndefined();
	});
});
