import { NotFoundError } from '../../../lib/errors';
import { googleDriveProvider, type DriveBrowsePage, type DriveBrowseQuery, type DriveConnection } from '../../../lib/providers/googleDrive';
import { FOLDER_MIME } from '../../../lib/providers/googleDrive/client';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { testConnection } from './helpers';

describe('Drive browse against the strict fake Drive', () => {
	let google: FakeGoogle;
	let connection: DriveConnection;
	const browse = async (query: DriveBrowseQuery): Promise<DriveBrowsePage> => await googleDriveProvider.browse(connection, query);

	beforeEach(async () => {
		google = await startFakeGoogle();
		connection = testConnection(google);
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await google.close();
	});

	it('lists the top of My Drive, folders first, with paths, links and sizes', async () => {
		const reports = google.addFolder({ name: 'Reports' });
		google.addFile({ name: 'notes.txt', mimeType: 'text/plain', content: 'hello' });
		google.addFile({ name: 'old.txt', content: 'x' });
		google.trash(google.allFiles().find((f) => f.name === 'old.txt')!.id);

		const page = await browse({ kind: 'myDrive' });

		expect(page.entries.map((e) => [e.type, e.name, e.path])).toEqual([
			['folder', 'Reports', '/My Drive/Reports'],
			['file', 'notes.txt', '/My Drive/notes.txt'],
		]);
		expect(page.entries[0]).toMatchObject({ id: reports.id, mime: FOLDER_MIME, parents: [google.rootFolderId] });
		expect(page.entries[1]).toMatchObject({ size: 5, mime: 'text/plain' });
		expect(page.entries[1].url).toMatch(/^https?:\/\//);
		expect(page.entries[1].modified_at).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('gives a nested folder its full path from My Drive', async () => {
		const a = google.addFolder({ name: 'A' });
		const b = google.addFolder({ name: 'B', parent: a.id });
		google.addFile({ name: 'deep.md', parent: b.id, content: '# deep' });

		const page = await browse({ kind: 'folder', folderId: b.id });

		expect(page.entries.map((e) => e.path)).toEqual(['/My Drive/A/B/deep.md']);
	});

	it('pages through a folder larger than one page without losing or repeating a file', async () => {
		const big = google.addFolder({ name: 'Big' });
		for (let i = 0; i < 250; i++) google.addFile({ name: `f${String(i).padStart(3, '0')}.txt`, parent: big.id, content: 'x' });

		const names: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await browse({ kind: 'folder', folderId: big.id, pageToken: token, pageSize: 100 });
			names.push(...page.entries.map((e) => e.name));
			token = page.nextPageToken;
			pages++;
		} while (token);

		expect(pages).toBe(3);
		expect(new Set(names).size).toBe(250);
	});

	it('lists shared drives and the top of one under /Shared drives', async () => {
		const drive = google.addSharedDrive({ name: 'Engineering' });
		google.addFolder({ name: 'Specs', parent: drive.id });

		const drives = await browse({ kind: 'sharedDrives' });
		const top = await browse({ kind: 'sharedDrive', driveId: drive.id });

		expect(drives.entries).toEqual([
			expect.objectContaining({ type: 'shared_drive', id: drive.id, name: 'Engineering', path: '/Shared drives/Engineering' }),
		]);
		expect(top.entries.map((e) => [e.name, e.path, e.drive_id])).toEqual([['Specs', '/Shared drives/Engineering/Specs', drive.id]]);
	});

	it('says which folder was not found and what to do about it', async () => {
		await expect(browse({ kind: 'folder', folderId: '1DoesNotExist123' })).rejects.toThrow(NotFoundError);
		await expect(browse({ kind: 'folder', folderId: '1DoesNotExist123' })).rejects.toThrow(
			/Folder 1DoesNotExist123 was not found or is not shared/,
		);
	});

	it('refuses to browse into a file', async () => {
		const file = google.addFile({ name: 'a.pdf', content: 'pdf' });
		await expect(browse({ kind: 'folder', folderId: file.id })).rejects.toThrow(/is a file, not a folder/);
	});

	it('asks Drive for explicit fields on every request', async () => {
		const folder = google.addFolder({ name: 'X' });
		await browse({ kind: 'folder', folderId: folder.id });
		await browse({ kind: 'sharedDrives' });
		const requests = google.driveRequests();
		expect(requests.length).toBeGreaterThan(0);
		for (const request of requests) expect(request.query.fields).toBeTruthy();
	});

	it("resolves a folder's path once for all its pages", async () => {
		const a = google.addFolder({ name: 'A' });
		const big = google.addFolder({ name: 'Big', parent: a.id });
		for (let i = 0; i < 3; i++) google.addFile({ name: `f${i}.txt`, parent: big.id, content: 'x' });
		const first = await browse({ kind: 'folder', folderId: big.id, pageSize: 2 });
		google.resetRequestLog();

		const second = await browse({ kind: 'folder', folderId: big.id, pageToken: first.nextPageToken, pageSize: 2 });

		expect(second.entries.map((e) => e.path)).toEqual(['/My Drive/A/Big/f2.txt']);
		expect(google.driveRequests().map((request) => request.path)).toEqual(['/drive/v3/files']);
	});

	it('searches folders by a name part in every drive, quoting what the person typed', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		google.addFolder({ name: "Bob's notes" });
		google.addFolder({ name: "Bob's archive", parent: team.id });
		google.addFolder({ name: 'Bobby' });
		google.addFile({ name: "Bob's file.txt", content: 'not a folder' });

		const found = await browse({ kind: 'searchFolders', text: "Bob's" });

		expect(found.entries.map((e) => [e.type, e.name, e.path])).toEqual([
			['folder', "Bob's archive", null],
			['folder', "Bob's notes", null],
		]);
		expect(found.entries[0].url).toMatch(/^https?:\/\//);
	});

	it('searches shared drives by a name part, ignoring case', async () => {
		google.addSharedDrive({ name: 'Engineering' });
		google.addSharedDrive({ name: 'Sales' });

		const found = await browse({ kind: 'searchSharedDrives', text: 'ENGIN' });
		const all = await browse({ kind: 'searchSharedDrives' });

		expect(found.entries.map((e) => [e.name, e.path])).toEqual([['Engineering', '/Shared drives/Engineering']]);
		expect(all.entries.map((e) => e.name).sort()).toEqual(['Engineering', 'Sales']);
	});
});
