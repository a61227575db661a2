import type { DropboxSource } from '../../../lib/providers/dropbox';
import type { CheckedItem } from '../../../lib/store';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { folderSource, listingRuns, testConnection, type DropboxListingRuns } from './helpers';

describe('Dropbox item metadata against the strict fake Dropbox: renamed folders, files moved back', () => {
	let dropbox: FakeDropbox;
	let runs: DropboxListingRuns;

	beforeEach(async () => {
		dropbox = await startFakeDropbox({ pageSize: 3 });
		runs = await listingRuns(dropbox, testConnection(dropbox));
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await runs.close();
		await dropbox.close();
	});

	async function checkedRun(source: DropboxSource): Promise<CheckedItem[]> {
		const listed = await runs.run(source, { commit: false });
		const checked = await runs.store.items.check(listed.items);
		await runs.store.items.commit(checked.filter((result) => result.change !== 'unchanged').map((result) => result.item));
		return checked;
	}

	const routes = (checked: CheckedItem[]) => checked.map((result) => [result.item.path, result.change, result.reason, result.changedFields ?? null]);

	it('routes the files under a renamed folder to Changed for their path alone (same content hash)', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Docs/Specs');
		dropbox.addFile('/Docs/Specs/api.md', '# api');
		dropbox.addFile('/Docs/top.md', 'top');
		await checkedRun(folderSource('/Docs'));

		dropbox.move('/Docs/Specs', '/Docs/Specifications');
		expect(routes(await checkedRun(folderSource('/Docs')))).toEqual([['/Specifications/api.md', 'changed', 'metadata_changed', ['path']]]);
	});

	it('brings a file moved back into the source as New once its deletion was committed', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Elsewhere');
		dropbox.addFile('/Docs/a.txt', 'a');
		await checkedRun(folderSource('/Docs'));
		dropbox.move('/Docs/a.txt', '/Elsewhere/a.txt');
		expect(routes(await checkedRun(folderSource('/Docs')))).toEqual([['/a.txt', 'deleted', 'deleted_upstream', null]]);
		dropbox.move('/Elsewhere/a.txt', '/Docs/a.txt');
		expect(routes(await checkedRun(folderSource('/Docs')))).toEqual([['/a.txt', 'new', 'restored_after_deletion', []]]);
	});
});
