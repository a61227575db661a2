import type { FakeDropbox, IssuedDropboxTokens } from '../../fakes/dropboxApi';
import type { CredentialFixture } from '../harness/n8n';
import { PACKAGE_NAME } from '../harness/paths';

export const DROPBOX_CONNECTOR = `${PACKAGE_NAME}.dropboxConnector`;
export const DROPBOX_CREDENTIAL = { id: 'dropboxCredential01', name: 'Dropbox (fake)' };
export const dropboxCredentials = { dropboxConnectorOAuth2Api: DROPBOX_CREDENTIAL };

/** A connected Dropbox Connector credential, as n8n stores it after "Connect my account" with offline access. */
export function dropboxCredential(dropbox: FakeDropbox, tokens: IssuedDropboxTokens): CredentialFixture {
	return {
		...DROPBOX_CREDENTIAL,
		type: 'dropboxConnectorOAuth2Api',
		data: { clientId: dropbox.clientId, clientSecret: dropbox.clientSecret, oauthTokenData: { ...tokens } },
	};
}
