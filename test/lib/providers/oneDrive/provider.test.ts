import type { ConnectorItem } from '../../../../lib/items';
import { oneDriveProvider, parseDriveId, parseFolderRef, shareIdOf } from '../../../../lib/providers/oneDrive';
import { isGraphRetryable } from '../../../../lib/providers/oneDrive/errors';
import { findProvider, providerIds } from '../../../../lib/providers/registry';

const item = (name: string): ConnectorItem => ({
	provider: 'onedrive',
	external_id: '01ABCDEF',
	source_key: 'onedrive:a@b.c:drive:me',
	name,
	path: `/${name}`,
	parents: [],
	mime: null,
	size: 1,
	modified_at: null,
	created_at: null,
	version: null,
	hash: null,
	url: null,
	change: 'upsert',
});

describe('OneDrive provider', () => {
	it('is registered as onedrive, named OneDrive, with files as its items and no workspace rule', () => {
		expect(providerIds()).toContain('onedrive');
		expect(findProvider('onedrive')).toMatchObject({ displayName: 'OneDrive', itemNoun: 'file', workspaceRule: false });
	});

	it('keys sources by account and root, a non-recursive folder and a share link each a source of their own', () => {
		const key = oneDriveProvider.sourceKey;
		expect(key('Alice@Contoso.com', { kind: 'drive', driveId: 'me' })).toBe('onedrive:alice@contoso.com:drive:me');
		expect(key('alice@contoso.com', { kind: 'folder', driveId: 'b!x1', folderId: '01AB', recursive: true })).toBe('onedrive:alice@contoso.com:folder:b!x1:01AB');
		expect(key('alice@contoso.com', { kind: 'folder', driveId: 'b!x1', folderId: '01AB', recursive: false })).toBe('onedrive:alice@contoso.com:folder:b!x1:01AB:direct');
		const link = 'https://contoso.sharepoint.com/:f:/s/Team/Eabc';
		expect(key('alice@contoso.com', { kind: 'folder', driveId: 'me', folderId: link, recursive: true })).toBe(`onedrive:alice@contoso.com:folder:share:${shareIdOf(link)}`);
		expect(() => key(' ', { kind: 'drive', driveId: 'me' })).toThrow(/account is empty/);
	});

	it('encodes a share link as Graph asks: u! and unpadded base64url', () => {
		const encoded = shareIdOf('https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1');
		expect(encoded).toBe('u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjMxMjQ0MTkzOTEyITEyJmF1dGhLZXk9MTIwMTkxOSExMjkyMSEx');
		expect(encoded).not.toMatch(/[=+/]/);
	});

	it('reads drive ids, item ids and links, and refuses anything else with what to paste instead', () => {
		expect(parseDriveId('')).toBe('me');
		expect(parseDriveId(' b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8 ')).toBe('b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8');
		expect(parseDriveId('https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents')).toMatch(/^https:/);
		expect(() => parseDriveId('not a drive')).toThrow(/is not a OneDrive or SharePoint drive id/);
		expect(parseFolderRef('D4648F06C91D9D3D!54927')).toBe('D4648F06C91D9D3D!54927');
		expect(parseFolderRef('root')).toBe('root');
		expect(() => parseFolderRef('a/b')).toThrow(/not a OneDrive folder id or link/);
	});

	it('reads back only a cursor it wrote: a delta link, or none for a drive without a change feed', () => {
		expect(oneDriveProvider.parseCursor({ deltaLink: 'https://graph.microsoft.com/v1.0/drives/x/root/delta?token=1', snapshot: '3' })).toEqual({
			deltaLink: 'https://graph.microsoft.com/v1.0/drives/x/root/delta?token=1',
		});
		expect(oneDriveProvider.parseCursor({ deltaLink: null, snapshot: '4' })).toEqual({ deltaLink: null });
		expect(oneDriveProvider.parseCursor({ pageToken: '12' })).toBeNull();
		expect(oneDriveProvider.parseCursor({ deltaLink: 'javascript:alert(1)' })).toBeNull();
		expect(oneDriveProvider.parseCursor(null)).toBeNull();
	});

	it('offers Office files as they are or as PDF, and other files no choices', () => {
		expect(oneDriveProvider.exportChoices(item('Plan.DOCX'))).toEqual({ kind: 'document', label: 'Word documents', default: 'docx', formats: ['docx', 'pdf'], keepsOriginal: true });
		expect(oneDriveProvider.exportChoices(item('budget.xlsx'))).toMatchObject({ kind: 'spreadsheet', default: 'xlsx' });
		expect(oneDriveProvider.exportChoices(item('deck.ppt'))).toMatchObject({ kind: 'presentation', default: 'ppt' });
		expect(oneDriveProvider.exportChoices(item('report.pdf'))).toBeUndefined();
		expect(oneDriveProvider.exportChoices(item('README'))).toBeUndefined();
		expect(oneDriveProvider.exportTypes.map((choices) => choices.kind)).toEqual(['document', 'spreadsheet', 'presentation']);
	});

	it.each([
		[429, true],
		[503, true],
		[500, true],
		[502, true],
		[504, true],
		[509, true],
		[501, false],
		[400, false],
		[403, false],
		[404, false],
		[410, false],
	])('retries Graph status %p: %p', async (status, retried) => {
		expect(await isGraphRetryable(new Response(null, { status }))).toBe(retried);
	});
});
