import type { ConnectorItem } from '../../../lib/items';
import type { DriveSource } from '../../../lib/providers/googleDrive';
import type { CheckedItem } from '../../../lib/store';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { listingRuns, testConnection, type DriveListingRuns } from './helpers';

const ACCOUNT = 'alice@example.com';
const WITH_PERMISSIONS = { options: { permissions: true } };

describe('Drive item metadata against the strict fake Drive: permissions, metadata-only changes, restores', () => {
	let google: FakeGoogle;
	let runs: DriveListingRuns;

	beforeEach(async () => {
		google = await startFakeGoogle();
		runs = await listingRuns(google, testConnection(google), ACCOUNT);
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await runs.close();
		await google.close();
	});

	const folder = (folderId: string): DriveSource => ({ kind: 'folder', folderId, recursive: true });

	/** One run as the pipeline makes it: list, check, then commit what Check let through. */
	async function checkedRun(source: DriveSource, permissions = true): Promise<CheckedItem[]> {
		const listed = await runs.run(source, { commit: false, options: { permissions } });
		const checked = await runs.store.items.check(listed.items);
		await runs.store.items.commit(checked.filter((result) => result.change !== 'unchanged').map((result) => result.item));
		return checked;
	}

	const routes = (checked: CheckedItem[]) =>
		checked.map((result) => [result.item.path, result.change, result.contentChanged ?? null, result.changedFields ?? null]);

	describe('permissions', () => {
		it('come with every file the account can share, in the listing requests themselves', async () => {
			const root = google.addFolder({ name: 'Root' });
			const plan = google.addFile({ name: 'plan.txt', parent: root.id, mimeType: 'text/plain', content: 'plan' });
			google.share(plan.id, { type: 'group', role: 'writer', emailAddress: 'eng@example.com' });
			google.share(plan.id, { type: 'domain', role: 'reader', domain: 'example.com', allowFileDiscovery: true });
			google.share(plan.id, { type: 'anyone', role: 'reader', allowFileDiscovery: false });
			google.share(plan.id, { type: 'user', role: 'commenter', emailAddress: 'gone@example.com', deleted: true });
			google.addFile({ name: 'readonly.txt', parent: root.id, mimeType: 'text/plain', content: 'r', canShare: false });

			const result = await runs.run(folder(root.id), WITH_PERMISSIONS);
			const byName = Object.fromEntries(result.items.map((item) => [item.name, item]));
			expect(byName['plan.txt'].permissions).toEqual([
				{ type: 'user', role: 'owner', email: ACCOUNT },
				{ type: 'group', role: 'writer', email: 'eng@example.com' },
				{ type: 'domain', role: 'reader', domain: 'example.com', with_link: false },
				{ type: 'anyone', role: 'reader', with_link: true },
			]);
			// Drive answers no permissions for a file the account may not share: the item says nothing rather than "nobody".
			expect(byName['readonly.txt']).not.toHaveProperty('permissions');
			expect(google.driveRequests().filter((request) => request.path.endsWith('/files')).every((request) => String(request.query.fields).includes('permissions('))).toBe(true);
		});

		it('are left out for shared-drive items, whose members Drive lists only per file, and not asked for there', async () => {
			const team = google.addSharedDrive({ name: 'Team' });
			const docs = google.addFolder({ name: 'Docs', parent: team.id });
			google.addFile({ name: 'a.txt', parent: docs.id, mimeType: 'text/plain', content: 'a' });
			for (const source of [{ kind: 'sharedDrive', driveId: team.id }, folder(docs.id)] as DriveSource[]) {
				const result = await runs.run(source, WITH_PERMISSIONS);
				expect(result.items.map((item) => item.name)).toEqual(['a.txt']);
				expect(result.items[0]).not.toHaveProperty('permissions');
				// Drive would never fill them there, and asking would cost pages of 100 instead of 1,000.
				expect(google.driveRequests().some((request) => String(request.query.fields).includes('permissions'))).toBe(false);
			}
		});

		it('are not asked for when switched off', async () => {
			const root = google.addFolder({ name: 'Root' });
			google.addFile({ name: 'a.txt', parent: root.id, mimeType: 'text/plain', content: 'a' });
			const result = await runs.run(folder(root.id), { options: { permissions: false } });
			expect(result.items[0]).not.toHaveProperty('permissions');
			expect(google.driveRequests().some((request) => String(request.query.fields).includes('permissions'))).toBe(false);
		});

		it('cost Drive pages of 100 files instead of 1,000: requests per 1,000 files, on and off', async () => {
			const root = google.addFolder({ name: 'Root' });
			for (let index = 0; index < 1000; index++) google.addFile({ name: `f${index}.txt`, parent: root.id, mimeType: 'text/plain', content: `${index}` });
			const off = await runs.run(folder(root.id), { options: { permissions: false } });
			const offRequests = google.driveRequests().length;
			await runs.store.forget(off.items[0].source_key);
			const on = await runs.run(folder(root.id), WITH_PERMISSIONS);
			const onRequests = google.driveRequests().length;
			expect([off.items.length, on.items.length]).toEqual([1000, 1000]);
			// files.get of the root, the start token, then the children pages: 1 page off, 10 pages on.
			expect([offRequests, onRequests]).toEqual([3, 12]);
			// Unchanged since: one changes request either way.
			await runs.run(folder(root.id), WITH_PERMISSIONS);
			expect(google.driveRequests()).toHaveLength(1);
		});
	});

	describe('metadata-only changes', () => {
		it('re-emit the files under a renamed folder with their new paths, and Check routes them Changed without a content change', async () => {
			const root = google.addFolder({ name: 'Root' });
			const policies = google.addFolder({ name: 'Policies', parent: root.id });
			const deeper = google.addFolder({ name: 'HR', parent: policies.id });
			google.addFile({ name: 'leave.pdf', parent: deeper.id, mimeType: 'application/pdf', content: '%PDF-leave' });
			google.addFile({ name: 'top.txt', parent: root.id, mimeType: 'text/plain', content: 'top' });
			await checkedRun(folder(root.id));

			google.rename(policies.id, 'Handbook');
			expect(routes(await checkedRun(folder(root.id)))).toEqual([['/Handbook/HR/leave.pdf', 'changed', false, ['path']]]);
			// Committed: the next run finds nothing to do.
			expect(await checkedRun(folder(root.id))).toEqual([]);
		});

		it('route a renamed file, a moved file and new sharing to Changed without a content change, and an edit with one', async () => {
			const root = google.addFolder({ name: 'Root' });
			const archive = google.addFolder({ name: 'Archive', parent: root.id });
			const renamed = google.addFile({ name: 'draft.pdf', parent: root.id, mimeType: 'application/pdf', content: '%PDF-1' });
			const moved = google.addFile({ name: 'old.pdf', parent: root.id, mimeType: 'application/pdf', content: '%PDF-2' });
			const shared = google.addFile({ name: 'plan.pdf', parent: root.id, mimeType: 'application/pdf', content: '%PDF-3' });
			const edited = google.addFile({ name: 'notes.txt', parent: root.id, mimeType: 'text/plain', content: 'v1' });
			await checkedRun(folder(root.id));

			google.rename(renamed.id, 'final.pdf');
			google.move(moved.id, archive.id);
			google.share(shared.id, { type: 'domain', role: 'reader', domain: 'example.com', allowFileDiscovery: false });
			google.editContent(edited.id, 'v2');
			expect(routes(await checkedRun(folder(root.id)))).toEqual([
				['/Archive/old.pdf', 'changed', false, ['path']],
				['/final.pdf', 'changed', false, ['name', 'path']],
				['/notes.txt', 'changed', true, []],
				['/plan.pdf', 'changed', false, ['permissions']],
			]);
		});
	});

	describe('restores', () => {
		it('bring a file back from the trash, or moved back into the source, as New after its deletion was committed', async () => {
			const root = google.addFolder({ name: 'Root' });
			const elsewhere = google.addFolder({ name: 'Elsewhere' });
			const trashed = google.addFile({ name: 'trashed.txt', parent: root.id, mimeType: 'text/plain', content: 't' });
			const wandered = google.addFile({ name: 'wandered.txt', parent: root.id, mimeType: 'text/plain', content: 'w' });
			await checkedRun(folder(root.id));

			google.trash(trashed.id);
			google.move(wandered.id, elsewhere.id);
			expect(routes(await checkedRun(folder(root.id)))).toEqual([
				['/trashed.txt', 'deleted', null, null],
				['/wandered.txt', 'deleted', null, null],
			]);

			google.untrash(trashed.id);
			google.move(wandered.id, root.id);
			const restored = await checkedRun(folder(root.id));
			expect(restored.map((result) => [result.item.path, result.change, result.reason])).toEqual([
				['/trashed.txt', 'new', 'restored_after_deletion'],
				['/wandered.txt', 'new', 'restored_after_deletion'],
			]);
			expect(restored.every((result: CheckedItem<ConnectorItem>) => result.item.change === 'upsert')).toBe(true);
		});
	});
});
