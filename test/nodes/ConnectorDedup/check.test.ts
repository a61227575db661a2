import { useCacheFile } from '../cacheFile';
import { checkAndCommit, dedup, ids, listed } from './dedup';

describe('Connector Dedup check', () => {
	useCacheFile();

	it('sends items never ingested to New, each with its change and the run that claimed it', async () => {
		const [fresh, changed, unchanged, deleted] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e1' });
		expect(ids(fresh)).toEqual(['a', 'b']);
		expect([changed, unchanged, deleted]).toEqual([[], [], []]);
		expect(fresh.map((item) => item.json.change)).toEqual(['new', 'new']);
		expect(fresh[0].json.run_id).toEqual(expect.any(Number));
		expect(fresh[1].json.run_id).toBe(fresh[0].json.run_id);
		expect(fresh.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fresh[0].json).toMatchObject({ name: 'a.txt', path: '/docs/a.txt', version: '1' });
	});

	it('routes each item to New, Changed, Unchanged or Deleted against what was last committed', async () => {
		await checkAndCommit([listed('same'), listed('edited'), listed('gone')], 'e1');
		const [fresh, changed, unchanged, deleted] = await dedup('check', {
			executionId: 'e2',
			items: [
				listed('same'),
				listed('edited', { version: '2', hash: 'md5-edited-2' }),
				listed('gone', { change: 'deleted' }),
				listed('added'),
			],
		});
		expect([ids(fresh), ids(changed), ids(unchanged), ids(deleted)]).toEqual([['added'], ['edited'], ['same'], ['gone']]);
		expect([fresh, changed, unchanged, deleted].map((output) => output[0].json.change)).toEqual(['new', 'changed', 'unchanged', 'deleted']);
		expect(changed[0].pairedItem).toEqual({ item: 1 });
		expect(deleted[0].pairedItem).toEqual({ item: 2 });
	});

	it('says on New and Changed items whether their content changed and which metadata did', async () => {
		await checkAndCommit([listed('moved'), listed('edited')].map((item) => ({ json: { ...item.json, content_hash: `sha-${String(item.json.external_id)}` } })), 'e1');
		const [fresh, changed] = await dedup('check', {
			executionId: 'e2',
			items: [listed('moved', { path: '/handbook/moved.txt' }), listed('edited', { version: '2', hash: 'md5-edited-2' }), listed('added')],
		});
		expect(fresh[0].json).toMatchObject({ external_id: 'added', content_changed: true, changed_fields: [] });
		expect(changed.map((item) => [item.json.external_id, item.json.content_changed, item.json.changed_fields])).toEqual([
			['moved', false, ['path']],
			['edited', true, []],
		]);
		// The content already indexed is the moved item's content: its hash goes on with it.
		expect(changed[0].json.content_hash).toBe('sha-moved');
		expect(changed[1].json.content_hash).toBeUndefined();
	});

	it('finds the same version Unchanged once it was committed', async () => {
		await checkAndCommit([listed('a')], 'e1');
		const [fresh, , unchanged] = await dedup('check', { items: [listed('a')], executionId: 'e2' });
		expect(fresh).toEqual([]);
		expect(unchanged.map((item) => [item.json.external_id, item.json.change])).toEqual([['a', 'unchanged']]);
		expect(unchanged[0].json.unchanged_reason).toBeUndefined();
	});

	it('keeps the binaries an item arrives with', async () => {
		const binary = { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } };
		const [fresh] = await dedup('check', { items: [{ ...listed('a'), binary }] });
		expect(fresh[0].binary).toBe(binary);
	});

	it('does not emit a version another execution is still ingesting, and says why', async () => {
		await dedup('check', { items: [listed('a')], executionId: 'e1' });
		const [fresh, , unchanged] = await dedup('check', { items: [listed('a')], executionId: 'e2' });
		expect(fresh).toEqual([]);
		expect(unchanged[0].json).toMatchObject({ external_id: 'a', change: 'unchanged', unchanged_reason: 'claimed_by_other_run' });
	});

	it('emits the version again once the claim lease of an execution that never committed is over', async () => {
		await dedup('check', { items: [listed('a')], executionId: 'e1', parameters: { checkOptions: { leaseMinutes: 0.001 } } });
		await new Promise((resolve) => setTimeout(resolve, 120));
		const [fresh] = await dedup('check', { items: [listed('a')], executionId: 'e2' });
		expect(ids(fresh)).toEqual(['a']);
	});
});
