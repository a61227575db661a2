import { oneDriveProvider, type OneDriveConnection } from '../../../lib/providers/oneDrive';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { listingRuns, testConnection } from './helpers';

describe('OneDrive browse against the strict fake Microsoft Graph', () => {
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

	it('lists the top of My OneDrive and a folder page by page, following @odata.nextLink', async () => {
		const folder = graph.addFolder({ name: 'Big' });
		for (let index = 0; index < 5; index++) graph.addFile({ name: `f${index}.txt`, parent: folder.id, content: `${index}` });
		const top = await oneDriveProvider.browse(connection, { kind: 'myDrive' });
		expect(top.entries.map((entry) => [entry.name, entry.type, entry.path])).toEqual([['Big', 'folder', '/Big']]);

		const first = await oneDriveProvider.browse(connection, { kind: 'folder', driveId: 'me', folderId: folder.id, pageSize: 2 });
		expect(first.entries.map((entry) => entry.path)).toEqual(['/Big/f0.txt', '/Big/f1.txt']);
		const second = await oneDriveProvider.browse(connection, { kind: 'folder', driveId: 'me', folderId: folder.id, pageSize: 2, pageToken: first.nextPageToken });
		expect(second.entries.map((entry) => entry.name)).toEqual(['f2.txt', 'f3.txt']);
		for (const request of graph.graphRequests()) expect(request.query.$select).toEqual(expect.any(String));
	});

	it('finds sites, their libraries, and folders of a library given by its address', async () => {
		const { site, drives } = graph.addSite({ displayName: 'Marketing', libraries: ['Documents', 'Brand'] });
		const campaigns = graph.addFolder({ name: 'Campaigns', drive: drives[1].id });
		graph.addFile({ name: 'logo.png', parent: campaigns.id, content: 'png' });

		const sites = await oneDriveProvider.browse(connection, { kind: 'sites', text: 'market' });
		expect(sites.entries.map((entry) => [entry.type, entry.name, entry.id])).toEqual([['site', 'Marketing', site.id]]);
		const libraries = await oneDriveProvider.browse(connection, { kind: 'siteDrives', siteId: site.id });
		expect(libraries.entries.map((entry) => entry.name)).toEqual(['Documents', 'Brand']);
		const folders = await oneDriveProvider.browse(connection, { kind: 'searchFolders', driveId: drives[1].webUrl, text: 'camp' });
		expect(folders.entries.map((entry) => [entry.name, entry.drive_id])).toEqual([['Campaigns', drives[1].id]]);
	});

	it("says what to do when a folder is unknown or a link leads nowhere", async () => {
		await expect(oneDriveProvider.browse(connection, { kind: 'folder', driveId: 'me', folderId: '01NOTHEREATALL00000000000000000000' })).rejects.toThrow(/was not found or is not shared/);
		await expect(oneDriveProvider.browse(connection, { kind: 'share', url: 'https://contoso.sharepoint.com/:f:/g/nothing' })).rejects.toThrow(/does not lead to an item/);
	});

	it('lists a whole library named by its address, keyed by that address', async () => {
		const { drives } = graph.addSite({ displayName: 'Legal', libraries: ['Contracts'] });
		graph.addFile({ name: 'nda.docx', drive: drives[0].id, content: 'PK' });
		const runs = await listingRuns(graph, connection, 'alice@contoso.com');
		try {
			const result = await runs.run({ kind: 'drive', driveId: drives[0].webUrl });
			expect(result.items.map((item) => [item.path, item.drive_id])).toEqual([['/nda.docx', drives[0].id]]);
			expect(result.items[0].source_key).toBe(`onedrive:alice@contoso.com:drive:${drives[0].webUrl}`);
		} finally {
			await runs.close();
		}
	});
});
