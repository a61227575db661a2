import type { ConnectorItem } from '../../../lib/items';
import { sharedStore } from '../../../lib/store';
import { useCacheFile } from '../cacheFile';
import { OTHER_SOURCE, SOURCE, checkAndCommit, dedup, ids, listed } from './dedup';

describe('Connector Dedup status and forget', () => {
	useCacheFile();

	beforeEach(async () => {
		await checkAndCommit([listed('a'), listed('b')], 'e1');
		await checkAndCommit([listed('page-1', { provider: 'notion', source_key: OTHER_SOURCE })], 'e1');
	});

	describe('status', () => {
		it('lists every source of the workflow, with its items and the cache driver', async () => {
			const [sources] = await dedup('status', { parameters: { sourceKey: '' } });
			const { driver } = await sharedStore();
			expect(driver).toMatch(/^(better-sqlite3|node:sqlite)$/);
			expect(sources.map((source) => [source.json.source_key, source.json.provider, source.json.items_known, source.json.cache_driver]).sort()).toEqual([
				[SOURCE, 'google_drive', 2, driver],
				[OTHER_SOURCE, 'notion', 1, driver],
			].sort());
			expect(sources[0].json).toMatchObject({ items_deleted: 0, items_in_flight: 0, last_error: null, org_policy: expect.any(Object) });
			expect(sources.map((source) => source.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		});

		it("shows the last run's skips per reason and notes per code", async () => {
			const [[checked]] = await dedup('check', { items: [listed('c')], executionId: 'e3' });
			const store = await sharedStore();
			await store.items.release([checked.json as unknown as ConnectorItem], { outcome: 'skipped', reason: 'policy_size', executionId: 'e3' });
			await store.items.note([listed('d').json as unknown as ConnectorItem], { code: 'markdown_forbidden', executionId: 'e3' });
			const [sources] = await dedup('status', { parameters: { sourceKey: SOURCE } });
			expect(sources[0].json).toMatchObject({
				last_run_skipped_by_reason: { policy_size: 1 },
				last_run_noted_by_reason: { markdown_forbidden: 1 },
			});
		});

		it('answers for one source when Source Key names it', async () => {
			const [sources] = await dedup('status', { parameters: { sourceKey: ` ${OTHER_SOURCE} ` } });
			expect(sources.map((source) => source.json.source_key)).toEqual([OTHER_SOURCE]);
		});

		it('refuses a source the cache does not know as it refuses another workflow\'s, revealing neither', async () => {
			await expect(dedup('status', { parameters: { sourceKey: 'google_drive:bob@example.com:my_drive' } })).rejects.toMatchObject({
				message: 'Source google_drive:bob@example.com:my_drive is not a source of this workflow (workflow-1)',
			});
		});

		it('still answers when the org policy cannot be read, saying why', async () => {
			process.env.ORG_CONNECTORS_MAX_FILE_SIZE_MB = 'huge';
			try {
				const [sources] = await dedup('status', { parameters: { sourceKey: SOURCE } });
				expect(sources[0].json.org_policy).toEqual({ error: expect.stringMatching(/ORG_CONNECTORS_MAX_FILE_SIZE_MB/) });
			} finally {
				delete process.env.ORG_CONNECTORS_MAX_FILE_SIZE_MB;
			}
		});
	});

	describe('forget', () => {
		it.each(['', '   '])('refuses an empty Source Key (%p), pointing at Status for the keys', async (sourceKey) => {
			await expect(dedup('forget', { parameters: { sourceKey } })).rejects.toMatchObject({
				message: 'Source Key is empty',
				description: "Name the source to forget; Status lists this workflow's source keys.",
			});
			expect(await (await sharedStore()).status()).toHaveLength(2);
		});

		it('drops the source, its items and runs, and leaves the others', async () => {
			const [[forgotten]] = await dedup('forget', { parameters: { sourceKey: SOURCE } });
			expect(forgotten.json).toEqual({
				source_key: SOURCE,
				items_removed: 2,
				runs_removed: expect.any(Number),
				claims_removed: 0,
				cursor_removed: false,
			});
			expect(forgotten.json.runs_removed).toBeGreaterThan(0);
			const [sources] = await dedup('status', { parameters: { sourceKey: '' } });
			expect(sources.map((source) => source.json.source_key)).toEqual([OTHER_SOURCE]);
		});

		it('makes the next check import the forgotten source again', async () => {
			await dedup('forget', { parameters: { sourceKey: SOURCE } });
			const [fresh] = await dedup('check', { items: [listed('a'), listed('b')], executionId: 'e2' });
			expect(ids(fresh)).toEqual(['a', 'b']);
		});

		it('refuses a source the cache does not know, as any source that is not the workflow\'s', async () => {
			await expect(dedup('forget', { parameters: { sourceKey: 'notion:elsewhere:database:1' } })).rejects.toMatchObject({
				message: 'Source notion:elsewhere:database:1 is not a source of this workflow (workflow-1)',
			});
		});
	});
});
