import { item, items, SOURCE } from '../helpers';
import { emitted, listRun, type StoreContract } from './support';

export function overlappingRuns(contract: StoreContract): void {
	const { open } = contract;

	describe('overlapping runs', () => {
		it('emits a new version only to the first of two overlapping runs', async () => {
			const store = await open();
			const first = await listRun(store, items(3), 'a');
			const second = await listRun(store, items(3), 'b');
			expect((await store.items.check(first.items)).map((result) => result.change)).toEqual(['new', 'new', 'new']);
			const late = await store.items.check(second.items);
			expect(late.map((result) => [result.change, result.reason, result.claimedByRunId])).toEqual(
				Array(3).fill(['unchanged', 'claimed_by_other_run', first.runId]),
			);
		});

		it('sees the same from two stores over the same state, as two processes would', async () => {
			const one = await open();
			const two = await open();
			const first = await listRun(one, items(2), 'a');
			const second = await listRun(two, items(2), 'b');
			expect(emitted(await one.items.check(first.items))).toHaveLength(2);
			expect(emitted(await two.items.check(second.items))).toHaveLength(0);
		});

		it('commits the later run’s cursor once the earlier run commits the versions both saw', async () => {
			const store = await open();
			const first = await listRun(store, items(2), 'a');
			const second = await listRun(store, items(2), 'b');
			const checked = await store.items.check(first.items);
			await store.items.check(second.items);
			expect(await store.cursors.committed(SOURCE)).toBeNull();

			expect((await store.items.commit(checked.map((result) => result.item))).promotedSources).toEqual([SOURCE]);
			expect(await store.cursors.committed(SOURCE)).toBe('b');
		});

		it('keeps the later run’s cursor back while the earlier run has not committed what it saw', async () => {
			const store = await open();
			const first = await listRun(store, items(2), 'a');
			const second = await listRun(store, [...items(2), item('file-new')], 'b');
			await store.items.check(first.items);
			const checked = await store.items.check(second.items);
			await store.items.commit(emitted(checked).map((result) => result.item));
			expect(await store.cursors.committed(SOURCE)).toBeNull();
		});

		it('lets a run emit a newer version of an item another run is still ingesting', async () => {
			const store = await open();
			await store.items.check((await listRun(store, [item('doc', { version: '1' })], 'a')).items);
			const newer = await store.items.check((await listRun(store, [item('doc', { version: '2', hash: 'md5-edited-2' })], 'b')).items);
			expect(newer[0].change).toBe('new');
		});

		it('hands a claim to another run once its lease has expired', async () => {
			const store = await open({ leaseMs: 60_000 });
			await store.items.check((await listRun(store, items(1), 'a')).items);
			contract.clock.advance(59_999);
			expect((await store.items.check((await listRun(store, items(1), 'b')).items))[0].reason).toBe('claimed_by_other_run');
			contract.clock.advance(2);
			expect((await store.items.check((await listRun(store, items(1), 'c')).items))[0].change).toBe('new');
		});

		it('uses the lease passed to check over the configured one', async () => {
			const store = await open();
			await store.items.check((await listRun(store, items(1), 'a')).items, { leaseMs: 1000 });
			contract.clock.advance(1001);
			expect((await store.items.check((await listRun(store, items(1), 'b')).items))[0].change).toBe('new');
		});

		it('does not let an older run overwrite a version a newer run already committed', async () => {
			const store = await open();
			const older = await listRun(store, [item('doc', { version: '1' })], 'a');
			const newer = await listRun(store, [item('doc', { version: '2', hash: 'md5-edited-2' })], 'b');
			const olderChecked = await store.items.check(older.items);
			await store.items.commit((await store.items.check(newer.items)).map((result) => result.item));

			expect(await store.items.commit(olderChecked.map((result) => result.item))).toMatchObject({ committed: 0, superseded: 1 });
			expect((await store.items.check([item('doc', { version: '2', hash: 'md5-edited-2' })]))[0].change).toBe('unchanged');
			expect(await store.cursors.committed(SOURCE)).toBe('b');
		});
	});
}
