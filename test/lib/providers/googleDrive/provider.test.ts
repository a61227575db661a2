import type { ConnectorItem } from '../../../../lib/items';
import { googleDriveProvider, type DriveConnection } from '../../../../lib/providers/googleDrive';

const item = (mime: string | null): ConnectorItem => ({
	provider: 'google_drive',
	external_id: '1AbCdEfGhIjK',
	source_key: 'google_drive:alice@example.com:my_drive',
	name: 'Plan',
	path: '/Plan',
	parents: ['root'],
	mime,
	size: null,
	modified_at: null,
	created_at: null,
	version: '1',
	hash: null,
	url: null,
	change: 'upsert',
});

describe('googleDriveProvider', () => {
	it('names itself as items, messages and the policy do', () => {
		expect(googleDriveProvider).toMatchObject({ id: 'google_drive', displayName: 'Google Drive', itemNoun: 'file', workspaceRule: false });
	});

	describe('parseCursor', () => {
		it('reads the page token and leaves out the keys the engine stores beside it', () => {
			expect(googleDriveProvider.parseCursor({ pageToken: '1234', snapshot: '7' })).toEqual({ pageToken: '1234' });
			expect(googleDriveProvider.parseCursor({ pageToken: '1234' })).toEqual({ pageToken: '1234' });
		});

		it.each([null, undefined, '1234', 42, [], {}, { pageToken: 1234 }, { token: '1234' }])('cannot read %j, so a full listing follows', (value) => {
			expect(googleDriveProvider.parseCursor(value)).toBeNull();
		});
	});

	describe('exportChoices', () => {
		it.each([
			['application/vnd.google-apps.document', 'document', 'Google Docs', 'txt', ['txt', 'md', 'html', 'pdf', 'docx', 'odt', 'rtf', 'epub']],
			['application/vnd.google-apps.spreadsheet', 'spreadsheet', 'Google Sheets', 'csv', ['csv', 'tsv', 'pdf', 'xlsx', 'ods']],
			['application/vnd.google-apps.presentation', 'presentation', 'Google Slides', 'pdf', ['pdf', 'pptx', 'odp', 'txt']],
			['application/vnd.google-apps.drawing', 'drawing', 'Google Drawings', 'pdf', ['pdf', 'png', 'jpg', 'svg']],
		])('offers a %s the formats Drive exports it to, with its default', (mime, kind, label, fallback, formats) => {
			expect(googleDriveProvider.exportChoices(item(mime))).toEqual({ kind, label, default: fallback, formats });
		});

		it.each(['application/pdf', 'text/plain', 'application/vnd.google-apps.form', 'application/vnd.google-apps.folder', null])(
			'offers none for %s, which is exported as it is or not at all',
			(mime) => {
				expect(googleDriveProvider.exportChoices(item(mime))).toBeUndefined();
			},
		);
	});

	describe('sourceKey', () => {
		it('keeps the keys earlier releases stored cursors under', () => {
			const key = (source: Parameters<typeof googleDriveProvider.sourceKey>[1]) => googleDriveProvider.sourceKey(' Alice@Example.com ', source);
			expect(key({ kind: 'folder', folderId: '1AbC', recursive: true })).toBe('google_drive:alice@example.com:folder:1AbC');
			expect(key({ kind: 'folder', folderId: '1AbC', recursive: false })).toBe('google_drive:alice@example.com:folder:1AbC:direct');
			expect(key({ kind: 'sharedDrive', driveId: '0AbC' })).toBe('google_drive:alice@example.com:shared_drive:0AbC');
			expect(key({ kind: 'myDrive' })).toBe('google_drive:alice@example.com:my_drive');
		});

		it('refuses an empty account', () => {
			expect(() => googleDriveProvider.sourceKey('', { kind: 'myDrive' })).toThrow(/e-mail is empty/);
		});
	});

	describe('resilience', () => {
		it('gives every credential its own circuit breaker, keyed without the credential itself', () => {
			const alice = googleDriveProvider.resilience.breakerKey('googleDriveConnectorOAuth2Api:cred-alice');
			const bob = googleDriveProvider.resilience.breakerKey('googleDriveConnectorOAuth2Api:cred-bob');

			expect(alice).not.toBe(bob);
			expect(alice).toBe(googleDriveProvider.resilience.breakerKey('googleDriveConnectorOAuth2Api:cred-alice'));
			expect(alice).toMatch(/^google_drive:[0-9a-f]{16}$/);
		});
	});

	describe('account', () => {
		it("is the Drive user's e-mail, asked for by the one field it needs", async () => {
			const asked: unknown[] = [];
			const about = {
				get: async (params: unknown) => {
					asked.push(params);
					return { data: { user: { emailAddress: 'alice@example.com' } } };
				},
			};
			const connection = { drive: { about } } as unknown as DriveConnection;

			expect(await googleDriveProvider.account(connection)).toEqual({ accountId: 'alice@example.com', email: 'alice@example.com' });
			expect(asked).toEqual([{ fields: 'user(emailAddress)' }]);
		});
	});
});
