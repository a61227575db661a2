import { DriveBrowser } from '../../../lib/providers/googleDrive/browse';
import { createDriveClient, FOLDER_MIME } from '../../../lib/providers/googleDrive/client';
import { NotFoundError } from '../../../lib/errors';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';

function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

describe('DriveBrowser against the strict fake Drive', () => {
	let google: FakeGoogle;
	let browser: DriveBrowser;

	beforeEach(async () => {
		google = await startFakeGoogle();
		const { access_token } = google.issueTokens();
		browser = new DriveBrowser(createDriveClient({ fetch: bearerFetch(access_token), apiUrl: google.origin }));
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

		const page = await browser.listFolder('root');

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

		const page = await browser.listFolder(b.id);

		expect(page.entries.map((e) => e.path)).toEqual(['/My Drive/A/B/deep.md']);
	});

	it('pages through a folder larger than one page without losing or repeating a file', async () => {
		const big = google.addFolder({ name: 'Big' });
		for (let i = 0; i < 250; i++) google.addFile({ name: `f${String(i).padStart(3, '0')}.txt`, parent: big.id, content: 'x' });

		const names: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await browser.listFolder(big.id, token, 100);
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

		const drives = await browser.listSharedDrives();
		const top = await browser.listFolder(drive.id);

		expect(drives.entries).toEqual([
			expect.objectContaining({ type: 'shared_drive', id: drive.id, name: 'Engineering', path: '/Shared drives/Engineering' }),
		]);
		expect(top.entries.map((e) => [e.name, e.path, e.drive_id])).toEqual([['Specs', '/Shared drives/Engineering/Specs', drive.id]]);
	});

	it('says which folder was not found and what to do about it', async () => {
		await expect(browser.listFolder('1DoesNotExist123')).rejects.toThrow(NotFoundError);
		await expect(browser.listFolder('1DoesNotExist123')).rejects.toThrow(
			/Folder 1DoesNotExist123 was not found or is not shared/,
		);
	});

	it('refuses to browse into a file', async () => {
		const file = google.addFile({ name: 'a.pdf', content: 'pdf' });
		await expect(browser.listFolder(file.id)).rejects.toThrow(/is a file, not a folder/);
	});

	it('asks Drive for explicit fields on every request', async () => {
		const folder = google.addFolder({ name: 'X' });
		await browser.listFolder(folder.id);
		await browser.listSharedDrives();
		const requests = google.driveRequests();
		expect(requests.length).toBeGreaterThan(0);
		for (const request of requests) expect(request.query.fields).toBeTruthy();
	});
});
