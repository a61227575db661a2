import type { ConnectorItem } from '../../../lib/items';
import { oneDriveProvider, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { listingRuns, testConnection, type OneDriveListingRuns } from './helpers';

const ACCOUNT = 'alice@contoso.com';

describe('OneDrive listChanges against the strict fake Microsoft Graph', () => {
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

	const summary = (items: ConnectorItem[]): string[] => items.map((item) => `${item.change} ${item.path}`);
	const folder = (folderId: string, recursive = true): OneDriveSource => ({ kind: 'folder', driveId: 'me', folderId, recursive });

	it('lists a folder tree in full on the first run, with paths from the source root, every item field and $select on every request', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const reports = graph.addFolder({ name: 'Reports', parent: root.id });
		const deep = graph.addFolder({ name: '2025', parent: reports.id });
		const pdf = graph.addFile({ name: 'q3.pdf', parent: reports.id, content: '%PDF-1' });
		graph.addFile({ name: 'notes.md', parent: deep.id, content: '# hi' });
		graph.addFile({ name: 'top.txt', parent: root.id, content: 'top' });
		graph.addFile({ name: 'outside.txt', content: 'not in the source' });

		const result = await runs.run(folder(root.id));

		expect(summary(result.items)).toEqual(['upsert /Reports/2025/notes.md', 'upsert /Reports/q3.pdf', 'upsert /top.txt']);
		expect(result.items.find((item) => item.external_id === pdf.id)).toEqual({
			provider: 'onedrive',
			external_id: pdf.id,
			source_key: `onedrive:alice@contoso.com:folder:me:${root.id}`,
			name: 'q3.pdf',
			path: '/Reports/q3.pdf',
			parents: [reports.id],
			mime: 'application/pdf',
			size: 6,
			modified_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			version: expect.stringContaining(pdf.id),
			hash: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
			url: expect.stringMatching(/^https:\/\//),
			change: 'upsert',
			drive_id: graph.myDrive.id,
			run_id: expect.any(Number),
		});
		expect(result.fullListing).toBe(true);
		const requests = graph.graphRequests();
		expect(requests.length).toBeGreaterThan(0);
		for (const request of requests) expect(request.query.$select).toEqual(expect.any(String));
		// The delta link is taken before the walk, so changes made while it runs are read next time.
		const latest = requests.findIndex((request) => request.query.token === 'latest');
		const firstChildren = requests.findIndex((request) => request.path.endsWith('/children'));
		expect(latest).toBeGreaterThanOrEqual(0);
		expect(latest).toBeLessThan(firstChildren);
	});

	it('follows a change sequence across runs: edit, rename, move in, move out, delete, folder rename', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const docs = graph.addFolder({ name: 'Docs', parent: root.id });
		const outside = graph.addFolder({ name: 'Elsewhere' });
		const a = graph.addFile({ name: 'a.txt', parent: root.id, content: 'a' });
		const b = graph.addFile({ name: 'b.txt', parent: docs.id, content: 'b' });
		const c = graph.addFile({ name: 'c.txt', parent: docs.id, content: 'c' });
		const incoming = graph.addFile({ name: 'in.txt', parent: outside.id, content: 'in' });
		const gone = graph.addFile({ name: 'gone.txt', parent: root.id, content: 'x' });
		const source = folder(root.id);

		expect(summary((await runs.run(source)).items)).toEqual(['upsert /Docs/b.txt', 'upsert /Docs/c.txt', 'upsert /a.txt', 'upsert /gone.txt']);

		const unchanged = await runs.run(source);
		expect(unchanged.items).toEqual([]);
		expect(unchanged.fullListing).toBe(false);
		expect(unchanged.requests).toBe(1);

		graph.editContent(a.id, 'a, edited');
		expect(summary((await runs.run(source)).items)).toEqual(['upsert /a.txt']);

		graph.rename(b.id, 'b-renamed.txt');
		expect(summary((await runs.run(source)).items)).toEqual(['upsert /Docs/b-renamed.txt']);

		graph.move(incoming.id, docs.id);
		expect(summary((await runs.run(source)).items)).toEqual(['upsert /Docs/in.txt']);

		graph.move(c.id, outside.id);
		expect(summary((await runs.run(source)).items)).toEqual(['deleted /Docs/c.txt']);

		graph.remove(gone.id);
		expect(summary((await runs.run(source)).items)).toEqual(['deleted /gone.txt']);

		graph.rename(docs.id, 'Documents');
		const renamed = await runs.run(source);
		expect(summary(renamed.items)).toEqual(['upsert /Documents/b-renamed.txt', 'upsert /Documents/in.txt']);
		expect(renamed.fullListing).toBe(false);
	});

	it('brings a folder moved into the source in with its subtree, and reports a folder moved out or deleted as deletions of its files', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const outside = graph.addFolder({ name: 'Outside' });
		const moving = graph.addFolder({ name: 'Incoming', parent: outside.id });
		const sub = graph.addFolder({ name: 'Sub', parent: moving.id });
		graph.addFile({ name: 'x.txt', parent: sub.id, content: 'x' });
		const leaving = graph.addFolder({ name: 'Leaving', parent: root.id });
		graph.addFile({ name: 'y.txt', parent: leaving.id, content: 'y' });
		const doomed = graph.addFolder({ name: 'Doomed', parent: root.id });
		graph.addFile({ name: 'z.txt', parent: doomed.id, content: 'z' });
		const source = folder(root.id);
		await runs.run(source);

		graph.move(moving.id, root.id);
		graph.move(leaving.id, outside.id);
		graph.remove(doomed.id);
		const result = await runs.run(source);

		expect(summary(result.items)).toEqual(['deleted /Doomed/z.txt', 'upsert /Incoming/Sub/x.txt', 'deleted /Leaving/y.txt']);
	});

	it('lists only direct children of a non-recursive folder, and follows its changes', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const sub = graph.addFolder({ name: 'Sub', parent: root.id });
		graph.addFile({ name: 'top.txt', parent: root.id, content: 't' });
		const deep = graph.addFile({ name: 'deep.txt', parent: sub.id, content: 'd' });
		const source = folder(root.id, false);

		expect(summary((await runs.run(source)).items)).toEqual(['upsert /top.txt']);
		graph.move(deep.id, root.id);
		expect(summary((await runs.run(source)).items)).toEqual(['upsert /deep.txt']);
	});

	it('lists a whole SharePoint document library, paging children past 999 items and the delta feed past 200', async () => {
		const { drives } = graph.addSite({ displayName: 'Marketing', libraries: ['Documents'] });
		const library = drives[0];
		const shelf = graph.addFolder({ name: 'Shelf', drive: library.id });
		for (let index = 0; index < 1005; index++) graph.addFile({ name: `f${String(index).padStart(4, '0')}.txt`, parent: shelf.id, content: `${index}` });
		const source: OneDriveSource = { kind: 'drive', driveId: library.id };

		const first = await runs.run(source);
		expect(first.items).toHaveLength(1005);
		expect(first.items[0].source_key).toBe(`onedrive:alice@contoso.com:drive:${library.id}`);
		expect(graph.graphRequests().filter((request) => request.query.$skiptoken !== undefined)).toHaveLength(1);

		for (let index = 0; index < 210; index++) graph.rename(first.items[index].external_id, `r${index}.txt`);
		const second = await runs.run(source);
		expect(second.items).toHaveLength(210);
		expect(second.requests).toBe(2);
	});

	it('lists again in full with a warning when Graph answers 410 resyncRequired, deriving deletions from the snapshot', async () => {
		const root = graph.addFolder({ name: 'Root' });
		graph.addFile({ name: 'keep.txt', parent: root.id, content: 'k' });
		const lost = graph.addFile({ name: 'lost.txt', parent: root.id, content: 'l' });
		const source = folder(root.id);
		await runs.run(source);

		graph.remove(lost.id);
		graph.expireDeltaTokens();
		const result = await runs.run(source);

		expect(result.fullListing).toBe(true);
		expect(result.warnings).toEqual([expect.stringContaining('resync')]);
		expect(summary(result.items)).toEqual(['upsert /keep.txt', 'deleted /lost.txt']);
		expect(graph.graphRequests().some((request) => request.status === 410)).toBe(true);
		// The next run is incremental again.
		const after = await runs.run(source);
		expect(after.fullListing).toBe(false);
		expect(after.items).toEqual([]);
	});

	it('applies include types and exclude globs, and a file leaving the filter by a rename is a deletion', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const archive = graph.addFolder({ name: 'Archive', parent: root.id });
		const md = graph.addFile({ name: 'a.md', parent: root.id, content: '# a' });
		graph.addFile({ name: 'b.png', parent: root.id, content: 'png' });
		graph.addFile({ name: 'old.md', parent: archive.id, content: 'old' });
		const options = { includeMimeTypes: ['md', 'text/*'], excludeGlobs: ['/Archive/**'] };
		const source = folder(root.id);

		expect(summary((await runs.run(source, { options })).items)).toEqual(['upsert /a.md']);
		graph.rename(md.id, 'a.png');
		expect(summary((await runs.run(source, { options })).items)).toEqual(['deleted /a.md']);
	});

	it('lists a shared folder whose drive offers no change feed in full on every run, with a warning, deletions from the snapshot', async () => {
		const { drives } = graph.addSite({ displayName: 'Partner', libraries: ['Shared'] });
		const shared = graph.addFolder({ name: 'Deliverables', drive: drives[0].id });
		const kept = graph.addFile({ name: 'kept.txt', parent: shared.id, content: 'k' });
		const gone = graph.addFile({ name: 'gone.txt', parent: shared.id, content: 'g' });
		graph.denyDelta(drives[0].id);
		const source = { kind: 'folder', driveId: drives[0].id, folderId: shared.id, recursive: true } as const;

		const first = await runs.run(source);
		expect(summary(first.items)).toEqual(['upsert /gone.txt', 'upsert /kept.txt']);
		expect(first.warnings).toEqual([expect.stringContaining('no change feed')]);

		graph.remove(gone.id);
		graph.editContent(kept.id, 'k2');
		const second = await runs.run(source);
		expect(second.fullListing).toBe(true);
		expect(summary(second.items)).toEqual(['deleted /gone.txt', 'upsert /kept.txt']);
		expect(graph.graphRequests().some((request) => request.path.endsWith('/delta') && request.status === 403)).toBe(true);
	});

	it('stops at Max Items per Run and brings the rest on the next run, nothing dropped', async () => {
		const root = graph.addFolder({ name: 'Root' });
		for (const name of ['a.txt', 'b.txt', 'c.txt']) graph.addFile({ name, parent: root.id, content: name });
		const source = folder(root.id);

		const first = await runs.run(source, { options: { maxItems: 2 } });
		expect(summary(first.items)).toEqual(['upsert /a.txt', 'upsert /b.txt']);
		expect(first.hasMore).toBe(true);
		const second = await runs.run(source, { options: { maxItems: 2 } });
		expect(summary(second.items)).toEqual(['upsert /c.txt']);
		expect(second.hasMore).toBe(false);
	});

	it('refuses a file as the source and an unknown folder, with what to do next', async () => {
		const file = graph.addFile({ name: 'plain.txt', content: 'p' });
		await expect(runs.run(folder(file.id))).rejects.toThrow(/is a file, not a folder/);
		await expect(runs.run(folder('01UNKNOWNUNKNOWNUNKNOWNUNKNOWN0000'))).rejects.toThrow(/not found or is not shared/);
	});

	it('lists a folder named by a share link, resolved through /shares', async () => {
		const shared = graph.addFolder({ name: 'Shared' });
		graph.addFile({ name: 'inside.txt', parent: shared.id, content: 'i' });
		const link = graph.shareLink(shared.id);

		const result = await runs.run({ kind: 'folder', driveId: 'me', folderId: link, recursive: true });

		expect(summary(result.items)).toEqual(['upsert /inside.txt']);
		expect(result.items[0].source_key).toMatch(/^onedrive:alice@contoso\.com:folder:share:u!/);
		expect(graph.graphRequests().some((request) => request.path.startsWith('/v1.0/shares/u!'))).toBe(true);
	});

	it('names the account by mail, or by userPrincipalName when the user has no mailbox', async () => {
		expect(await oneDriveProvider.account(testConnection(graph))).toEqual({ accountId: 'alice@contoso.com', email: 'alice@contoso.com' });
		const other = await startFakeGraph({ user: { mail: null, userPrincipalName: 'bob@fabrikam.onmicrosoft.com' } });
		try {
			expect(await oneDriveProvider.account(testConnection(other))).toEqual({ accountId: 'bob@fabrikam.onmicrosoft.com', email: 'bob@fabrikam.onmicrosoft.com' });
		} finally {
			await other.close();
		}
	});
});
