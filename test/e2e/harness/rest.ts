import { CREDENTIAL_BLANKING_VALUE } from 'n8n-workflow';

/** n8n's internal REST API as the editor uses it, signed in as the instance owner. */
export class N8nRest {
	private constructor(
		readonly baseUrl: string,
		/** The owner's `n8n-auth` cookie, for another process to reuse the session. */
		readonly cookie: string,
	) {}

	/** A session signed in elsewhere (owner setup works once per instance). */
	static withCookie(baseUrl: string, cookie: string): N8nRest {
		return new N8nRest(baseUrl, cookie);
	}

	static async asOwner(baseUrl: string): Promise<N8nRest> {
		const response = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: 'owner@example.com',
				firstName: 'Test',
				lastName: 'Owner',
				password: 'Connectors-e2e-1',
			}),
		});
		if (response.status !== 200) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		const cookie = (response.headers.getSetCookie?.() ?? [])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
		return new N8nRest(baseUrl, cookie);
	}

	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'connectors-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/**
	 * Runs a stored credential's test through n8n's credential tester. The
	 * stored data is loaded as the editor loads it; a connected OAuth2 token
	 * comes back only as `true`, so it is sent as n8n's redaction placeholder,
	 * which the tester swaps for the stored token.
	 */
	async testCredential(credential: { id: string; name: string; type: string }): Promise<{ status: string; message: string }> {
		const stored = await this.request<{ data: Record<string, unknown> }>('GET', `/credentials/${credential.id}?includeData=true`);
		const data = { ...stored.data };
		if (data.oauthTokenData) data.oauthTokenData = CREDENTIAL_BLANKING_VALUE;
		return await this.request('POST', '/credentials/test', { credentials: { ...credential, data } });
	}
}
