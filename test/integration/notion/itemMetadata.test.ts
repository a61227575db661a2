import type { Client } from '@notionhq/client';

import type { NotionSource } from '../../../lib/providers/notion';
import type { CheckedItem, ConnectorStore } from '../../../lib/store';
import { startFakeNotion, type FakeNotion } from '../../fakes/notionApi';
import { listRun, temporaryStore, testClient } from './helpers';

const ACCOUNT = 'workspace-1';

describe('Notion item metadata against the strict fake Notion: renamed parents, restored pages', () => {
	let notion: FakeNotion;
	let client: Client;
	let store: ConnectorStore;
	let removeStore: () => Promise<void>;

	beforeEach(async () => {
		notion = await startFakeNotion({ requestsPerSecond: Infinity });
		client = testClient(notion);
		({ store, remove: removeStore } = await temporaryStore());
	});

	afterEach(async () => {
		expect(notion.internalErrors).toEqual([]);
		await removeStore();
		await notion.close();
	});

	/** One run as the pipeline makes it at `at`: list, check, then commit what Check let through. */
	async function checkedRun(source: NotionSource, at: string): Promise<CheckedItem[]> {
		notion.setNow(at);
		const listed = await listRun(store, client, source, { account: ACCOUNT, commit: false });
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
});
