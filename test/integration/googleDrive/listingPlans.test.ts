import type { ConnectorItem } from '../../../lib/items';
import type { DriveSource } from '../../../lib/providers/googleDrive';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { listingRuns, testConnection, type DriveListingRuns } from './helpers';

const ACCOUNT = 'alice@example.com';

/** How a first listing reaches Drive: one paged query over a shared drive, batched children queries for a folder. */
describe('Drive first listing plans against the strict fake Drive', () => {
	let google: FakeGoogle;
	let runs: DriveListingRuns;

	beforeEach(async () => {
		google = await startFakeGoogle();
		runs = await listingRuns(google, testConnection(google), ACCOUNT);
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await runs.close();
		await google.close();
	});

	const summary = (items: ConnectorItem[]): string[] => items.map((item) => `${item.change} ${item.path}`);
	const fileLists = () => google.driveRequests().filter((request) => request.path === '/drive/v3/files');

	/** `width` folders under each of `depth` levels below `parent`, one file in each folder. */
	function tree(parent: string, depth: number, width: number, prefix = 'f'): number {
		let folders = 0;
		for (let index = 0; index < width; index++) {
			const folder = google.addFolder({ name: `${prefix}${index}`, parent });
			google.addFile({ name: `${prefix}${index}.txt`, parent: folder.id, content: 'x' });
			folders += 1 + (depth > 1 ? tree(folder.id, depth - 1, width, `${prefix}${index}-`) : 0);
		}
		return folders;
	}

	it('lists a whole shared drive in one paged query over the drive, whatever its folder count, with the parameters Drive requires', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		const folders = tree(team.id, 3, 4);
		const gone = google.addFile({ name: 'gone.txt', parent: team.id, content: 'x' });
		google.trash(gone.id);
		google.addFile({ name: 'mine.txt', content: 'My Drive, not the shared drive' });

		const result = await runs.run({ kind: 'sharedDrive', driveId: team.id });

		expect(folders).toBe(84);
		expect(result.items).toHaveLength(84);
		expect(summary(result.items).slice(0, 3)).toEqual(['upsert /f0/f0-0/f0-0-0/f0-0-0.txt', 'upsert /f0/f0-0/f0-0-1/f0-0-1.txt', 'upsert /f0/f0-0/f0-0-2/f0-0-2.txt']);
		expect(result.items.some((item) => item.name === 'gone.txt' || item.name === 'mine.txt')).toBe(false);
		const lists = fileLists();
		expect(lists).toHaveLength(1);
		expect(lists[0].query).toMatchObject({
			corpora: 'drive',
			driveId: team.id,
			includeItemsFromAllDrives: 'true',
			supportsAllDrives: 'true',
			pageSize: '1000',
			q: 'trashed = false',
		});
		expect(lists[0].query.fields).toMatch(/^nextPageToken,files\(/);
	});

	it('pages through a shared drive of more than 1,000 items', async () => {
		const team = google.addSharedDrive({ name: 'Big' });
		const folder = google.addFolder({ name: 'All', parent: team.id });
		for (let index = 0; index < 1500; index++) google.addFile({ name: `n${index}.txt`, parent: folder.id, content: '' });

		const result = await runs.run({ kind: 'sharedDrive', driveId: team.id });

		expect(result.items).toHaveLength(1500);
		expect(fileLists()).toHaveLength(2);
	});

	it('walks a folder tree level by level, up to 50 folders a query, instead of one query per folder', async () => {
		const root = google.addFolder({ name: 'Root' });
		// 3 levels of 5: 5 + 25 + 125 folders.
		const folders = tree(root.id, 3, 5);
		const source: DriveSource = { kind: 'folder', folderId: root.id, recursive: true };

		const result = await runs.run(source);

		expect(folders).toBe(155);
		expect(result.items).toHaveLength(155);
		expect(summary(result.items)[0]).toBe('upsert /f0/f0-0/f0-0-0/f0-0-0.txt');
		// The root; its 5 folders; their 25; their 125 in batches of 50, 50 and 25.
		expect(fileLists()).toHaveLength(1 + 1 + 1 + 3);
		expect(fileLists().every((request) => request.query.corpora === 'user')).toBe(true);
	});

	it('lists a small folder of a big shared drive by walking it, at a cost of the folder and not of the drive', async () => {
		const team = google.addSharedDrive({ name: 'Big' });
		const bulk = google.addFolder({ name: 'Bulk', parent: team.id });
		for (let index = 0; index < 1200; index++) google.addFile({ name: `b${index}.txt`, parent: bulk.id, content: '' });
		const small = google.addFolder({ name: 'Small', parent: team.id });
		tree(small.id, 2, 2);

		const result = await runs.run({ kind: 'folder', folderId: small.id, recursive: true });

		expect(summary(result.items)).toEqual(['upsert /f0/f0-0/f0-0.txt', 'upsert /f0/f0-1/f0-1.txt', 'upsert /f0/f0.txt', 'upsert /f1/f1-0/f1-0.txt', 'upsert /f1/f1-1/f1-1.txt', 'upsert /f1/f1.txt']);
		expect(fileLists()).toHaveLength(3);
		expect(fileLists().every((request) => request.query.corpora === 'drive' && request.query.driveId === team.id)).toBe(true);
	});

	it('escapes a "/" in a folder name as in a file name, so a path has one reading', async () => {
		const root = google.addFolder({ name: 'Root' });
		const slashed = google.addFolder({ name: 'Q1/Q2', parent: root.id });
		google.addFile({ name: 'a/b.txt', parent: slashed.id, content: 'x' });
		const q1 = google.addFolder({ name: 'Q1', parent: root.id });
		const q2 = google.addFolder({ name: 'Q2', parent: q1.id });
		google.addFile({ name: 'a/b.txt', parent: q2.id, content: 'y' });

		const result = await runs.run({ kind: 'folder', folderId: root.id, recursive: true });

		expect(summary(result.items)).toEqual(['upsert /Q1/Q2/a∕b.txt', 'upsert /Q1∕Q2/a∕b.txt']);
	});

	it('escapes a "/" in a folder name in the paths a change brings too', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		const folder = google.addFolder({ name: 'Plans', parent: team.id });
		await runs.run({ kind: 'sharedDrive', driveId: team.id });

		google.addFile({ name: 'x.txt', parent: folder.id, content: 'x' });
		google.rename(folder.id, 'Plans/2026');
		const result = await runs.run({ kind: 'sharedDrive', driveId: team.id });

		expect(summary(result.items)).toEqual(['upsert /Plans∕2026/x.txt']);
	});
});
