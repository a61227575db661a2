import { ConnectorError } from '../../../lib/errors';
import { queryOf } from '../../../nodes/GoogleDriveConnector/actions/browse.operation';
import { listingOptionsOf, sourceOf } from '../../../nodes/GoogleDriveConnector/actions/listChanges.operation';
import { withPolicyCap } from '../../../nodes/shared/connectorOperations';
import { parameterContext, perItem, rl } from '../support';

const FOLDER_ID = '1AbCdEfGhIjKlMnOpQrStUv';
const DRIVE_ID = '0AbCdEfGhIjKlUk9PVA';

/** The error a malformed parameter fails with, before any request. */
function refusal(read: () => unknown): ConnectorError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('Expected the parameters to be refused');
}

describe('Google Drive Connector parameters', () => {
	describe('listChanges source', () => {
		it('lists a folder and its subfolders by default', () => {
			const ctx = parameterContext({ source: 'folder', sourceFolderId: rl('id', FOLDER_ID), recursive: true });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'folder', folderId: FOLDER_ID, recursive: true });
		});

		it("lists only a folder's own files when Recursive is off", () => {
			const ctx = parameterContext({ source: 'folder', sourceFolderId: rl('id', FOLDER_ID), recursive: false });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'folder', folderId: FOLDER_ID, recursive: false });
		});

		it.each([
			`https://drive.google.com/drive/folders/${FOLDER_ID}`,
			`https://drive.google.com/drive/u/1/folders/${FOLDER_ID}?usp=sharing`,
			`  ${FOLDER_ID}  `,
		])('reads the folder id out of %s', (value) => {
			const ctx = parameterContext({ source: 'folder', sourceFolderId: rl('url', value), recursive: true });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'folder', folderId: FOLDER_ID, recursive: true });
		});

		it("accepts My Drive's root folder by its alias", () => {
			const ctx = parameterContext({ source: 'folder', sourceFolderId: rl('id', 'root'), recursive: true });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'folder', folderId: 'root', recursive: true });
		});

		it('lists a shared drive by id or URL, with no Recursive to read', () => {
			for (const value of [DRIVE_ID, `https://drive.google.com/drive/folders/${DRIVE_ID}`]) {
				const ctx = parameterContext({ source: 'sharedDrive', sourceDriveId: rl('id', value), sourceFolderId: rl('id', FOLDER_ID), recursive: false });
				expect(sourceOf(ctx, 0)).toEqual({ kind: 'sharedDrive', driveId: DRIVE_ID });
			}
		});

		it('lists My Drive without reading a folder or drive parameter', () => {
			const ctx = parameterContext({ source: 'myDrive', sourceFolderId: rl('id', 'not an id') });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'myDrive' });
		});

		it('reads each input item its own folder', () => {
			const ctx = parameterContext({ source: 'folder', sourceFolderId: perItem(rl('id', FOLDER_ID), rl('list', DRIVE_ID)), recursive: perItem(true, false) });
			expect(sourceOf(ctx, 0)).toEqual({ kind: 'folder', folderId: FOLDER_ID, recursive: true });
			expect(sourceOf(ctx, 1)).toEqual({ kind: 'folder', folderId: DRIVE_ID, recursive: false });
		});

		it('refuses a folder id that is not one, saying what a Drive id looks like', () => {
			const error = refusal(() => sourceOf(parameterContext({ source: 'folder', sourceFolderId: rl('id', 'abc'), recursive: true }), 0));
			expect(error.message).toBe('"abc" is not a valid Google Drive folder id');
			expect(error.hint).toMatch(/at least 10 letters, digits, "-" or "_"; a Drive URL works too/);
		});

		it('refuses a link that is not a Drive folder link, showing one that is', () => {
			const error = refusal(() =>
				sourceOf(parameterContext({ source: 'folder', sourceFolderId: rl('url', 'https://example.com/folders/x'), recursive: true }), 0),
			);
			expect(error.message).toBe('"https://example.com/folders/x" is not a Google Drive folder URL');
			expect(error.hint).toMatch(/https:\/\/drive\.google\.com\/drive\/folders\/<id>/);
		});

		it('refuses an empty folder instead of listing something else', () => {
			expect(refusal(() => sourceOf(parameterContext({ source: 'folder', sourceFolderId: rl('list', ''), recursive: true }), 0)).message).toBe(
				'"" is not a valid Google Drive folder id',
			);
		});

		it('names a shared drive as a shared drive when its id is malformed', () => {
			const error = refusal(() => sourceOf(parameterContext({ source: 'sharedDrive', sourceDriveId: rl('id', 'team drive') }), 0));
			expect(error.message).toBe('"team drive" is not a valid Google Drive shared drive id');
		});
	});

	describe('listChanges options', () => {
		it('asks for no filter and no cap, and for permissions, when no option is set', () => {
			expect(listingOptionsOf(parameterContext({}), 0)).toEqual({ includeMimeTypes: [], excludeGlobs: [], maxItems: undefined, permissions: true });
		});

		it('leaves permissions out when Permissions is switched off', () => {
			expect(listingOptionsOf(parameterContext({ listOptions: { permissions: false } }), 0).permissions).toBe(false);
		});

		it('reads include types and exclude globs as trimmed lists, and the cap per run', () => {
			const ctx = parameterContext({
				listOptions: { includeTypes: ' pdf, text/* ,, application/vnd.google-apps.document', excludeGlobs: '/Archive/**, **/*.tmp ', maxItems: 25 },
			});
			expect(listingOptionsOf(ctx, 0)).toEqual({
				includeMimeTypes: ['pdf', 'text/*', 'application/vnd.google-apps.document'],
				excludeGlobs: ['/Archive/**', '**/*.tmp'],
				maxItems: 25,
				permissions: true,
			});
		});

		it.each([0, -3, '', 'lots'])('treats Max Items per Run %p as no cap', (maxItems) => {
			expect(listingOptionsOf(parameterContext({ listOptions: { maxItems } }), 0).maxItems).toBeUndefined();
		});

		it.each([
			[0, null, undefined],
			[50, null, 50],
			[0, 20, 20],
			[50, 20, 20],
			[10, 20, 10],
		])('caps items per run at the smaller of the node (%s, 0 = none) and the policy (%s)', (maxItems, policyMax, expected) => {
			const options = listingOptionsOf(parameterContext({ listOptions: { maxItems, excludeGlobs: '/Archive/**' } }), 0);
			const capped = withPolicyCap(options, { maxFilesPerRun: policyMax });
			expect(capped).toEqual({ ...options, maxItems: expected });
		});
	});

	describe('browse query', () => {
		it('browses the top of My Drive by default', () => {
			expect(queryOf(parameterContext({ location: 'myDrive' }), 0)).toEqual({ kind: 'myDrive' });
			expect(queryOf(parameterContext({}), 0)).toEqual({ kind: 'myDrive' });
		});

		it('lists the shared drives', () => {
			expect(queryOf(parameterContext({ location: 'sharedDrives', folderId: rl('id', 'x') }), 0)).toEqual({ kind: 'sharedDrives' });
		});

		it("lists a folder's children, the folder given by URL", () => {
			const ctx = parameterContext({ location: 'folder', folderId: rl('url', `https://drive.google.com/drive/folders/${FOLDER_ID}`) });
			expect(queryOf(ctx, 0)).toEqual({ kind: 'folder', folderId: FOLDER_ID });
		});

		it('lists the top of a shared drive', () => {
			const ctx = parameterContext({ location: 'sharedDrive', driveId: rl('id', DRIVE_ID), folderId: rl('id', FOLDER_ID) });
			expect(queryOf(ctx, 0)).toEqual({ kind: 'sharedDrive', driveId: DRIVE_ID });
		});

		it('refuses a malformed folder or shared drive before any request', () => {
			expect(refusal(() => queryOf(parameterContext({ location: 'folder', folderId: rl('id', 'short') }), 0)).message).toBe(
				'"short" is not a valid Google Drive folder id',
			);
			expect(refusal(() => queryOf(parameterContext({ location: 'sharedDrive', driveId: rl('id', 'short') }), 0)).message).toBe(
				'"short" is not a valid Google Drive shared drive id',
			);
		});
	});
});
