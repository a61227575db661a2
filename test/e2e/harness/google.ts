import type { FakeGoogle, IssuedTokens } from '../../fakes/googleApi';
import type { CredentialFixture } from './n8n';

export const DRIVE_CREDENTIAL = { id: 'driveCredential01', name: 'Drive (fake)' };

/** A connected Google Drive Connector credential, as n8n stores it after "Sign in with Google". */
export function driveCredential(google: FakeGoogle, tokens: IssuedTokens): CredentialFixture {
	return {
		...DRIVE_CREDENTIAL,
		type: 'googleDriveConnectorOAuth2Api',
		data: {
			clientId: google.clientId,
			clientSecret: google.clientSecret,
			oauthTokenData: { ...tokens },
		},
	};
}

export const driveCredentials = { googleDriveConnectorOAuth2Api: DRIVE_CREDENTIAL };
