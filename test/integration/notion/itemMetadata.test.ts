import type { Client } from '@notionhq/client';

import type { ConnectorItem } from '../../../lib/items';
import type { NotionSource } from '../../../lib/providers/notion';
import type { ProviderAccount } from '../../../lib/providers/types';
import type { ListingOptions } from '../../../lib/sync/listing';
import type { CheckedItem, ConnectorStore } from '../../../lib/store';
import type { FakeNotion } from '../../fakes/notionApi';
import { fakeNotionWithStore, listRun, testClient } from './helpers';

const ACCOUNT = 'workspace-1';

describe('Notion item metadata against the strict fake Notion: permissions, renamed parents, restored pages', () => {
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

	/** One run as the pipeline makes it at `at`: list, check, then commit what Check let through. */
	async function checkedRun(source: NotionSource, at: string, options?: ListingOptions): Promise<CheckedItem[]> {
		notion.setNow(at);
		const listed = await listRun(store, client, source, { account: ACCOUNT, commit: false, options });
		const checked = await store.items.check(listed.items);
		await store.items.commit(checked.filter((result) => result.change !== 'unchanged').map((result) => result.item));
		return checked;
	}

	const routes = (checked: CheckedItem[]) =>
		checked.map((result) => [result.item.path, result.change, result.reason, result.contentChanged ?? null, result.changedFields ?? null]);

	it('routes the pages under a renamed page to Changed for their path alone; the renamed page itself was edited', async () => {
		const root = notion.addPage({ title: 'Handbook' });
		const guides = notion.addPage({ title: 'Guides', parent: root.id });
		notion.addPage({ title: 'Setup', parent: guides.id });
		const tree: NotionSource = { kind: 'pageTree', pageId: root.id };
		await checkedRun(tree, '2025-01-01T10:00:30Z');

		notion.setNow('2025-01-01T10:10:00Z');
		notion.editPage(guides.id, { title: 'Manuals' });
		expect(routes(await checkedRun(tree, '2025-01-01T10:11:00Z'))).toEqual([
			// Its title is part of its Markdown, and Notion stamps the edit: its content is exported again.
			['/Handbook/Manuals', 'changed', 'modified_at_changed', true, ['name', 'path']],
			['/Handbook/Manuals/Setup', 'changed', 'metadata_changed', false, ['path']],
		]);
	});

	it('brings a page back from the trash as New once its deletion was committed, with the pages under it', async () => {
		const root = notion.addPage({ title: 'Handbook' });
		const vpn = notion.addPage({ title: 'VPN', parent: root.id });
		notion.addPage({ title: 'Clients', parent: vpn.id });
		const tree: NotionSource = { kind: 'pageTree', pageId: root.id };
		await checkedRun(tree, '2025-01-01T10:00:30Z');

		notion.setNow('2025-01-01T10:10:00Z');
		notion.archivePage(vpn.id);
		expect(routes(await checkedRun(tree, '2025-01-01T10:11:00Z')).map(([path, change]) => [path, change])).toEqual([
			['/Handbook/VPN', 'deleted'],
			['/Handbook/VPN/Clients', 'deleted'],
		]);

		notion.setNow('2025-01-01T10:20:00Z');
		notion.restorePage(vpn.id);
		expect(routes(await checkedRun(tree, '2025-01-01T10:21:00Z')).map(([path, change, reason]) => [path, change, reason])).toEqual([
			['/Handbook/VPN', 'new', 'restored_after_deletion'],
			['/Handbook/VPN/Clients', 'new', 'restored_after_deletion'],
		]);
	});

	describe('permissions', () => {
		const ON = { permissions: true };
		/** The connected account as the node has checked it, from the same users.me answer the fake gives. */
		const connected = (): ProviderAccount => ({
			accountId: notion.workspace.id,
			email: 'alice@example.com',
			workspaceId: notion.workspace.id,
			workspaceName: notion.workspace.name,
		});
		const members = () => ({ type: 'workspace', role: 'reader', workspace_id: notion.workspace.id, workspace_name: 'Acme Docs' });
		const ANYONE = { type: 'anyone', role: 'reader', with_link: true };
		const byPath = (items: ConnectorItem[]) => Object.fromEntries(items.map((item) => [item.path, item.permissions]));
		const requestsSeen = () => notion.apiRequests().map((request) => `${request.method} ${request.path.replace(/[0-9a-f-]{36}/g, ':id')}`);

		/** Handbook → Plan (published), Tasks database → Ship (published), Spec. */
		function handbook() {
			const root = notion.addPage({ title: 'Handbook' });
			const plan = notion.addPage({ title: 'Plan', parent: root.id });
			const { database, rows } = notion.addDatabase({ title: 'Tasks', parent: root.id, rows: [{ title: 'Ship' }, { title: 'Spec' }] });
			notion.publishPage(plan.id);
			notion.publishPage(rows[0].id);
			return { root, plan, database, rows, tree: { kind: 'pageTree', pageId: root.id } as NotionSource };
		}

		it('carry the workspace for every page and database row, and anyone with the link for a published one, at no request more', async () => {
			const { tree } = handbook();
			notion.setNow('2025-01-01T10:00:30Z');
			notion.resetRequestLog();
			const off = await listRun(store, client, tree, { account: ACCOUNT, options: { permissions: false }, connected: connected() });
			const offRequests = requestsSeen();
			await store.forget(off.items[0].source_key);
			notion.resetRequestLog();
			const on = await listRun(store, client, tree, { account: ACCOUNT, options: ON, connected: connected() });

			expect(off.items.some((item) => 'permissions' in item)).toBe(false);
			expect(byPath(on.items)).toEqual({
				'/Handbook': [members()],
				'/Handbook/Plan': [members(), ANYONE],
				'/Handbook/Tasks/Ship': [members(), ANYONE],
				'/Handbook/Tasks/Spec': [members()],
			});
			// The flag comes with the page objects search and the data source query return; the workspace with the account.
			expect(requestsSeen().sort()).toEqual(offRequests.sort());
		});

		it('ask Notion for the workspace once per listing when no account is handed over, and carry them on a database source’s rows', async () => {
			const { database } = handbook();
			notion.setNow('2025-01-01T10:00:30Z');
			notion.resetRequestLog();
			const result = await listRun(store, client, { kind: 'database', databaseId: database.id }, { account: ACCOUNT, options: ON });
			expect(byPath(result.items)).toEqual({ '/Ship': [members(), ANYONE], '/Spec': [members()] });
			expect(requestsSeen().filter((request) => request === 'GET /v1/users/me')).toHaveLength(1);
		});

		it('route a page whose publishing changed to Changed for its permissions alone, once a listing reads its page object again', async () => {
			const { root, plan, tree } = handbook();
			await checkedRun(tree, '2025-01-01T10:00:30Z', ON);

			// Publishing is not stamped as an edit: the incremental read does not see Plan unpublished.
			notion.setNow('2025-01-01T10:05:00Z');
			notion.publishPage(plan.id, false);
			notion.publishPage(root.id);
			// The root is read on every run, so its publishing shows at once.
			expect(routes(await checkedRun(tree, '2025-01-01T10:11:00Z', ON))).toEqual([['/Handbook', 'changed', 'metadata_changed', false, ['permissions']]]);
			// The full re-walk reads every page's publishing again from search.
			expect(routes(await checkedRun({ ...tree, reconcileMinutes: 0 }, '2025-01-01T10:20:00Z', ON))).toEqual([
				['/Handbook/Plan', 'changed', 'metadata_changed', false, ['permissions']],
			]);
			expect((await checkedRun({ ...tree, reconcileMinutes: 0 }, '2025-01-01T10:30:00Z', ON)).length).toBe(0);

			// An edit brings the current flag along with the new content.
			notion.setNow('2025-01-01T10:40:00Z');
			notion.publishPage(plan.id);
			notion.editPage(plan.id, { title: 'Plan' });
			expect(routes(await checkedRun(tree, '2025-01-01T10:41:00Z', ON))).toEqual([
				['/Handbook/Plan', 'changed', 'modified_at_changed', true, ['permissions']],
			]);
		});

		it('keep what the last page object said of a page the full re-walk saw only as a block', async () => {
			const { plan, tree } = handbook();
			const child = notion.addPage({ title: 'Steps', parent: plan.id });
			notion.publishPage(child.id);
			await checkedRun(tree, '2025-01-01T10:00:30Z', ON);
			// A re-walk with permissions off reads child pages as blocks only, which do not tell whether they are published.
			await checkedRun({ ...tree, reconcileMinutes: 0 }, '2025-01-01T10:10:00Z', { permissions: false });

			notion.setNow('2025-01-01T10:15:00Z');
			notion.editPage(plan.id, { title: 'Roadmap' });
			const moved = (await checkedRun(tree, '2025-01-01T10:21:00Z', ON)).find((result) => result.item.external_id === child.id);
			expect(moved?.item).toMatchObject({ path: '/Handbook/Roadmap/Steps', permissions: [members(), ANYONE] });
			expect(moved).toMatchObject({ change: 'changed', contentChanged: false, changedFields: ['path'] });
		});

		it('cost no request per page: requests for 1,000 pages, on and off, first listing, unchanged run and full re-walk', async () => {
			const root = notion.addPage({ title: 'Handbook' });
			for (let index = 0; index < 1000; index++) notion.addPage({ title: `Page ${index}`, parent: root.id });
			const fast = testClient(notion, 5000);
			const costs = async (permissions: boolean): Promise<number[]> => {
				const tree: NotionSource = { kind: 'pageTree', pageId: root.id, reconcileMinutes: 60 };
				const counted: number[] = [];
				for (const at of ['2025-01-01T10:00:30Z', '2025-01-01T10:10:00Z', '2025-01-01T11:00:30Z']) {
					notion.setNow(at);
					const result = await listRun(store, fast, tree, { account: ACCOUNT, options: { permissions }, connected: connected() });
					counted.push(result.requests);
				}
				await store.forget(`notion:${ACCOUNT}:page:${root.id}`);
				return counted;
			};
			const off = await costs(false);
			const on = await costs(true);
			// The root and 11 searches of 100; the root and the window's two searches; the root and 1,010 block lists.
			expect(off).toEqual([12, 3, 1011]);
			// The re-walk reads the flags again: 11 searches more; a first listing or an unchanged run nothing more.
			expect(on).toEqual([12, 3, 1022]);
		}, 60_000);

		it('route a database row published without an edit to Changed on the next full re-walk of the database', async () => {
			const { database, rows } = handbook();
			const source: NotionSource = { kind: 'database', databaseId: database.id, reconcileMinutes: 60 };
			await checkedRun(source, '2025-01-01T10:00:30Z', ON);

			notion.setNow('2025-01-01T10:05:00Z');
			notion.publishPage(rows[1].id);
			expect(await checkedRun(source, '2025-01-01T10:11:00Z', ON)).toEqual([]);
			expect(routes(await checkedRun(source, '2025-01-01T11:01:00Z', ON))).toEqual([['/Spec', 'changed', 'metadata_changed', false, ['permissions']]]);
		});
	});
});
