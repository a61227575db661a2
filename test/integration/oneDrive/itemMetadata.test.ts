import type { OneDriveSource } from '../../../lib/providers/oneDrive';
import type { CheckedItem } from '../../../lib/store';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { listingRuns, testConnection, type OneDriveListingRuns } from './helpers';

const ACCOUNT = 'alice@contoso.com';

describe('OneDrive item metadata against the strict fake Graph: renamed folders, files moved back', () => {
	let graph: FakeGraph;
	let runs: OneDriveListingRuns;

	beforeEach(async () => {
		graph = await startFakeGraph();
		runs = await listingRuns(graph, testConnection(graph), ACCOUNT);
	});

	afterEach(async () => {
		expect(graph.internalErrors).toEqual([]);
		await runs.close();
		await graph.close();
	});

	const folder = (folderId: string): OneDriveSource => ({ kind: 'folder', driveId: 'me', folderId, recursive: true });

	async function checkedRun(source: OneDriveSource): Promise<CheckedItem[]> {
		const listed = await runs.run(source, { commit: false });
		const checked = await runs.store.items.check(listed.items);
		await runs.store.items.commit(checked.filter((result) => result.change !== 'unchanged').map((result) => result.item));
		return checked;
	}

	const routes = (checked: CheckedItem[]) => checked.map((result) => [result.item.path, result.change, result.reason, result.changedFields ?? null]);

	it('routes the files under a renamed folder and a renamed file to Changed for their metadata alone (same quickXorHash)', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const docs = graph.addFolder({ name: 'Docs', parent: root.id });
		graph.addFile({ name: 'b.txt', parent: docs.id, content: 'b' });
		const a = graph.addFile({ name: 'a.txt', parent: root.id, content: 'a' });
		await checkedRun(folder(root.id));

		graph.rename(docs.id, 'Documents');
		graph.rename(a.id, 'a-final.txt');
		expect(routes(await checkedRun(folder(root.id)))).toEqual([
			['/Documents/b.txt', 'changed', 'metadata_changed', ['path']],
			['/a-final.txt', 'changed', 'metadata_changed', ['name', 'path']],
		]);
	});

	it('brings a file moved back into the source as New once its deletion was committed', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const outside = graph.addFolder({ name: 'Elsewhere' });
		const file = graph.addFile({ name: 'a.txt', parent: root.id, content: 'a' });
		await checkedRun(folder(root.id));
		graph.move(file.id, outside.id);
		expect(routes(await checkedRun(folder(root.id)))).toEqual([['/a.txt', 'deleted', 'deleted_upstream', null]]);
		graph.move(file.id, root.id);
		expect(routes(await checkedRun(folder(root.id)))).toEqual([['/a.txt', 'new', 'restored_after_deletion', []]]);
	});
});
