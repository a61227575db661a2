import type { ConnectorItem } from '../../../lib/items';
import { dropboxProvider, type DropboxSource } from '../../../lib/providers/dropbox';
import { dropboxContentHash } from '../../fakes/dropboxModel';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { folderSource, listingRuns, testConnection, type DropboxListingRuns, type ListingRunOptions } from './helpers';

describe('Dropbox listChanges against the strict fake Dropbox', () => {
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

	const run = async (source: DropboxSource, options?: ListingRunOptions) => await runs.run(source, options);
	const summary = (items: ConnectorItem[]): string[] => items.map((item) => `${item.change} ${item.path}`);

	it('applies each page of list_folder and of its continuation as it arrives, holding no page it has applied', async () => {
		dropbox.addFolder('/Docs');
		for (let index = 0; index < 7; index++) dropbox.addFile(`/Docs/file-${index}.txt`, `v1 ${index}`);
		const source = folderSource('/Docs');
		const sourceKey = dropboxProvider.sourceKey(dropbox.accountId, source);
		const connection = testConnection(dropbox);
		const pagesSeen: number[] = [];
		const onListed = () => pagesSeen.push(dropbox.calls('files/list_folder').length + dropbox.calls('files/list_folder/continue').length);
		const first = await dropboxProvider.listChanges(connection, { source, sourceKey, cursor: null, snapshot: null, filter: () => true, onListed });
		// 8 entries (the folder's own and seven files) in pages of three: each page counted before the next was asked for.
		expect(pagesSeen).toEqual([1, 2, 3]);

		for (let index = 0; index < 5; index++) dropbox.editFile(`/Docs/file-${index}.txt`, `v2 ${index}`);
		pagesSeen.length = 0;
		const before = dropbox.calls('files/list_folder/continue').length;
		const next = await dropboxProvider.listChanges(connection, { source, sourceKey, cursor: first.nextCursor, snapshot: first.nextSnapshot, filter: () => true, onListed });
		expect(pagesSeen.map((count) => count - before - 1)).toEqual([1, 2]);
		expect(next.items).toHaveLength(5);
		// The snapshot it was given is left as it was.
		expect(Object.keys(first.nextSnapshot.files)).toHaveLength(7);
	});

	it('hands back the very snapshot it was given when the continuation brings nothing', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/a.txt', 'a');
		const source = folderSource('/Docs');
		const sourceKey = dropboxProvider.sourceKey(dropbox.accountId, source);
		const connection = testConnection(dropbox);
		const first = await dropboxProvider.listChanges(connection, { source, sourceKey, cursor: null, snapshot: null, filter: () => true });
		const next = await dropboxProvider.listChanges(connection, { source, sourceKey, cursor: first.nextCursor, snapshot: first.nextSnapshot, filter: () => true });
		expect(next.nextSnapshot).toBe(first.nextSnapshot);
		expect(next.items).toEqual([]);
	});

	it('lists a folder tree in full on the first run, page after page, with paths from the source root and every item field', async () => {
		const handbook = dropbox.addFolder('/Handbook');
		const policies = dropbox.addFolder('/Handbook/Policies');
		const leave = dropbox.addFile('/Handbook/Policies/Leave.md', '# Leave');
		dropbox.addFile('/Handbook/intro.txt', 'hello');
		dropbox.addFile('/Handbook/Policies/travel.pdf', '%PDF-1');
		dropbox.addFile('/Handbook/Policies/expenses.csv', 'a,b');
		dropbox.addFile('/outside.txt', 'not in the source');

		const result = await run(folderSource('/Handbook'));

		expect(summary(result.items)).toEqual(['upsert /Policies/Leave.md', 'upsert /Policies/expenses.csv', 'upsert /Policies/travel.pdf', 'upsert /intro.txt']);
		expect(result.items.find((item) => item.external_id === leave.id)).toEqual({
			provider: 'dropbox',
			external_id: leave.id,
			source_key: `dropbox:${dropbox.accountId}:home:/handbook`,
			name: 'Leave.md',
			path: '/Policies/Leave.md',
			parents: [policies.id],
			mime: 'text/markdown',
			size: 7,
			modified_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			created_at: null,
			version: leave.rev,
			hash: dropboxContentHash(Buffer.from('# Leave')),
			url: 'https://www.dropbox.com/home/Handbook/Policies?preview=Leave.md',
			change: 'upsert',
			namespace_id: null,
			run_id: expect.any(Number),
		});
		expect(result.items.find((item) => item.name === 'intro.txt')?.parents).toEqual([handbook.id]);
		expect(result.fullListing).toBe(true);
		// 6 entries (the root folder's own, a subfolder, four files) in pages of three.
		expect(dropbox.calls('files/list_folder')).toHaveLength(1);
		expect(dropbox.calls('files/list_folder/continue')).toHaveLength(1);
		expect(dropbox.calls('files/list_folder')[0].body).toEqual({
			path: handbook.id,
			recursive: true,
			include_deleted: false,
			include_non_downloadable_files: true,
			limit: 2000,
		});
		const cursor = JSON.parse((await runs.store.cursors.committed(result.items[0].source_key)) ?? 'null') as Record<string, unknown>;
		expect(cursor).toEqual({ cursor: expect.any(String), snapshot: String(result.runId) });
	});

	it('costs one request and emits nothing when the source has not changed', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/a.txt', 'a');
		await run(folderSource('/Docs'));

		const second = await run(folderSource('/Docs'));

		expect(second.items).toEqual([]);
		expect(second.requests).toBe(1);
		expect(dropbox.requests.map((request) => request.path)).toEqual(['/2/files/list_folder/continue']);
	});

	it('turns an edit, a rename, moves in and out, a deletion and a folder rename into upserts and deletions across runs', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Docs/Specs');
		dropbox.addFolder('/Elsewhere');
		const edited = dropbox.addFile('/Docs/edit.md', 'v1');
		const renamed = dropbox.addFile('/Docs/old name.txt', 'r');
		const leaving = dropbox.addFile('/Docs/leaving.txt', 'l');
		const doomed = dropbox.addFile('/Docs/doomed.txt', 'd');
		const arriving = dropbox.addFile('/Elsewhere/arriving.txt', 'a');
		const api = dropbox.addFile('/Docs/Specs/api.md', '# api');
		const first = await run(folderSource('/Docs'));
		expect(first.items).toHaveLength(5);

		dropbox.editFile('/Docs/edit.md', 'v2');
		dropbox.move('/Docs/old name.txt', '/Docs/new name.txt');
		const second = await run(folderSource('/Docs'));
		expect(summary(second.items)).toEqual(['upsert /edit.md', 'upsert /new name.txt']);
		expect(second.items.map((item) => item.external_id)).toEqual([edited.id, renamed.id]);
		expect(second.items[0].hash).toBe(dropboxContentHash(Buffer.from('v2')));

		dropbox.move('/Elsewhere/arriving.txt', '/Docs/arriving.txt');
		dropbox.move('/Docs/leaving.txt', '/Elsewhere/leaving.txt');
		dropbox.remove('/Docs/doomed.txt');
		const third = await run(folderSource('/Docs'));
		expect(summary(third.items)).toEqual(['upsert /arriving.txt', 'deleted /doomed.txt', 'deleted /leaving.txt']);
		expect(third.items.map((item) => item.external_id)).toEqual([arriving.id, doomed.id, leaving.id]);

		dropbox.move('/Docs/Specs', '/Docs/Specifications');
		const fourth = await run(folderSource('/Docs'));
		expect(summary(fourth.items)).toEqual(['upsert /Specifications/api.md']);
		expect(fourth.items[0].external_id).toBe(api.id);

		dropbox.remove('/Docs/Specifications');
		const fifth = await run(folderSource('/Docs'));
		expect(summary(fifth.items)).toEqual(['deleted /Specifications/api.md']);
		expect(fifth.items[0]).toMatchObject({ provider: 'dropbox', external_id: api.id, change: 'deleted', mime: 'text/markdown' });
	});

	it('follows the source folder when it is renamed: same files, same relative paths, changes still seen', async () => {
		dropbox.addFolder('/Projects');
		dropbox.addFolder('/Projects/Specs');
		const api = dropbox.addFile('/Projects/Specs/api.md', '# api');
		await run(folderSource('/Projects'));
		dropbox.move('/Projects', '/Archive 2025');
		dropbox.editFile('/Archive 2025/Specs/api.md', '# api v2');

		const result = await run(folderSource('/Projects'));

		expect(summary(result.items)).toEqual(['upsert /Specs/api.md']);
		expect(result.items[0]).toMatchObject({ external_id: api.id, hash: dropboxContentHash(Buffer.from('# api v2')) });
		expect(dropbox.calls('files/get_metadata').map((call) => call.body)).toEqual([{ path: expect.stringMatching(/^id:/) }]);
	});

	it('lists only the direct children of a non-recursive folder, then and later', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Docs/Sub');
		dropbox.addFile('/Docs/here.txt', 'a');
		dropbox.addFile('/Docs/Sub/below.txt', 'b');
		const source = folderSource('/Docs', { recursive: false });

		const first = await run(source);
		dropbox.addFile('/Docs/Sub/new-below.txt', 'c');
		dropbox.addFile('/Docs/new-here.txt', 'd');
		const second = await run(source);

		expect(summary(first.items)).toEqual(['upsert /here.txt']);
		expect(summary(second.items)).toEqual(['upsert /new-here.txt']);
		expect(dropboxProvider.sourceKey(dropbox.accountId, source)).not.toBe(dropboxProvider.sourceKey(dropbox.accountId, folderSource('/Docs')));
	});

	it('lists the whole Dropbox from its root', async () => {
		dropbox.addFolder('/A');
		dropbox.addFile('/A/one.txt', '1');
		dropbox.addFile('/two.txt', '2');

		const result = await run(folderSource(''));

		expect(summary(result.items)).toEqual(['upsert /A/one.txt', 'upsert /two.txt']);
		expect(dropbox.calls('files/get_metadata')).toEqual([]);
	});

	it('lists the folder in full again with a warning when Dropbox resets the cursor, deleting what went meanwhile', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/kept.txt', 'k');
		dropbox.addFile('/Docs/gone.txt', 'g');
		await run(folderSource('/Docs'));
		dropbox.remove('/Docs/gone.txt');
		dropbox.addFile('/Docs/new.txt', 'n');
		dropbox.resetCursors();

		const result = await run(folderSource('/Docs'), { commit: false });

		expect(summary(result.items)).toEqual(['deleted /gone.txt', 'upsert /kept.txt', 'upsert /new.txt']);
		expect(result.fullListing).toBe(true);
		expect(result.warnings).toEqual([expect.stringContaining('Dropbox reset the change cursor')]);
		const checked = await runs.store.items.check(result.items);
		expect(checked.map((entry) => `${entry.change} ${entry.item.path}`)).toEqual(['deleted /gone.txt', 'unchanged /kept.txt', 'new /new.txt']);
	});

	it('leaves out excluded paths and types not included, and reports a file leaving the filters as a deletion', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Docs/Archive');
		dropbox.addFile('/Docs/a.pdf', '%PDF');
		dropbox.addFile('/Docs/b.md', '# b');
		dropbox.addFile('/Docs/c.png', 'png');
		dropbox.addFile('/Docs/Archive/old.pdf', '%PDF');
		const options = { includeMimeTypes: ['pdf', 'text/*'], excludeGlobs: ['/Archive/**'] };

		const first = await run(folderSource('/Docs'), { options });
		dropbox.move('/Docs/a.pdf', '/Docs/Archive/a.pdf');
		const second = await run(folderSource('/Docs'), { options });

		expect(summary(first.items)).toEqual(['upsert /a.pdf', 'upsert /b.md']);
		expect(summary(second.items)).toEqual(['deleted /a.pdf']);
	});

	it('hands out the rest of a capped listing on the next runs, dropping and repeating nothing', async () => {
		dropbox.addFolder('/Docs');
		for (const name of ['a', 'b', 'c', 'd', 'e']) dropbox.addFile(`/Docs/${name}.txt`, name);
		const options = { maxItems: 2 };

		const results = [await run(folderSource('/Docs'), { options }), await run(folderSource('/Docs'), { options }), await run(folderSource('/Docs'), { options })];

		expect(results.map((result) => summary(result.items))).toEqual([
			['upsert /a.txt', 'upsert /b.txt'],
			['upsert /c.txt', 'upsert /d.txt'],
			['upsert /e.txt'],
		]);
		expect(results.map((result) => result.hasMore)).toEqual([true, true, false]);
	});

	it('lists the same changes again when the previous run was not committed', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/a.txt', 'a');
		await run(folderSource('/Docs'));
		dropbox.editFile('/Docs/a.txt', 'a2');

		const uncommitted = await run(folderSource('/Docs'), { commit: false });
		const again = await run(folderSource('/Docs'));

		expect(summary(uncommitted.items)).toEqual(['upsert /a.txt']);
		expect(summary(again.items)).toEqual(['upsert /a.txt']);
	});

	it('lists a team folder of the team space with the namespace as Dropbox-API-Path-Root on every request', async () => {
		const team = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
		const teamRuns = await listingRuns(team, testConnection(team));
		try {
			team.addTeamFolder('Handbook');
			team.addFile('/Handbook/leave.md', '# Leave');
			team.addFile('/Alice Smith/mine.txt', 'not in the team folder');
			const source = folderSource('/Handbook', { namespaceId: team.rootNamespaceId });

			const first = await teamRuns.run(source);
			team.addFile('/Handbook/travel.md', '# Travel');
			const second = await teamRuns.run(source);

			expect(summary(first.items)).toEqual(['upsert /leave.md']);
			expect(first.items[0]).toMatchObject({ namespace_id: team.rootNamespaceId, source_key: `dropbox:${team.accountId}:${team.rootNamespaceId}:/handbook` });
			expect(summary(second.items)).toEqual(['upsert /travel.md']);
			const pathRoot = JSON.stringify({ '.tag': 'namespace_id', namespace_id: team.rootNamespaceId });
			expect(team.requests.map((request) => request.headers['dropbox-api-path-root'])).toEqual([pathRoot]);
			expect(team.internalErrors).toEqual([]);
		} finally {
			await teamRuns.close();
			await team.close();
		}
	});

	it('resolves a shared link to its folder, and refuses one whose folder is not in the account', async () => {
		dropbox.addFolder('/Shared');
		dropbox.addFile('/Shared/deck.pdf', '%PDF');
		const link = dropbox.createSharedLink('/Shared');

		const result = await run(folderSource('', { sharedLink: link }));

		expect(summary(result.items)).toEqual(['upsert /deck.pdf']);
		expect(dropbox.calls('sharing/get_shared_link_metadata')).toHaveLength(1);
		await expect(run(folderSource('', { sharedLink: 'https://www.dropbox.com/scl/fo/unknown/x?rlkey=1' }))).rejects.toMatchObject({ code: 'not_found' });
	});

	it('fails with what to do next for a folder that does not exist or is a file', async () => {
		dropbox.addFile('/file.txt', 'x');

		await expect(run(folderSource('/Nowhere'))).rejects.toThrow('Dropbox folder /Nowhere was not found or the connected account cannot open it');
		await expect(run(folderSource('/file.txt'))).rejects.toMatchObject({ code: 'invalid_input', message: '/file.txt is a Dropbox file, not a folder' });
	});
});
