import type { ConnectorItem } from '../../../lib/items';
import { oneDriveProvider, type OneDriveConnection } from '../../../lib/providers/oneDrive';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { testConnection } from './helpers';

/** Only the id (and the drive) of what Export hands over is read; the rest is the workflow's, and ignored. */
const given = (externalId: string, extra: Partial<ConnectorItem> = {}): ConnectorItem => ({
	provider: 'onedrive',
	external_id: externalId,
	source_key: 'onedrive:somebody:me:root',
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

describe('OneDrive describes a file by id for Export IDs Directly, against the strict fake Microsoft Graph', () => {
	let graph: FakeGraph;
	let connection: OneDriveConnection;

	beforeEach(async () => {
		graph = await startFakeGraph();
		connection = testConnection(graph);
	});

	afterEach(async () => {
		expect(graph.internalErrors).toEqual([]);
		await graph.close();
	});

	it('gives the name, type, size, eTag and the path from the root of the drive, as Graph has them', async () => {
		const hr = graph.addFolder({ name: 'HR' });
		const pay = graph.addFolder({ name: 'Pay & Bonus', parent: hr.id });
		const file = graph.addFile({ name: 'salaries.pdf', parent: pay.id, content: 'secret', mimeType: 'application/pdf' });
		const described = await oneDriveProvider.describeItem(connection, given(file.id));
		expect(described).toMatchObject({ external_id: file.id, name: 'salaries.pdf', path: '/HR/Pay & Bonus/salaries.pdf', mime: 'application/pdf', size: 6, drive_id: 'me' });
		expect(described?.version).toEqual(expect.any(String));
	});

	it("finds a file of a SharePoint library by the item's drive_id", async () => {
		const { drives } = graph.addSite({ displayName: 'Marketing', libraries: ['Documents'] });
		const file = graph.addFile({ name: 'plan.txt', drive: drives[0].id, content: 'plan' });
		expect(await oneDriveProvider.describeItem(connection, given(file.id))).toBeNull();
		expect(await oneDriveProvider.describeItem(connection, given(file.id, { drive_id: drives[0].id }))).toMatchObject({ path: '/plan.txt', drive_id: drives[0].id });
	});

	it('describes nothing for an id Graph does not know, or for a folder', async () => {
		const folder = graph.addFolder({ name: 'HR' });
		expect(await oneDriveProvider.describeItem(connection, given('01UNKNOWNITEM'))).toBeNull();
		expect(await oneDriveProvider.describeItem(connection, given(folder.id))).toBeNull();
	});
});
