import type { IExecuteFunctions, INodeCredentials } from 'n8n-workflow';

import { credentialKey } from '../../../nodes/shared/credentials';

const withCredentials = (credentials?: INodeCredentials) =>
	({ getNode: () => ({ name: 'Node', credentials }) }) as unknown as IExecuteFunctions;

describe('credentialKey', () => {
	it("names a credential by its type and id, never by anything secret", () => {
		expect(credentialKey(withCredentials({ googleDriveConnectorOAuth2Api: { id: 'a1', name: 'Alice' } }), 'googleDriveConnectorOAuth2Api')).toBe(
			'googleDriveConnectorOAuth2Api:a1',
		);
	});

	it('tells two credentials of one type apart, and one id under two types', () => {
		const alice = withCredentials({ notionConnectorApi: { id: 'a1', name: 'Shared name' }, notionConnectorOAuth2Api: { id: 'a1', name: 'x' } });
		const bob = withCredentials({ notionConnectorApi: { id: 'b2', name: 'Shared name' } });
		expect(credentialKey(alice, 'notionConnectorApi')).not.toBe(credentialKey(bob, 'notionConnectorApi'));
		expect(credentialKey(alice, 'notionConnectorApi')).not.toBe(credentialKey(alice, 'notionConnectorOAuth2Api'));
	});

	it('falls back to the name for a credential without an id (older workflows), then to "unnamed"', () => {
		expect(credentialKey(withCredentials({ notionConnectorApi: { id: null, name: 'Wiki' } }), 'notionConnectorApi')).toBe('notionConnectorApi:Wiki');
		expect(credentialKey(withCredentials({ notionConnectorApi: { id: 'n1', name: 'Wiki' } }), 'notionConnectorOAuth2Api')).toBe('notionConnectorOAuth2Api:unnamed');
		expect(credentialKey(withCredentials(undefined), 'notionConnectorApi')).toBe('notionConnectorApi:unnamed');
	});
});
