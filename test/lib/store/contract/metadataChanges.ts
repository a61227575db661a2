import { item } from '../helpers';
import { emitted, listRun, type StoreContract } from './support';

const reader = { type: 'user', email: 'ann@example.com', role: 'reader' };
const domain = { type: 'domain', domain: 'example.com', role: 'reader' };

export function metadataChanges({ open }: StoreContract): void {
	describe('metadata-only changes', () => {
		it('routes a renamed parent folder (same version, new path) to Changed without a content change, once', async () => {
			const store = await open();
			const first = await listRun(store, [item('doc', { permissions: [reader] })], 'c1');
			await store.items.commit(emitted(await store.items.check(first.items)).map((result) => result.item));

			const moved = item('doc', { path: '/handbook/doc.txt', permissions: [reader] });
			const second = await listRun(store, [moved], 'c2');
			const [checked] = await store.items.check(second.items);
			expect(checked).toMatchObject({ change: 'changed', reason: 'metadata_changed', contentChanged: false, changedFields: ['path'] });
			await store.items.commit([checked.item]);
			expect(await store.cursors.committed(checked.item.source_key)).toBe('c2');

			const third = await listRun(store, [moved], 'c3');
			expect((await store.items.check(third.items))[0]).toMatchObject({ change: 'unchanged', reason: 'same_version' });
		});

		it('records the permissions committed, so new sharing routes to Changed and the same sharing does not', async () => {
			const store = await open();
			await store.items.commit([item('doc', { permissions: [reader] })]);
			const [same] = await store.items.check([item('doc', { permissions: [reader] })]);
			expect(same.change).toBe('unchanged');
			const [shared] = await store.items.check([item('doc', { version: '2', permissions: [domain, reader] })]);
			expect(shared).toMatchObject({ change: 'changed', contentChanged: false, changedFields: ['permissions'] });
			await store.items.commit([shared.item]);
			expect((await store.items.check([item('doc', { version: '2', permissions: [reader, domain] })]))[0].change).toBe('unchanged');
		});

		it('hands on the content hash already ingested with a metadata-only change, and keeps it once committed', async () => {
			const store = await open();
			await store.items.commit([item('doc', { content_hash: 'sha-1' })]);
			const [renamed] = await store.items.check([item('doc', { version: '2', name: 'Doc (final).txt' })]);
			expect(renamed).toMatchObject({ contentChanged: false, changedFields: ['name'], indexedContentHash: 'sha-1' });
			await store.items.commit([{ ...renamed.item, content_hash: renamed.indexedContentHash }]);
			const [again] = await store.items.check([item('doc', { version: '2', name: 'Doc (final).txt', content_hash: 'sha-1' })]);
			expect(again).toMatchObject({ change: 'unchanged', reason: 'same_content' });
		});

		it('routes a content change with its metadata changes as a content change', async () => {
			const store = await open();
			await store.items.commit([item('doc')]);
			const [edited] = await store.items.check([item('doc', { version: '2', hash: 'md5-2', name: 'new.txt' })]);
			expect(edited).toMatchObject({ change: 'changed', reason: 'hash_changed', contentChanged: true, changedFields: ['name'] });
		});
	});

	describe('failed items released for the next run', () => {
		it('come again on the next run at once, not after the lease, and the cursor moves only when they are in', async () => {
			const store = await open();
			const first = await listRun(store, [item('a'), item('b')], 'c1');
			const checked = await store.items.check(first.items);
			await store.items.commit([checked[0].item]);
			await store.items.release([checked[1].item], { outcome: 'failed', reason: 'index answered 503' });
			expect(await store.cursors.committed(checked[0].item.source_key)).toBeNull();

			// The next run lists both again (the cursor did not move): only the failed one is sent again.
			const retry = await listRun(store, [item('a'), item('b')], 'c2');
			const again = await store.items.check(retry.items);
			expect(again.map((result) => [result.item.external_id, result.change])).toEqual([
				['a', 'unchanged'],
				['b', 'new'],
			]);
			await store.items.commit([again[1].item]);
			expect(await store.cursors.committed(again[1].item.source_key)).toBe('c2');
			const run = await store.runs.get(first.runId);
			expect(run).toMatchObject({ counts: expect.objectContaining({ failed: 1 }), errors: ['b: index answered 503'] });
		});

		it('are not sent twice by two runs overlapping after the release', async () => {
			const store = await open();
			const first = await listRun(store, [item('a')], 'c1');
			await store.items.release((await store.items.check(first.items)).map((result) => result.item), { outcome: 'failed', reason: 'timeout' });
			const one = await listRun(store, [item('a')], 'c2');
			const two = await listRun(store, [item('a')], 'c3');
			const [fromOne] = await store.items.check(one.items);
			const [fromTwo] = await store.items.check(two.items);
			expect([fromOne.change, fromTwo.change]).toEqual(['new', 'unchanged']);
			expect(fromTwo.reason).toBe('claimed_by_other_run');
		});
	});
}
