import type { ConnectorItem } from '../../../lib/items';
import { googleDriveProvider, type DriveConnection } from '../../../lib/providers/googleDrive';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { testConnection } from './helpers';

/** Only the id of what Export hands over is read; the rest is the workflow's, and ignored. */
const given = (externalId: string, extra: Partial<ConnectorItem> = {}): ConnectorItem => ({
	provider: 'google_drive',
	external_id: externalId,
	source_key: 'google_drive:somebody@example.com:my_drive',
	name: 'ok.pdf',
	path: '/ok.pdf',
	parents: [],
	mime: 'application/pdf',
	size: 1,
	modified_at: null,
	created_at: null,
	version: null,
	hash: null,
	url: null,
	change: 'upsert',
	...extra,
});

describe('Google Drive describes a file by id for Export IDs Directly, against the strict fake Drive', () => {
	let google: FakeGoogle;
	let connection: DriveConnection;

	beforeEach(async () => {
		google = await startFakeGoogle();
		connection = testConnection(google);
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await google.close();
	});

	it('gives the name, type, size, version and the path from the root of My Drive, folder names escaped as in listings', async () => {
		const hr = google.addFolder({ name: 'HR' });
		const pay = google.addFolder({ name: 'Pay/Bonus', parent: hr.id });
		const file = google.addFile({ name: 'salaries.pdf', parent: pay.id, mimeType: 'application/pdf', content: 'secret' });
		const described = await googleDriveProvider.describeItem(connection, given(file.id));
		expect(described).toMatchObject({ external_id: file.id, name: 'salaries.pdf', path: '/HR/Pay∕Bonus/salaries.pdf', mime: 'application/pdf', size: 6, parents: [pay.id] });
		expect(described?.version).toEqual(expect.any(String));
	});

	it('gives the path from the root of a shared drive, without the drive name', async () => {
		const drive = google.addSharedDrive({ name: 'Finance' });
		const reports = google.addFolder({ name: 'Reports', parent: drive.id });
		const file = google.addFile({ name: 'q3.txt', parent: reports.id, mimeType: 'text/plain', content: 'q3' });
		expect(await googleDriveProvider.describeItem(connection, given(file.id))).toMatchObject({ path: '/Reports/q3.txt' });
	});

	it('describes nothing for an unknown id, a trashed file or a folder', async () => {
		const folder = google.addFolder({ name: 'HR' });
		const trashed = google.addFile({ name: 'old.txt', content: 'x' });
		google.trash(trashed.id);
		expect(await googleDriveProvider.describeItem(connection, given('1DoesNotExist'))).toBeNull();
		expect(await googleDriveProvider.describeItem(connection, given(trashed.id))).toBeNull();
		expect(await googleDriveProvider.describeItem(connection, given(folder.id))).toBeNull();
	});
});
