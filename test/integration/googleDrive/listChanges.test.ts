import type { ConnectorItem } from '../../../lib/items';
import { googleDriveProvider, type DriveSource } from '../../../lib/providers/googleDrive';
import type { ConnectorStore } from '../../../lib/store';
import type { ListingOptions } from '../../../lib/sync/listing';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { listingRuns, testConnection, type DriveListingRuns, type ListingRunOptions } from './helpers';
import { storedSnapshots } from '../../lib/sync/support';

const ACCOUNT = 'alice@example.com';
const sourceKeyFor = googleDriveProvider.sourceKey;

describe('Drive listChanges against the strict fake Drive', () => {
	let google: FakeGoogle;
	let runs: DriveListingRuns;
	let store: ConnectorStore;

	beforeEach(async () => {
		google = await startFakeGoogle();
		runs = await listingRuns(google, testConnection(google), ACCOUNT);
		store = runs.store;
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await runs.close();
		await google.close();
	});

	/** One listChanges run; with `commit`, the pipeline checks and commits what it listed. */
	const run = async (source: DriveSource, options?: ListingRunOptions) => await runs.run(source, options);

	const summary = (items: ConnectorItem[]): string[] => items.map((item) => `${item.change} ${item.path}`);

	function folderSource(folderId: string, recursive = true): DriveSource {
		return { kind: 'folder', folderId, recursive };
	}

	it('lists every file of a folder tree on the first run, with paths from the source root and every item field', async () => {
		const root = google.addFolder({ name: 'Root' });
		const reports = google.addFolder({ name: 'Reports', parent: root.id });
		const deep = google.addFolder({ name: '2025', parent: reports.id });
		const pdf = google.addFile({ name: 'q3.pdf', parent: reports.id, mimeType: 'application/pdf', content: '%PDF-1' });
		google.addFile({ name: 'notes.md', parent: deep.id, mimeType: 'text/markdown', content: '# hi' });
		google.addFile({ name: 'top.txt', parent: root.id, mimeType: 'text/plain', content: 'top' });
		google.addFile({ name: 'outside.txt', mimeType: 'text/plain', content: 'not in the source' });
		const old = google.addFile({ name: 'old.txt', parent: root.id, content: 'x' });
		google.trash(old.id);

		const result = await run(folderSource(root.id));

		expect(summary(result.items)).toEqual(['upsert /Reports/2025/notes.md', 'upsert /Reports/q3.pdf', 'upsert /top.txt']);
		expect(result.items.find((item) => item.external_id === pdf.id)).toEqual({
			provider: 'google_drive',
			external_id: pdf.id,
			source_key: `google_drive:alice@example.com:folder:${root.id}`,
			name: 'q3.pdf',
			path: '/Reports/q3.pdf',
			parents: [reports.id],
			mime: 'application/pdf',
			size: 6,
			modified_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			version: '1',
			hash: expect.stringMatching(/^[0-9a-f]{32}$/),
			url: expect.stringMatching(/^https?:\/\//),
			change: 'upsert',
			run_id: expect.any(Number),
		});
		expect(result).toMatchObject({ hasMore: false });
		const cursor = await store.cursors.committed(sourceKeyFor(ACCOUNT, folderSource(root.id)));
		expect(JSON.parse(cursor ?? 'null')).toEqual({ pageToken: expect.any(String), snapshot: String(result.runId) });
	});

	it('takes the start page token before listing and asks Drive for explicit fields on every request', async () => {
		const root = google.addFolder({ name: 'Root' });
		google.addFile({ name: 'a.txt', parent: root.id, content: 'a' });

		await run(folderSource(root.id));

		const requests = google.driveRequests();
		const firstList = requests.findIndex((request) => request.path.endsWith('/files') && request.method === 'GET');
		const tokenRequest = requests.findIndex((request) => request.path.endsWith('/changes/startPageToken'));
		expect(tokenRequest).toBeGreaterThanOrEqual(0);
		expect(tokenRequest).toBeLessThan(firstList);
		for (const request of requests) expect(request.query.fields).toBeTruthy();
	});

	it('lists only the direct children of a non-recursive folder', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		google.addFile({ name: 'here.txt', parent: root.id, content: 'a' });
		google.addFile({ name: 'below.txt', parent: sub.id, content: 'b' });

		const first = await run(folderSource(root.id, false));
		google.addFile({ name: 'new-below.txt', parent: sub.id, content: 'c' });
		google.addFile({ name: 'new-here.txt', parent: root.id, content: 'd' });
		const second = await run(folderSource(root.id, false));

		expect(summary(first.items)).toEqual(['upsert /here.txt']);
		expect(summary(second.items)).toEqual(['upsert /new-here.txt']);
		expect(sourceKeyFor(ACCOUNT, folderSource(root.id, false))).not.toBe(sourceKeyFor(ACCOUNT, folderSource(root.id)));
	});

	it('lists a shared drive and follows its own change feed', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		const specs = google.addFolder({ name: 'Specs', parent: team.id });
		google.addFile({ name: 'api.md', parent: specs.id, content: '# api' });
		google.addFile({ name: 'mine.txt', content: 'My Drive, not the shared drive' });
		const source: DriveSource = { kind: 'sharedDrive', driveId: team.id };

		const first = await run(source);
		google.addFile({ name: 'readme.md', parent: team.id, content: 'hi' });
		const second = await run(source);

		expect(summary(first.items)).toEqual(['upsert /Specs/api.md']);
		expect(first.items[0].source_key).toBe(`google_drive:alice@example.com:shared_drive:${team.id}`);
		expect(summary(second.items)).toEqual(['upsert /readme.md']);
		const changeRequest = google.driveRequests().find((request) => request.path.endsWith('/changes'));
		expect(changeRequest?.query.driveId).toBe(team.id);
	});

	it('lists My Drive from its root', async () => {
		const folder = google.addFolder({ name: 'Docs' });
		google.addFile({ name: 'a.txt', parent: folder.id, content: 'a' });
		google.addFile({ name: 'b.txt', content: 'b' });

		const result = await run({ kind: 'myDrive' });

		expect(summary(result.items)).toEqual(['upsert /Docs/a.txt', 'upsert /b.txt']);
	});

	it('costs one request and emits nothing when the source has not changed', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		for (let i = 0; i < 20; i++) google.addFile({ name: `f${i}.txt`, parent: sub.id, content: String(i) });
		await run(folderSource(root.id));
		google.addFile({ name: 'elsewhere.txt', content: 'outside the source' });

		const second = await run(folderSource(root.id));

		expect(second.items).toEqual([]);
		expect(second.requests).toBe(1);
		expect(google.driveRequests()).toHaveLength(1);
		expect(second.hasMore).toBe(false);
	});

	it('turns edits, renames, moves, trashing and deletion into upserts and deletions across runs', async () => {
		const root = google.addFolder({ name: 'Root' });
		const docs = google.addFolder({ name: 'Docs', parent: root.id });
		const inner = google.addFolder({ name: 'Inner', parent: docs.id });
		const outside = google.addFolder({ name: 'Outside' });
		const edited = google.addFile({ name: 'edited.txt', parent: root.id, content: 'v1' });
		const renamed = google.addFile({ name: 'before.txt', parent: root.id, content: 'r' });
		const nested = google.addFile({ name: 'nested.txt', parent: inner.id, content: 'n' });
		const leaving = google.addFile({ name: 'leaving.txt', parent: docs.id, content: 'l' });
		const arriving = google.addFile({ name: 'arriving.txt', parent: outside.id, content: 'a' });
		const trashed = google.addFile({ name: 'trashed.txt', parent: root.id, content: 't' });
		const removed = google.addFile({ name: 'removed.txt', parent: inner.id, content: 'd' });
		const source = folderSource(root.id);
		await run(source);

		google.editContent(edited.id, 'v2');
		google.rename(renamed.id, 'after.txt');
		const editResult = await run(source);
		expect(summary(editResult.items)).toEqual(['upsert /after.txt', 'upsert /edited.txt']);
		expect(editResult.items.find((item) => item.external_id === edited.id)?.version).toBe('2');

		google.rename(docs.id, 'Documents');
		const folderRename = await run(source);
		expect(summary(folderRename.items)).toEqual([
			'upsert /Documents/Inner/nested.txt',
			'upsert /Documents/Inner/removed.txt',
			'upsert /Documents/leaving.txt',
		]);

		google.move(arriving.id, inner.id);
		google.move(leaving.id, outside.id);
		google.trash(trashed.id);
		google.remove(removed.id);
		const moves = await run(source);
		expect(moves.items.map((item) => [item.change, item.path, item.external_id])).toEqual([
			['upsert', '/Documents/Inner/arriving.txt', arriving.id],
			['deleted', '/Documents/Inner/removed.txt', removed.id],
			['deleted', '/Documents/leaving.txt', leaving.id],
			['deleted', '/trashed.txt', trashed.id],
		]);
		expect(moves.items.some((item) => item.external_id === nested.id)).toBe(false);

		const quiet = await run(source);
		expect(quiet.items).toEqual([]);
	});

	it('moves a whole folder in and out of the source as upserts and deletions of its files', async () => {
		const root = google.addFolder({ name: 'Root' });
		const outside = google.addFolder({ name: 'Outside' });
		const album = google.addFolder({ name: 'Album', parent: outside.id });
		const sub = google.addFolder({ name: 'Sub', parent: album.id });
		google.addFile({ name: 'a.jpg', parent: album.id, content: 'a' });
		google.addFile({ name: 'b.jpg', parent: sub.id, content: 'b' });
		const source = folderSource(root.id);
		expect((await run(source)).items).toEqual([]);

		google.move(album.id, root.id);
		const moveIn = await run(source);
		google.move(album.id, outside.id);
		const moveOut = await run(source);

		expect(summary(moveIn.items)).toEqual(['upsert /Album/Sub/b.jpg', 'upsert /Album/a.jpg']);
		expect(summary(moveOut.items)).toEqual(['deleted /Album/Sub/b.jpg', 'deleted /Album/a.jpg']);
	});

	it('reports the files of a trashed folder as deleted', async () => {
		const root = google.addFolder({ name: 'Root' });
		const old = google.addFolder({ name: 'Old', parent: root.id });
		google.addFile({ name: 'x.txt', parent: old.id, content: 'x' });
		await run(folderSource(root.id));

		google.trash(old.id);
		const result = await run(folderSource(root.id));

		expect(summary(result.items)).toEqual(['deleted /Old/x.txt']);
	});

	it('resolves shortcuts to their targets once, even when a target is reachable twice', async () => {
		const root = google.addFolder({ name: 'Root' });
		const links = google.addFolder({ name: 'Links', parent: root.id });
		const target = google.addFile({ name: 'target.pdf', mimeType: 'application/pdf', content: '%PDF' });
		const direct = google.addFile({ name: 'direct.txt', parent: root.id, content: 'd' });
		google.addShortcut({ name: 'target.pdf', targetId: target.id, parent: links.id });
		google.addShortcut({ name: 'target again.pdf', targetId: target.id, parent: root.id });
		google.addShortcut({ name: 'direct.txt', targetId: direct.id, parent: links.id });

		const result = await run(folderSource(root.id));

		expect(result.items.map((item) => [item.path, item.external_id])).toEqual([
			['/Links/target.pdf', target.id],
			['/direct.txt', direct.id],
		]);
		const gets = google.driveRequests().filter((request) => request.path.endsWith(`/files/${target.id}`));
		expect(gets).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ mime: 'application/pdf', size: 4 });

		google.editContent(target.id, '%PDF-2');
		const edit = await run(folderSource(root.id));
		expect(edit.items.map((item) => [item.change, item.path, item.version])).toEqual([['upsert', '/Links/target.pdf', '2']]);
	});

	it('leaves out files matching an exclude glob and files of types not included', async () => {
		const root = google.addFolder({ name: 'Root' });
		const archive = google.addFolder({ name: 'Archive', parent: root.id });
		google.addFile({ name: 'old.pdf', parent: archive.id, mimeType: 'application/pdf', content: 'a' });
		google.addFile({ name: 'keep.pdf', parent: root.id, mimeType: 'application/pdf', content: 'k' });
		google.addFile({ name: 'scratch.tmp', parent: root.id, mimeType: 'text/plain', content: 't' });
		const notes = google.addFile({ name: 'notes.md', parent: root.id, mimeType: 'text/markdown', content: 'n' });
		google.addFile({ name: 'photo.jpg', parent: root.id, mimeType: 'image/jpeg', content: 'j' });
		const options: ListingOptions = { excludeGlobs: ['/Archive/**', '**/*.tmp'], includeMimeTypes: ['application/pdf', 'text/*'] };

		const first = await run(folderSource(root.id), { options });
		google.move(notes.id, archive.id);
		const second = await run(folderSource(root.id), { options });

		expect(summary(first.items)).toEqual(['upsert /keep.pdf', 'upsert /notes.md']);
		expect(summary(second.items)).toEqual(['deleted /notes.md']);
	});

	it('refuses an invalid glob pattern with a clear error', async () => {
		const root = google.addFolder({ name: 'Root' });
		await expect(run(folderSource(root.id), { options: { excludeGlobs: ['/a/[b'] } })).rejects.toThrow(
			/is not a valid glob pattern/,
		);
	});

	it('hands out the rest of a capped listing on the next runs, dropping and repeating nothing', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		const ids: string[] = [];
		for (let i = 0; i < 7; i++) ids.push(google.addFile({ name: `f${i}.txt`, parent: i % 2 ? sub.id : root.id, content: String(i) }).id);
		const source = folderSource(root.id);
		const options = { maxItems: 3 };

		const first = await run(source, { options });
		const late = google.addFile({ name: 'late.txt', parent: root.id, content: 'late' });
		const second = await run(source, { options });
		const third = await run(source, { options });
		const fourth = await run(source, { options });

		expect([first, second, third].map((result) => [result.items.length, result.hasMore])).toEqual([
			[3, true],
			[3, true],
			[2, false],
		]);
		const all = [...first.items, ...second.items, ...third.items].map((item) => item.external_id);
		expect(new Set(all).size).toBe(all.length);
		expect(new Set(all)).toEqual(new Set([...ids, late.id]));
		expect(fourth.items).toEqual([]);
	});

	it('stores the same snapshot rows whether a capped first listing stages its entries, only its owed items, or nothing, and runs on alike', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		const deep = google.addFolder({ name: 'Deep', parent: sub.id });
		for (let i = 0; i < 6; i++) google.addFile({ name: `f${i}.txt`, parent: [root.id, sub.id, deep.id][i % 3], content: String(i) });
		const direct = google.addFile({ name: 'direct.txt', parent: deep.id, content: 'd' });
		const outside = google.addFile({ name: 'outside.pdf', mimeType: 'application/pdf', content: '%PDF' });
		google.addShortcut({ name: 'direct link', targetId: direct.id, parent: root.id });
		google.addShortcut({ name: 'outside link', targetId: outside.id, parent: sub.id });
		const source = folderSource(root.id);
		const sourceKey = sourceKeyFor(ACCOUNT, source);
		const options = { maxItems: 3 };
		const without = (...offers: ('onItems' | 'onEntries')[]): typeof googleDriveProvider => ({
			...googleDriveProvider,
			listChanges: async (connection, request) => await googleDriveProvider.listChanges(connection, { ...request, ...Object.fromEntries(offers.map((offer) => [offer, undefined])) }),
		});
		const stores = [runs, await listingRuns(google, testConnection(google), ACCOUNT, without('onEntries')), await listingRuns(google, testConnection(google), ACCOUNT, without('onItems', 'onEntries'))];
		const stagedFiles: string[] = [];
		const stageOwed = store.cursors.stageOwed.bind(store.cursors);
		const staged = jest.spyOn(store.cursors, 'stageOwed').mockImplementation(async (key, provider, snapshot, owed, { begin, entries = [] }) => {
			const rows = [...entries];
			stagedFiles.push(...rows.filter((row) => row.field === 'files').map((row) => row.key));
			return await stageOwed(key, provider, snapshot, owed, { begin, entries: rows });
		});
		try {
			const first = await Promise.all(stores.map(async (each) => await each.run(source, { options })));
			// The walk's files went to the store as it listed; the shortcut's target outside came with the state.
			expect(stagedFiles).toHaveLength(7);
			expect(stagedFiles).not.toContain(outside.id);
			const rows = await Promise.all(stores.map(async (each) => await snapshotRows(each.store, sourceKey)));
			// Two folders, eight files, and the one shortcut that brought a file in.
			expect(rows[0].map((snapshot) => snapshot.entries.length)).toEqual([2 + 8 + 1]);
			expect(rows[1]).toEqual(rows[0]);
			expect(rows[2]).toEqual(rows[0]);
			expect(first.map((result) => summary(result.items))).toEqual(Array(3).fill(summary(first[0].items)));

			google.editContent(direct.id, 'd2');
			const next = await Promise.all(stores.map(async (each) => await each.run(source, { options })));
			expect(next.map((result) => [summary(result.items), result.hasMore, result.fullListing])).toEqual(Array(3).fill([summary(next[0].items), true, false]));
			expect(await Promise.all(stores.map(async (each) => await snapshotRows(each.store, sourceKey)))).toEqual(Array(3).fill(await snapshotRows(store, sourceKey)));
		} finally {
			staged.mockRestore();
			for (const each of stores.slice(1)) await each.close();
		}
	});

	it('lists the same changes again when the previous run was not committed', async () => {
		const root = google.addFolder({ name: 'Root' });
		const file = google.addFile({ name: 'a.txt', parent: root.id, content: 'v1' });
		const source = folderSource(root.id);
		await run(source);

		google.editContent(file.id, 'v2');
		const failed = await run(source, { commit: false });
		const retried = await run(source);
		const after = await run(source);

		expect(summary(failed.items)).toEqual(['upsert /a.txt']);
		expect(retried.items.map((item) => [item.change, item.path, item.version])).toEqual([['upsert', '/a.txt', '2']]);
		expect(after.items).toEqual([]);
	});

	it('keeps the committed folder tree when an uncommitted run saw a folder rename', async () => {
		const root = google.addFolder({ name: 'Root' });
		const folder = google.addFolder({ name: 'Old', parent: root.id });
		google.addFile({ name: 'x.txt', parent: folder.id, content: 'x' });
		const source = folderSource(root.id);
		await run(source);

		google.rename(folder.id, 'New');
		await run(source, { commit: false });
		google.trash(folder.id);
		const result = await run(source);

		expect(summary(result.items)).toEqual(['deleted /Old/x.txt']);
	});

	it('says which folder was not found', async () => {
		await expect(run(folderSource('1DoesNotExist123'))).rejects.toThrow(/Folder 1DoesNotExist123 was not found/);
	});
	describe('shortcuts to folders', () => {
		it('walks a folder shortcut once, at the shortcut, and never loops on shortcuts back up the tree', async () => {
			const root = google.addFolder({ name: 'Root' });
			const links = google.addFolder({ name: 'Links', parent: root.id });
			const docs = google.addFolder({ name: 'Docs', parent: root.id });
			google.addFile({ name: 'guide.md', parent: docs.id, content: 'g' });
			const team = google.addFolder({ name: 'Team notes' });
			const sub = google.addFolder({ name: 'Sub', parent: team.id });
			google.addFile({ name: 'minutes.txt', parent: team.id, content: 'm' });
			google.addFile({ name: 'deep.txt', parent: sub.id, content: 'd' });
			google.addShortcut({ name: 'Team', targetId: team.id, parent: links.id });
			google.addShortcut({ name: 'Team again', targetId: team.id, parent: root.id });
			google.addShortcut({ name: 'Docs link', targetId: docs.id, parent: links.id });
			google.addShortcut({ name: 'Back to root', targetId: root.id, parent: sub.id });
			google.addShortcut({ name: 'Back to links', targetId: links.id, parent: team.id });
			google.addShortcut({ name: 'Itself', targetId: team.id, parent: team.id });

			const result = await run(folderSource(root.id));

			expect(summary(result.items)).toEqual([
				'upsert /Docs/guide.md',
				'upsert /Links/Team notes/Sub/deep.txt',
				'upsert /Links/Team notes/minutes.txt',
			]);
			const targetGets = google.driveRequests().filter((request) => /\/files\/[^/]+$/.test(request.path) && request.path.endsWith(team.id));
			expect(targetGets).toHaveLength(1);
		});

		it('does not follow folder shortcuts of a non-recursive source', async () => {
			const root = google.addFolder({ name: 'Root' });
			const team = google.addFolder({ name: 'Team' });
			google.addFile({ name: 'minutes.txt', parent: team.id, content: 'm' });
			google.addShortcut({ name: 'Team', targetId: team.id, parent: root.id });
			google.addFile({ name: 'top.txt', parent: root.id, content: 't' });

			expect(summary((await run(folderSource(root.id, false))).items)).toEqual(['upsert /top.txt']);
		});

		it('follows changes inside, to and of a shortcut-reached folder across runs', async () => {
			const root = google.addFolder({ name: 'Root' });
			const links = google.addFolder({ name: 'Links', parent: root.id });
			const outside = google.addFolder({ name: 'Outside' });
			const team = google.addFolder({ name: 'Team' });
			const minutes = google.addFile({ name: 'minutes.txt', parent: team.id, content: 'v1' });
			const shortcut = google.addShortcut({ name: 'Team', targetId: team.id, parent: links.id });
			const source = folderSource(root.id);
			expect(summary((await run(source)).items)).toEqual(['upsert /Links/Team/minutes.txt']);

			google.editContent(minutes.id, 'v2');
			const added = google.addFile({ name: 'agenda.txt', parent: team.id, content: 'a' });
			const edits = await run(source);
			expect(edits.items.map((item) => [item.change, item.path, item.version])).toEqual([
				['upsert', '/Links/Team/agenda.txt', '1'],
				['upsert', '/Links/Team/minutes.txt', '2'],
			]);
			expect(google.driveRequests().map((request) => request.path)).toEqual(['/drive/v3/changes']);

			google.rename(team.id, 'Team 2026');
			google.move(team.id, outside.id);
			const renamed = await run(source);
			expect(summary(renamed.items)).toEqual(['upsert /Links/Team 2026/agenda.txt', 'upsert /Links/Team 2026/minutes.txt']);

			google.rename(links.id, 'Shortcuts');
			const parentRenamed = await run(source);
			expect(summary(parentRenamed.items)).toEqual([
				'upsert /Shortcuts/Team 2026/agenda.txt',
				'upsert /Shortcuts/Team 2026/minutes.txt',
			]);

			google.move(shortcut.id, outside.id);
			const movedOut = await run(source);
			expect(summary(movedOut.items)).toEqual([
				'deleted /Shortcuts/Team 2026/agenda.txt',
				'deleted /Shortcuts/Team 2026/minutes.txt',
			]);
			expect(added.id).toBeTruthy();

			google.move(shortcut.id, root.id);
			const movedIn = await run(source);
			expect(summary(movedIn.items)).toEqual(['upsert /Team 2026/agenda.txt', 'upsert /Team 2026/minutes.txt']);

			google.trash(shortcut.id);
			const trashed = await run(source);
			expect(summary(trashed.items)).toEqual(['deleted /Team 2026/agenda.txt', 'deleted /Team 2026/minutes.txt']);
			expect((await run(source)).items).toEqual([]);
		});

		it('brings in the folder of a new shortcut, and takes it out when the shortcut or its target goes', async () => {
			const root = google.addFolder({ name: 'Root' });
			const team = google.addFolder({ name: 'Team' });
			const inner = google.addFolder({ name: 'Inner', parent: team.id });
			google.addFile({ name: 'a.txt', parent: inner.id, content: 'a' });
			const source = folderSource(root.id);
			expect((await run(source)).items).toEqual([]);

			const shortcut = google.addShortcut({ name: 'Team', targetId: team.id, parent: root.id });
			// A shortcut back to the root inside the target: placed nowhere, walked never.
			google.addShortcut({ name: 'Up', targetId: root.id, parent: inner.id });
			const added = await run(source);
			expect(summary(added.items)).toEqual(['upsert /Team/Inner/a.txt']);

			google.remove(shortcut.id);
			const removed = await run(source);
			expect(summary(removed.items)).toEqual(['deleted /Team/Inner/a.txt']);

			const again = google.addShortcut({ name: 'Team', targetId: team.id, parent: root.id });
			expect(summary((await run(source)).items)).toEqual(['upsert /Team/Inner/a.txt']);
			google.trash(team.id);
			expect(summary((await run(source)).items)).toEqual(['deleted /Team/Inner/a.txt']);
			expect(again.id).toBeTruthy();
		});

		it('leaves out a folder shortcut into another drive than the source, whose changes its feed would miss', async () => {
			const team = google.addSharedDrive({ name: 'Team' });
			const other = google.addSharedDrive({ name: 'Other' });
			const elsewhere = google.addFolder({ name: 'Elsewhere', parent: other.id });
			google.addFile({ name: 'x.txt', parent: elsewhere.id, content: 'x' });
			const same = google.addFolder({ name: 'Same drive', parent: team.id });
			const archive = google.addFolder({ name: 'Archive', parent: same.id });
			google.addFile({ name: 'y.txt', parent: archive.id, content: 'y' });
			const links = google.addFolder({ name: 'Links', parent: team.id });
			google.addShortcut({ name: 'Elsewhere', targetId: elsewhere.id, parent: links.id });
			google.addShortcut({ name: 'Archive', targetId: archive.id, parent: links.id });

			const result = await run({ kind: 'sharedDrive', driveId: team.id });

			expect(summary(result.items)).toEqual(['upsert /Same drive/Archive/y.txt']);
		});
	});

	it('lists the source in full again when Drive refuses the stored change token, with the right deletions', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		const kept = google.addFile({ name: 'kept.txt', parent: root.id, content: 'k' });
		const edited = google.addFile({ name: 'edited.txt', parent: sub.id, content: 'v1' });
		const gone = google.addFile({ name: 'gone.txt', parent: sub.id, content: 'g' });
		const source = folderSource(root.id);
		await run(source);

		google.editContent(edited.id, 'v2');
		google.remove(gone.id);
		google.addFile({ name: 'new.txt', parent: root.id, content: 'n' });
		google.expireChangeTokens();
		const relisted = await run(source, { commit: false });

		expect(relisted.items.map((item) => [item.change, item.path])).toEqual([
			['upsert', '/Sub/edited.txt'],
			['deleted', '/Sub/gone.txt'],
			['upsert', '/kept.txt'],
			['upsert', '/new.txt'],
		]);
		expect(relisted).toMatchObject({ fullListing: true, warnings: [expect.stringMatching(/no longer accepts the stored change token.*listed in full again/)] });
		const checked = await store.items.check(relisted.items);
		expect(checked.map((entry) => [entry.item.path, entry.change])).toEqual([
			['/Sub/edited.txt', 'changed'],
			['/Sub/gone.txt', 'deleted'],
			['/kept.txt', 'unchanged'],
			['/new.txt', 'new'],
		]);
		await store.items.commit(checked.map((entry) => entry.item));
		expect(kept.id).toBeTruthy();

		const after = await run(source);
		expect(after).toMatchObject({ items: [], fullListing: false, warnings: [] });
		expect(google.driveRequests()).toHaveLength(1);
	});

	describe('the stored cursor and snapshot', () => {
		it('are stored in the shape earlier releases wrote: the page token with the snapshot id, the tree with the items owed', async () => {
			const root = google.addFolder({ name: 'Root' });
			const sub = google.addFolder({ name: 'Sub', parent: root.id });
			const file = google.addFile({ name: 'a.txt', parent: sub.id, mimeType: 'text/plain', content: 'a' });
			const source = folderSource(root.id);
			const sourceKey = sourceKeyFor(ACCOUNT, source);

			const first = await run(source);

			expect(await store.cursors.committed(sourceKey)).toMatch(new RegExp(`^\\{"pageToken":"[^"]+","snapshot":"${first.runId}"\\}$`));
			const snapshot = (await storedSnapshots(store, sourceKey, 'google_drive')).snapshots[String(first.runId)];
			expect(Object.keys(snapshot)).toEqual(['rootId', 'driveId', 'recursive', 'folders', 'files', 'shortcuts', 'pending']);
			expect(snapshot).toEqual({
				rootId: root.id,
				driveId: null,
				recursive: true,
				folders: { [sub.id]: ['Sub', root.id] },
				files: { [file.id]: { name: 'a.txt', parent: sub.id, mime: 'text/plain' } },
				shortcuts: {},
				pending: [],
			});
		});

		it('written by an earlier release are read on: the next run follows the change feed from the stored token', async () => {
			const root = google.addFolder({ name: 'Root' });
			const sub = google.addFolder({ name: 'Sub', parent: root.id });
			const file = google.addFile({ name: 'a.txt', parent: sub.id, content: 'v1' });
			const { data } = await testConnection(google).drive.changes.getStartPageToken({ fields: 'startPageToken' });
			const source = folderSource(root.id);
			const sourceKey = sourceKeyFor(ACCOUNT, source);
			const earlier = await store.runs.start({ sourceKey, provider: 'google_drive' });
			await store.cursors.propose(earlier, sourceKey, `{"pageToken":"${data.startPageToken}","snapshot":"${earlier}"}`, { listedItems: 0 });
			const tree = `{"rootId":"${root.id}","driveId":null,"recursive":true,"folders":{"${sub.id}":["Sub","${root.id}"]},"files":{"${file.id}":{"name":"a.txt","parent":"${sub.id}","mime":"text/plain"}},"shortcuts":{},"pending":[]}`;
			await store.cursors.updateProviderState(sourceKey, 'google_drive', () => `{"v":1,"snapshots":{"${earlier}":${tree}}}`);

			google.editContent(file.id, 'v2');
			const next = await run(source);

			expect(next.items.map((item) => [item.change, item.path, item.version])).toEqual([['upsert', '/Sub/a.txt', '2']]);
			expect(next).toMatchObject({ fullListing: false, warnings: [] });
			expect(google.driveRequests().map((request) => request.path)).toEqual(['/drive/v3/changes']);
			// Read once and kept as rows from then on.
			expect(await store.cursors.providerState(sourceKey)).toBeNull();
			expect(await store.cursors.snapshotIds(sourceKey)).toEqual([earlier, next.runId]);
		});
	});

	it('reports the files it finds as it goes, a folder page at a time', async () => {
		const root = google.addFolder({ name: 'Root' });
		const sub = google.addFolder({ name: 'Sub', parent: root.id });
		for (let i = 0; i < 3; i++) google.addFile({ name: `r${i}.txt`, parent: root.id, content: 'r' });
		for (let i = 0; i < 2; i++) google.addFile({ name: `s${i}.txt`, parent: sub.id, content: 's' });
		const source = folderSource(root.id);
		const reports: number[] = [];

		await run(source, { commit: false, onListed: (files) => reports.push(files) });

		expect(reports).toEqual([3, 2]);
	});
});

/** A source's stored snapshots as the store keeps them: each one's state and entry rows as written, and its owed items in order. */
async function snapshotRows(store: ConnectorStore, sourceKey: string): Promise<{ id: number; state: string | null; entries: string[][]; owed: string[] }[]> {
	const snapshots = [];
	for (const id of await store.cursors.snapshotIds(sourceKey)) {
		const entries: string[][] = [];
		const state = await store.cursors.readSnapshot(sourceKey, id, ({ field, key, value }) => entries.push([field, key, value]));
		const owed = await store.cursors.pendingItems(sourceKey, id, { skip: new Set(), limit: Number.MAX_SAFE_INTEGER });
		snapshots.push({ id, state, entries, owed });
	}
	return snapshots;
}
