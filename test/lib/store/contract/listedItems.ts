import { item, OTHER_SOURCE, SOURCE } from '../helpers';
import type { StoreContract } from './support';

export function listedItems({ open }: StoreContract): void {
	describe('listed items', () => {
		it('gives back what the source listing emitted of each id, and nothing for ids it never listed', async () => {
			const store = await open();
			await store.listed.record(SOURCE, 'google_drive', [item('file-1', { path: '/HR/salaries.xlsx', name: 'salaries.xlsx', mime: 'application/vnd.ms-excel', size: 42 })]);
			const found = await store.listed.lookup('google_drive', SOURCE, ['file-1', 'crafted']);
			expect([...found.keys()]).toEqual(['file-1']);
			expect(found.get('file-1')).toEqual({
				externalId: 'file-1',
				name: 'salaries.xlsx',
				path: '/HR/salaries.xlsx',
				mime: 'application/vnd.ms-excel',
				size: 42,
				version: '1',
			});
		});

		it('keeps the newest listing of an item and forgets one listed as deleted', async () => {
			const store = await open();
			await store.listed.record(SOURCE, 'google_drive', [item('file-1'), item('file-2')]);
			await store.listed.record(SOURCE, 'google_drive', [
				item('file-1', { path: '/HR/file-1.txt', version: '2' }),
				item('file-2', { change: 'deleted' }),
			]);
			const found = await store.listed.lookup('google_drive', SOURCE, ['file-1', 'file-2']);
			expect(found.get('file-1')).toMatchObject({ path: '/HR/file-1.txt', version: '2' });
			expect(found.has('file-2')).toBe(false);
		});

		it('answers only for the source and provider asked about', async () => {
			const store = await open();
			await store.listed.record(SOURCE, 'google_drive', [item('file-1')]);
			expect((await store.listed.lookup('google_drive', OTHER_SOURCE, ['file-1'])).size).toBe(0);
			expect((await store.listed.lookup('notion', SOURCE, ['file-1'])).size).toBe(0);
		});

		it('drops the listed items of a source when the source is forgotten', async () => {
			const store = await open();
			await store.listed.record(SOURCE, 'google_drive', [item('file-1')]);
			await store.forget(SOURCE);
			expect((await store.listed.lookup('google_drive', SOURCE, ['file-1'])).size).toBe(0);
		});
	});
}
