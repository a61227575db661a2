import { CacheError } from '../../../../lib/store';
import { item, items, OTHER_SOURCE, SOURCE } from '../helpers';
import { changeById, emitted, listRun, type StoreContract } from './support';

export function checkAndCommit({ open }: StoreContract): void {
	describe('check and commit', () => {
		it('classifies every item of a first run as new, and as unchanged once committed', async () => {
			const store = await open();
			const first = await listRun(store, items(5), 'c1');
			const checked = await store.items.check(first.items);
			expect(checked.map((result) => [result.change, result.reason])).toEqual(Array(5).fill(['new', 'not_in_cache']));
			expect((await store.items.commit(emitted(checked).map((result) => result.item))).committed).toBe(5);

			const second = await listRun(store, items(5), 'c2');
			expect((await store.items.check(second.items)).map((result) => [result.change, result.reason])).toEqual(
				Array(5).fill(['unchanged', 'same_version']),
			);
		});

		it('routes an edited item to Changed and a removed one to Deleted on the next run', async () => {
			const store = await open();
			const first = await listRun(store, items(3), 'c1');
			await store.items.commit((await store.items.check(first.items)).map((result) => result.item));

			const second = await listRun(
				store,
				[item('file-0'), item('file-1', { version: '2', hash: 'md5-edited-2' }), item('file-2', { change: 'deleted' })],
				'c2',
			);
			const checked = await store.items.check(second.items);
			expect(changeById(checked)).toEqual({ 'file-0': 'unchanged', 'file-1': 'changed', 'file-2': 'deleted' });
			expect(checked[1].reason).toBe('hash_changed');
		});

		it('records a committed deletion, so a repeated deletion is unchanged and a reappearance is new', async () => {
			const store = await open();
			await store.items.commit([item('file-0')]);
			const deletion = item('file-0', { change: 'deleted' });
			expect((await store.items.check([deletion]))[0].change).toBe('deleted');
			await store.items.commit([deletion]);

			expect((await store.items.check([deletion]))[0]).toMatchObject({ change: 'unchanged', reason: 'already_deleted' });
			expect((await store.items.check([item('file-0')]))[0]).toMatchObject({ change: 'new', reason: 'restored_after_deletion' });
			expect((await store.status(SOURCE))[0]).toMatchObject({ itemsKnown: 0, itemsDeleted: 1 });
		});

		it('routes a deletion of an item it never ingested to Unchanged', async () => {
			const store = await open();
			expect((await store.items.check([item('ghost', { change: 'deleted' })]))[0]).toMatchObject({
				change: 'unchanged',
				reason: 'nothing_to_delete',
			});
		});

		it('keeps results in input order across transaction batches', async () => {
			const store = await open({ batchSize: 7 });
			const list = items(50);
			await store.items.commit(list.filter((_, index) => index % 2 === 0));
			const checked = await store.items.check(list);
			expect(checked.map((result) => result.item.external_id)).toEqual(list.map((entry) => entry.external_id));
			expect(checked.map((result) => result.change)).toEqual(list.map((_, index) => (index % 2 === 0 ? 'unchanged' : 'new')));
		});

		it('records an item committed without a check, and committing it twice keeps one row', async () => {
			const store = await open();
			expect((await store.items.commit([item('file-0')])).committed).toBe(1);
			expect((await store.items.commit([item('file-0')])).committed).toBe(1);
			expect((await store.status(SOURCE))[0].itemsKnown).toBe(1);
			expect((await store.items.check([item('file-0')]))[0].change).toBe('unchanged');
		});

		it('judges by exported content once both the store and the item have a content hash', async () => {
			const store = await open();
			await store.items.commit([item('doc', { content_hash: 'sha-1' })]);
			expect((await store.items.check([item('doc', { version: '9', content_hash: 'sha-1' })]))[0]).toMatchObject({
				change: 'unchanged',
				reason: 'same_content',
			});
			expect((await store.items.check([item('doc', { content_hash: 'sha-2' })]))[0]).toMatchObject({
				change: 'changed',
				reason: 'content_changed',
			});
		});

		it('tracks the same external id in two sources separately', async () => {
			const store = await open();
			await store.items.commit([item('shared-id')]);
			expect((await store.items.check([item('shared-id', { source_key: OTHER_SOURCE, provider: 'notion' })]))[0].change).toBe('new');
		});

		it('rejects an item without a source_key, naming its position', async () => {
			const store = await open();
			const broken = { ...item('x'), source_key: '' };
			await expect(store.items.check([item('ok'), broken])).rejects.toThrow(/Item 1 has no source_key/);
			await expect(store.items.check([broken])).rejects.toThrow(CacheError);
		});
	});
}
