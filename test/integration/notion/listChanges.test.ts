import type { Client } from '@notionhq/client';

import { InvalidInputError, NotFoundError } from '../../../lib/errors';
import type { ConnectorItem } from '../../../lib/items';
import { notionProvider, type NotionSource } from '../../../lib/providers/notion';
import type { ConnectorStore } from '../../../lib/store';
import type { ListingOptions, ListSourceResult } from '../../../lib/sync/listing';
import type { FakeNotion } from '../../fakes/notionApi';
import { b } from '../../fakes/notionBlocks';
import { fakeNotionWithStore, listRun } from './helpers';
import { dropSnapshots, storedSnapshots } from '../../lib/sync/support';

const ACCOUNT = 'workspace-1';

describe('Notion listChanges against the strict fake Notion', () => {
	let notion: FakeNotion;
	let client: Client;
	let store: ConnectorStore;
	let close: () => Promise<void>;

	beforeEach(async () => {
		({ notion, client, store, close } = await fakeNotionWithStore());
	});

	afterEach(async () => {
		await close();
	});

	/** One listChanges run; with `commit`, the pipeline checks and commits what it listed. */
	async function run(
		source: NotionSource,
		{ commit = true, options, at }: { commit?: boolean; options?: ListingOptions; at?: string } = {},
	): Promise<ListSourceResult> {
		if (at !== undefined) notion.setNow(at);
		notion.resetRequestLog();
		return await listRun(store, client, source, { account: ACCOUNT, commit, options });
	}

	const summary = (items: ConnectorItem[]): string[] => items.map((item) => `${item.change} ${item.path}`);
	const tree = (pageId: string, maxDepth?: number): NotionSource => ({ kind: 'pageTree', pageId, ...(maxDepth === undefined ? {} : { maxDepth }) });

	/** Handbook → Guides (→ Setup in a toggle, → Deep → Deeper), Tasks database with two rows; Outside elsewhere. */
	function handbook() {
		const root = notion.addPage({ title: 'Handbook', children: [b.paragraph('Welcome')] });
		const guides = notion.addPage({ title: 'Guides', parent: root.id });
		const [toggle] = notion.appendBlocks(guides.id, [b.toggle('More', [b.paragraph('inside')])]);
		const setup = notion.addPage({ title: 'Setup', parent: toggle });
		const deep = notion.addPage({ title: 'Deep', parent: guides.id });
		const deeper = notion.addPage({ title: 'Deeper', parent: deep.id });
		const { database, rows } = notion.addDatabase({
			title: 'Tasks',
			parent: root.id,
			dataSources: [{ properties: { Name: 'title', Status: { type: 'select', options: ['Todo', 'Done'] } } }],
			rows: [{ title: 'Write spec', properties: { Status: 'Done' } }, { title: 'Ship it' }],
		});
		const outside = notion.addPage({ title: 'Outside' });
		return { root, guides, toggle, setup, deep, deeper, database, rows, outside };
	}

	it('lists the whole page tree on the first run: child pages in toggles, child databases and their rows, with every item field', async () => {
		const { root, guides, setup } = handbook();

		const result = await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		expect(summary(result.items)).toEqual([
			'upsert /Handbook',
			'upsert /Handbook/Guides',
			'upsert /Handbook/Guides/Deep',
			'upsert /Handbook/Guides/Deep/Deeper',
			'upsert /Handbook/Guides/Setup',
			'upsert /Handbook/Tasks/Ship it',
			'upsert /Handbook/Tasks/Write spec',
		]);
		expect(result.items.find((item) => item.external_id === setup.id)).toEqual({
			provider: 'notion',
			external_id: setup.id,
			source_key: `notion:${ACCOUNT}:page:${root.id}`,
			name: 'Setup',
			path: '/Handbook/Guides/Setup',
			parents: [guides.id],
			mime: 'application/vnd.notion.page',
			size: null,
			modified_at: '2025-01-01T09:00:00.000Z',
			created_at: '2025-01-01T09:00:00.000Z',
			version: '2025-01-01T09:00:00.000Z',
			hash: null,
			url: `https://www.notion.so/${setup.id.replace(/-/g, '')}`,
			change: 'upsert',
			run_id: expect.any(Number),
		});
		expect(result).toMatchObject({ hasMore: false, fullListing: true, warnings: [] });
		expect(await store.cursors.committed(notionProvider.sourceKey(ACCOUNT, tree(root.id)))).not.toBeNull();
		expect(result.requests).toBe(notion.apiRequests().length);
		// From search, not a walk of every block: the root, one search, the toggle holding Setup, the Tasks database.
		expect(notion.apiRequests().map((request) => `${request.method} ${request.path.replace(/[0-9a-f-]{36}/g, ':id')}`).sort()).toEqual([
			'GET /v1/blocks/:id',
			'GET /v1/databases/:id',
			'GET /v1/pages/:id',
			'POST /v1/search',
		]);
	});

	it('finds the same tree when it re-walks it block by block, so a reconcile of an unchanged tree emits nothing', async () => {
		const { root } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		const walked = await run({ ...tree(root.id), reconcileMinutes: 0 }, { at: '2025-01-01T10:30:00Z' });

		expect(walked.items).toEqual([]);
		expect(notion.apiRequests().some((request) => request.path.endsWith('/children'))).toBe(true);
		expect(notion.apiRequests().some((request) => request.path.endsWith('/query'))).toBe(true);
	});

	it('stops at the depth limit: databases count as a level, their rows sit at the database level', async () => {
		const { root } = handbook();

		const result = await run(tree(root.id, 1), { at: '2025-01-01T10:00:30Z' });

		expect(summary(result.items)).toEqual([
			'upsert /Handbook',
			'upsert /Handbook/Guides',
			'upsert /Handbook/Tasks/Ship it',
			'upsert /Handbook/Tasks/Write spec',
		]);
	});

	it('on later runs emits only what was edited since the cursor, found by search, without re-walking the tree', async () => {
		const { root, deeper, rows } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		const quiet = await run(tree(root.id), { at: '2025-01-01T11:00:00Z' });
		expect(quiet.items).toEqual([]);
		expect(notion.apiRequests().some((request) => request.path.includes('/children'))).toBe(false);

		notion.setNow('2025-01-01T11:05:10Z');
		notion.editBlock(notion.childIds(deeper.id)[0] ?? notion.appendBlocks(deeper.id, [b.paragraph('new text')])[0], { rich_text: ['edited'] });
		notion.editPage(rows[1].id, { properties: { Status: 'Todo' } });
		const second = await run(tree(root.id), { at: '2025-01-01T11:06:00Z' });

		expect(summary(second.items)).toEqual(['upsert /Handbook/Guides/Deep/Deeper', 'upsert /Handbook/Tasks/Ship it']);
		expect(second.items[0].version).toBe('2025-01-01T11:05:00.000Z');
		expect(second.requests).toBeLessThanOrEqual(4);
	});

	it('never loses an edit made in the same minute as a run: the overlap re-reads it, the dedup cache absorbs the rest', async () => {
		const { root, guides, toggle } = handbook();
		notion.setNow('2025-01-01T10:00:10Z');
		notion.editBlock(toggle, { rich_text: ['More v1'] });
		const first = await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });
		expect(first.items.find((item) => item.external_id === guides.id)?.version).toBe('2025-01-01T10:00:00.000Z');

		// Same minute, after the run read it: Notion stamps it 10:00 again, so its version does not move.
		notion.setNow('2025-01-01T10:00:50Z');
		notion.editBlock(toggle, { rich_text: ['More v2'] });
		const second = await run(tree(root.id), { at: '2025-01-01T10:01:20Z' });
		expect(second.items.map((item) => [item.name, item.version])).toEqual([['Guides', '2025-01-01T10:00:00.000Z']]);

		// Still inside the window of the run that read it at 10:01 (its minute minus two): read once more.
		const third = await run(tree(root.id), { at: '2025-01-01T10:30:00Z' });
		expect(third.items.map((item) => item.name)).toEqual(['Guides']);
		// Past it, no more.
		const fourth = await run(tree(root.id), { at: '2025-01-01T11:00:00Z' });
		expect(fourth.items).toEqual([]);
	});

	it('re-emits the pages under a renamed page with their new paths', async () => {
		const { root, guides } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.editPage(guides.id, { title: 'Manuals' });
		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(summary(result.items)).toEqual([
			'upsert /Handbook/Manuals',
			'upsert /Handbook/Manuals/Deep',
			'upsert /Handbook/Manuals/Deep/Deeper',
			'upsert /Handbook/Manuals/Setup',
		]);
	});

	it('reports a trashed page and everything under it as deleted, once', async () => {
		const { root, guides } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.trashPage(guides.id);
		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(summary(result.items)).toEqual([
			'deleted /Handbook/Guides',
			'deleted /Handbook/Guides/Deep',
			'deleted /Handbook/Guides/Deep/Deeper',
			'deleted /Handbook/Guides/Setup',
		]);
		expect(result.items.every((item) => item.version === null)).toBe(true);
		expect((await run(tree(root.id), { at: '2025-01-01T10:30:00Z' })).items).toEqual([]);
	});

	it('reports an archived database row as deleted', async () => {
		const { root, rows } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.archivePage(rows[0].id);
		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(summary(result.items)).toEqual(['deleted /Handbook/Tasks/Write spec']);
	});

	it('reports pages moved out of the tree as deleted and brings a moved-in page with its old descendants', async () => {
		const { root, deep, outside } = handbook();
		const old = notion.addPage({ title: 'Old child', parent: outside.id });
		const elsewhere = notion.addPage({ title: 'Elsewhere' });
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.movePage(deep.id, elsewhere.id);
		notion.movePage(outside.id, root.id);
		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(summary(result.items)).toEqual([
			'deleted /Handbook/Guides/Deep',
			'deleted /Handbook/Guides/Deep/Deeper',
			'upsert /Handbook/Outside',
			'upsert /Handbook/Outside/Old child',
		]);
		expect(result.items.find((item) => item.external_id === old.id)?.parents).toEqual([outside.id]);
	});

	it('places a new page created inside a toggle deep in the tree by looking up its block parent', async () => {
		const { root, toggle } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.addPage({ title: 'Troubleshooting', parent: toggle });
		notion.addPage({ title: 'Unrelated' });
		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(summary(result.items)).toEqual(['upsert /Handbook/Guides/Troubleshooting']);
	});

	it('notices a move Notion did not stamp on the next full re-walk', async () => {
		const { root, deep, outside } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });

		notion.setNow('2025-01-01T10:10:00Z');
		notion.movePage(deep.id, outside.id, { touch: false });
		expect((await run({ ...tree(root.id), reconcileMinutes: 60 }, { at: '2025-01-01T10:11:00Z' })).items).toEqual([]);
		const result = await run({ ...tree(root.id), reconcileMinutes: 60 }, { at: '2025-01-01T11:01:00Z' });

		expect(summary(result.items)).toEqual(['deleted /Handbook/Guides/Deep', 'deleted /Handbook/Guides/Deep/Deeper']);
	});

	it('moves the cursor only on commit: an uncommitted run is listed again', async () => {
		const { root, guides } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });
		notion.setNow('2025-01-01T10:10:00Z');
		notion.editPage(guides.id, { title: 'Guides 2' });

		const failed = await run(tree(root.id), { at: '2025-01-01T10:11:00Z', commit: false });
		const again = await run(tree(root.id), { at: '2025-01-01T10:40:00Z' });

		expect(summary(failed.items)).toEqual(summary(again.items));
		expect(again.items.map((item) => item.name)).toContain('Guides 2');
	});

	it('caps a run at maxItems and hands the rest to the next run, dropping nothing', async () => {
		const { root } = handbook();
		const first = await run(tree(root.id), { at: '2025-01-01T10:00:30Z', options: { maxItems: 3 } });
		const second = await run(tree(root.id), { at: '2025-01-01T10:01:00Z', options: { maxItems: 3 } });
		const third = await run(tree(root.id), { at: '2025-01-01T10:30:00Z', options: { maxItems: 3 } });

		expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false]);
		expect([...first.items, ...second.items, ...third.items].map((item) => item.path).sort()).toEqual([
			'/Handbook',
			'/Handbook/Guides',
			'/Handbook/Guides/Deep',
			'/Handbook/Guides/Deep/Deeper',
			'/Handbook/Guides/Setup',
			'/Handbook/Tasks/Ship it',
			'/Handbook/Tasks/Write spec',
		]);
	});

	it('applies exclude globs, and reports a page the filter now excludes as deleted', async () => {
		const { root } = handbook();
		const first = await run(tree(root.id), { at: '2025-01-01T10:00:30Z', options: { excludeGlobs: ['/Handbook/Tasks/**'] } });
		expect(summary(first.items).some((line) => line.includes('Tasks'))).toBe(false);
		const second = await run(tree(root.id), { at: '2025-01-01T10:30:00Z', options: { excludeGlobs: ['/Handbook/Guides/Deep/**'] } });
		expect(summary(second.items)).toEqual([]);
	});

	it('reports the whole tree deleted when its root page goes to the trash', async () => {
		const { root } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });
		notion.setNow('2025-01-01T10:10:00Z');
		notion.trashPage(root.id);

		const result = await run(tree(root.id), { at: '2025-01-01T10:11:00Z' });

		expect(result.items).toHaveLength(7);
		expect(result.items.every((item) => item.change === 'deleted')).toBe(true);
	});

	it('stores its cursor and snapshot as earlier versions did, so caches written by them keep working', async () => {
		const { root } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z', options: { maxItems: 3 } });

		const sourceKey = notionProvider.sourceKey(ACCOUNT, tree(root.id));
		const cursor = JSON.parse((await store.cursors.committed(sourceKey)) as string) as Record<string, unknown>;
		expect(Object.keys(cursor)).toEqual(['readAt', 'walkedAt', 'snapshot']);
		expect(cursor).toMatchObject({ readAt: '2025-01-01T10:00:30.000Z', walkedAt: '2025-01-01T10:00:30.000Z' });
		const { snapshots } = await storedSnapshots(store, sourceKey, 'notion');
		const snapshot = snapshots[cursor.snapshot as string];
		expect(Object.keys(snapshot)).toEqual(['kind', 'rootId', 'maxDepth', 'nodes', 'pending']);
		expect(snapshot).toMatchObject({ kind: 'pageTree', rootId: root.id, maxDepth: 10 });
		expect(snapshot.pending).toHaveLength(4);
	});

	it('lists the source in full again when the snapshot its cursor names is gone', async () => {
		const { root } = handbook();
		await run(tree(root.id), { at: '2025-01-01T10:00:30Z' });
		const sourceKey = notionProvider.sourceKey(ACCOUNT, tree(root.id));
		await dropSnapshots(store, sourceKey, 'notion');

		const again = await run(tree(root.id), { at: '2025-01-01T10:30:00Z' });

		expect(again.fullListing).toBe(true);
		expect(again.items).toHaveLength(7);
		expect(again.items.every((item) => item.change === 'upsert')).toBe(true);
	});

	describe('database sources', () => {
		function tasks() {
			const { database, dataSources, rows } = notion.addDatabase({
				title: 'Tasks',
				dataSources: [{ name: 'Tasks', properties: { Name: 'title', Due: 'date' } }],
				rows: [{ title: 'Write spec' }, { title: 'Review' }],
			});
			const second = notion.addDataSource(database.id, { name: 'Bugs', properties: { Title: 'title' } });
			const bug = notion.addRow(second.id, { title: 'Crash on save' });
			return { database, dataSources, rows, second, bug };
		}

		it('lists the rows of every data source of the database, as /<row title>', async () => {
			const { database, bug } = tasks();

			const result = await run({ kind: 'database', databaseId: database.id }, { at: '2025-01-01T10:00:30Z' });

			expect(summary(result.items)).toEqual(['upsert /Crash on save', 'upsert /Review', 'upsert /Write spec']);
			expect(result.items.find((item) => item.external_id === bug.id)).toMatchObject({
				source_key: `notion:${ACCOUNT}:database:${database.id}`,
				parents: [database.id],
			});
		});

		it('reads edited and trashed rows per data source, and a new data source in full', async () => {
			const { database, rows, bug } = tasks();
			await run({ kind: 'database', databaseId: database.id }, { at: '2025-01-01T10:00:30Z' });

			notion.setNow('2025-01-01T10:10:00Z');
			notion.editPage(rows[0].id, { title: 'Write the spec' });
			notion.trashPage(bug.id);
			const third = notion.addDataSource(database.id, { name: 'Ideas', properties: { Idea: 'title' } });
			notion.setNow('2024-06-01T00:00:00Z');
			notion.addRow(third.id, { title: 'Old idea' });
			const result = await run({ kind: 'database', databaseId: database.id }, { at: '2025-01-01T10:11:00Z' });

			expect(summary(result.items)).toEqual(['deleted /Crash on save', 'upsert /Old idea', 'upsert /Write the spec']);
		});
	});

	describe('errors', () => {
		it('says to share the page with the integration when Notion does not show it', async () => {
			const hidden = notion.addPage({ title: 'Private', shared: false });
			const error = await run(tree(hidden.id)).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(NotFoundError);
			expect((error as NotFoundError).message).toContain('not shared with this integration');
			expect((error as NotFoundError).hint).toMatch(/Connections/);
		});

		it('rejects a malformed id and a database given as a page', async () => {
			await expect(run(tree('not-an-id'))).rejects.toBeInstanceOf(InvalidInputError);
			const { database } = notion.addDatabase({ title: 'DB' });
			await expect(run(tree(database.id))).rejects.toThrow(/is not a Notion page/);
		});
	});
});
