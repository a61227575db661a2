import type { ConnectorItem } from '../../../lib/items';
import { dropboxProvider, type DropboxConnection } from '../../../lib/providers/dropbox';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { testConnection } from './helpers';

/** Only the id (and the namespace) of what Export hands over is read; the rest is the workflow's, and ignored. */
const given = (externalId: string, extra: Partial<ConnectorItem> = {}): ConnectorItem => ({
	provider: 'dropbox',
	external_id: externalId,
	source_key: 'dropbox:somebody:folder:/',
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

describe('Dropbox describes a file by id for Export IDs Directly, against the strict fake Dropbox', () => {
	let dropbox: FakeDropbox;
	let connection: DropboxConnection;

	beforeEach(async () => {
		dropbox = await startFakeDropbox();
		connection = testConnection(dropbox);
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await dropbox.close();
	});

	it('gives the name, type, size, revision and the path from the root of the space, as Dropbox has them', async () => {
		dropbox.addFolder('/HR');
		dropbox.addFolder('/HR/Pay');
		const file = dropbox.addFile('/HR/Pay/Salaries 2026.xlsx', 'secret');
		const described = await dropboxProvider.describeItem(connection, given(file.id));
		expect(described).toMatchObject({
			external_id: file.id,
			name: 'Salaries 2026.xlsx',
			path: '/HR/Pay/Salaries 2026.xlsx',
			mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			size: 6,
			version: file.rev,
			namespace_id: null,
		});
	});

	it('describes nothing for an id Dropbox does not know, or for a folder', async () => {
		const folder = dropbox.addFolder('/HR');
		expect(await dropboxProvider.describeItem(connection, given('id:doesnotexist0'))).toBeNull();
		expect(await dropboxProvider.describeItem(connection, given(folder.id))).toBeNull();
	});
});
