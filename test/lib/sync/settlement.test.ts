import type { ConnectorItem } from '../../../lib/items';
import type { ConnectorStore, ReleaseOptions } from '../../../lib/store';
import { settleFailed, settleSkipped, type SkippedItem } from '../../../lib/sync';
import { FakeProvider } from './fakeProvider';

describe('settlement', () => {
	const fake = new FakeProvider().put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' }).put('c', { path: '/c.txt' });
	let releases: Array<{ ids: string[]; options: ReleaseOptions }>;
	let store: ConnectorStore;

	beforeEach(() => {
		releases = [];
		const release = async (items: readonly ConnectorItem[], options: ReleaseOptions) => {
			releases.push({ ids: items.map((item) => item.external_id), options });
			return { released: items.length, promotedSources: [] };
		};
		store = { items: { release } } as unknown as ConnectorStore;
	});

	const skipped = (id: string, skipReason: string): SkippedItem => ({
		...fake.item(id),
		skip_reason: skipReason,
		skip_detail: `${id} refused`,
	});

	it('releases skipped items as skipped once per reason, with the scope given', async () => {
		await settleSkipped(store, [skipped('a', 'policy_path'), skipped('b', 'policy_size'), skipped('c', 'policy_path')], { runId: 7 });
		expect(releases).toEqual([
			{ ids: ['a', 'c'], options: { runId: 7, outcome: 'skipped', reason: 'policy_path' } },
			{ ids: ['b'], options: { runId: 7, outcome: 'skipped', reason: 'policy_size' } },
		]);
	});

	it('releases failed items one at a time as failed, with their message', async () => {
		await settleFailed(store, [
			{ item: fake.item('a'), message: 'quota exceeded' },
			{ item: fake.item('b'), message: 'timed out' },
		], 'exec-1');
		expect(releases).toEqual([
			{ ids: ['a'], options: { outcome: 'failed', reason: 'quota exceeded', executionId: 'exec-1' } },
			{ ids: ['b'], options: { outcome: 'failed', reason: 'timed out', executionId: 'exec-1' } },
		]);
	});

	it('leaves out items the store cannot key, such as ones built by hand without a source key', async () => {
		await settleSkipped(store, [{ ...skipped('a', 'policy_path'), source_key: '' }, skipped('b', 'policy_path')], { executionId: 'exec-1' });
		await settleFailed(store, [{ item: { ...fake.item('c'), external_id: undefined as unknown as string }, message: 'boom' }]);
		expect(releases).toEqual([{ ids: ['b'], options: { executionId: 'exec-1', outcome: 'skipped', reason: 'policy_path' } }]);
	});

	it('asks the store for nothing when nothing is to be settled', async () => {
		await settleSkipped(store, [], { runId: 7 });
		await settleFailed(store, []);
		expect(releases).toEqual([]);
	});
});
