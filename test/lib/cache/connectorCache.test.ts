import { join } from 'node:path';

import {
	CacheError,
	type CheckedItem,
	type ConnectorCache,
	type ConnectorCacheOptions,
	DEFAULT_LEASE_MS,
	sharedConnectorCache,
} from '../../../lib/cache';
import type { ConnectorItem } from '../../../lib/items';
import { collectClosedHandles, DRIVERS, item, items, manualClock, OTHER_SOURCE, openTestCache, SOURCE, useTempDir } from './helpers';

collectClosedHandles();

const changeById = (results: CheckedItem[]) =>
	Object.fromEntries(results.map((result) => [result.item.external_id, result.change]));

const emitted = (results: CheckedItem[]) => results.filter((result) => result.change !== 'unchanged');

/** What listChanges hands on: items stamped with the run that listed them. */
const stamped = (runId: number, list: ConnectorItem[]) => list.map((entry) => ({ ...entry, run_id: runId }));

describe.each(DRIVERS)('ConnectorCache with %s', (driverName) => {
	const tempDir = useTempDir();
	let clock = manualClock();
	const opened: ConnectorCache[] = [];
	const open = (options: ConnectorCacheOptions = {}) => {
		const cache = openTestCache(tempDir(), driverName, { now: clock.now, ...options });
		opened.push(cache);
		return cache;
	};
	beforeEach(() => {
		clock = manualClock();
	});
	afterEach(() => {
		while (opened.length > 0) opened.pop()?.close();
	});

	/** One listChanges run: start, stamp, propose. */
	const listRun = (cache: ConnectorCache, list: ConnectorItem[], cursor: string, sourceKey = SOURCE) => {
		const runId = cache.startRun({ sourceKey, provider: 'google_drive', executionId: `exec-${cursor}` });
		cache.proposeCursor(runId, sourceKey, cursor, { listedItems: list.length });
		return { runId, items: stamped(runId, list) };
	};

	it('reports which driver it uses and where its file is', () => {
		const cache = open();
		expect(cache.driverName).toBe(driverName);
		expect(cache.path).toBe(join(tempDir(), 'cache.sqlite'));
	});

	describe('check and commit', () => {
		it('classifies every item of a first run as new, and as unchanged once committed', () => {
			const cache = open();
			const first = listRun(cache, items(5), 'c1');
			const checked = cache.check(first.items);
			expect(checked.map((result) => [result.change, result.reason])).toEqual(
				Array(5).fill(['new', 'not_in_cache']),
			);
			expect(cache.commit(emitted(checked).map((result) => result.item)).committed).toBe(5);

			const second = listRun(cache, items(5), 'c2');
			expect(cache.check(second.items).map((result) => [result.change, result.reason])).toEqual(
				Array(5).fill(['unchanged', 'same_version']),
			);
		});

		it('routes an edited item to Changed and a removed one to Deleted on the next run', () => {
			const cache = open();
			const first = listRun(cache, items(3), 'c1');
			cache.commit(cache.check(first.items).map((result) => result.item));

			const second = listRun(
				cache,
				[item('file-0'), item('file-1', { version: '2' }), item('file-2', { change: 'deleted' })],
				'c2',
			);
			const checked = cache.check(second.items);
			expect(changeById(checked)).toEqual({ 'file-0': 'unchanged', 'file-1': 'changed', 'file-2': 'deleted' });
			expect(checked[1].reason).toBe('version_changed');
		});

		it('records a committed deletion, so a repeated deletion is unchanged and a reappearance is new', () => {
			const cache = open();
			cache.commit([item('file-0')]);
			const deletion = item('file-0', { change: 'deleted' });
			expect(cache.check([deletion])[0].change).toBe('deleted');
			cache.commit([deletion]);

			expect(cache.check([deletion])[0]).toMatchObject({ change: 'unchanged', reason: 'already_deleted' });
			expect(cache.check([item('file-0')])[0]).toMatchObject({ change: 'new', reason: 'restored_after_deletion' });
			expect(cache.status(SOURCE)[0]).toMatchObject({ itemsKnown: 0, itemsDeleted: 1 });
		});

		it('routes a deletion of an item it never ingested to Unchanged', () => {
			const cache = open();
			expect(cache.check([item('ghost', { change: 'deleted' })])[0]).toMatchObject({
				change: 'unchanged',
				reason: 'nothing_to_delete',
			});
		});

		it('keeps results in input order across transaction batches', () => {
			const cache = open({ batchSize: 7 });
			const list = items(50);
			cache.commit(list.filter((_, index) => index % 2 === 0));
			const checked = cache.check(list);
			expect(checked.map((result) => result.item.external_id)).toEqual(list.map((entry) => entry.external_id));
			expect(checked.map((result) => result.change)).toEqual(
				list.map((_, index) => (index % 2 === 0 ? 'unchanged' : 'new')),
			);
		});

		it('records an item committed without a check, and committing it twice keeps one row', () => {
			const cache = open();
			expect(cache.commit([item('file-0')]).committed).toBe(1);
			expect(cache.commit([item('file-0')]).committed).toBe(1);
			expect(cache.status(SOURCE)[0].itemsKnown).toBe(1);
			expect(cache.check([item('file-0')])[0].change).toBe('unchanged');
		});

		it('judges by exported content once both the cache and the item have a content hash', () => {
			const cache = open();
			cache.commit([item('doc', { content_hash: 'sha-1' })]);
			expect(cache.check([item('doc', { version: '9', content_hash: 'sha-1' })])[0]).toMatchObject({
				change: 'unchanged',
				reason: 'same_content',
			});
			expect(cache.check([item('doc', { content_hash: 'sha-2' })])[0]).toMatchObject({
				change: 'changed',
				reason: 'content_changed',
			});
		});

		it('tracks the same external id in two sources separately', () => {
			const cache = open();
			cache.commit([item('shared-id')]);
			expect(cache.check([item('shared-id', { source_key: OTHER_SOURCE, provider: 'notion' })])[0].change).toBe('new');
		});

		it('rejects an item without a source_key, naming its position', () => {
			const cache = open();
			const broken = { ...item('x'), source_key: '' };
			expect(() => cache.check([item('ok'), broken])).toThrow(/Item 1 has no source_key/);
			expect(() => cache.check([broken])).toThrow(CacheError);
		});
	});

	describe('the committed cursor', () => {
		it('moves only when the last item the run claimed is committed', () => {
			const cache = open();
			const first = listRun(cache, items(3), 'c1');
			const checked = cache.check(first.items);

			expect(cache.commit([checked[0].item, checked[1].item]).promotedSources).toEqual([]);
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();

			expect(cache.commit([checked[2].item]).promotedSources).toEqual([SOURCE]);
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
			expect(cache.getRun(first.runId)).toMatchObject({ status: 'success', cursorCommittedAt: expect.any(String) });
		});

		it('stays put when a run checks but never commits, and the next run gets the items once the lease expires', () => {
			const cache = open();
			cache.commit(cache.check(listRun(cache, items(2), 'c1').items).map((result) => result.item));
			const failed = listRun(cache, [item('file-0', { version: '2' }), item('file-9')], 'c2');
			expect(changeById(cache.check(failed.items))).toEqual({ 'file-0': 'changed', 'file-9': 'new' });

			clock.advance(DEFAULT_LEASE_MS + 1);
			const retry = listRun(cache, [item('file-0', { version: '2' }), item('file-9')], 'c2-retry');
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
			expect(changeById(cache.check(retry.items))).toEqual({ 'file-0': 'changed', 'file-9': 'new' });
		});

		it('hands the items to the next run at once when the failed run was finished with an error', () => {
			const cache = open();
			const failed = listRun(cache, items(2), 'c1');
			cache.check(failed.items);
			cache.finishRun(failed.runId, { status: 'error', errors: ['HTTP Request node: 502 Bad Gateway'] });

			const retry = listRun(cache, items(2), 'c1-retry');
			expect(cache.check(retry.items).map((result) => result.change)).toEqual(['new', 'new']);
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
		});

		it('is committed as soon as it is proposed by a run that listed nothing', () => {
			const cache = open();
			const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive' });
			cache.proposeCursor(runId, SOURCE, 'empty-run', { listedItems: 0 });
			expect(cache.getCommittedCursor(SOURCE)).toBe('empty-run');
		});

		it('is committed at check time when every listed item was unchanged', () => {
			const cache = open();
			cache.commit(items(3));
			const run = listRun(cache, items(3), 'c2');
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
			cache.check(run.items);
			expect(cache.getCommittedCursor(SOURCE)).toBe('c2');
		});

		it('waits until every listed item has been checked when a workflow checks in several batches', () => {
			const cache = open();
			const run = listRun(cache, items(4), 'c1');
			cache.commit(cache.check(run.items.slice(0, 2)).map((result) => result.item));
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
			cache.commit(cache.check(run.items.slice(2)).map((result) => result.item));
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
		});

		it('is held back when an item failed, and the failed item goes to the next run at once', () => {
			const cache = open();
			const run = listRun(cache, items(2), 'c1');
			const [good, bad] = cache.check(run.items);
			cache.commit([good.item]);
			cache.release([bad.item], { outcome: 'failed', reason: 'export timed out' });
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
			expect(cache.getRun(run.runId)).toMatchObject({
				status: 'running',
				counts: expect.objectContaining({ failed: 1, committed: 1 }),
				errors: ['file-1: export timed out'],
			});

			const retry = listRun(cache, items(2), 'c1-retry');
			expect(changeById(cache.check(retry.items))).toEqual({ 'file-0': 'unchanged', 'file-1': 'new' });
		});

		it('moves on past an item released as skipped, counting the reason', () => {
			const cache = open();
			const run = listRun(cache, items(2), 'c1');
			const [good, tooLarge] = cache.check(run.items);
			cache.commit([good.item]);
			expect(cache.release([tooLarge.item], { outcome: 'skipped', reason: 'file_too_large' }).promotedSources).toEqual([
				SOURCE,
			]);
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
			expect(cache.getRun(run.runId)).toMatchObject({
				counts: expect.objectContaining({ skipped: 1 }),
				skippedByReason: { file_too_large: 1 },
			});
		});

		it('counts an item skipped before check towards the items its run listed', () => {
			const cache = open();
			const run = listRun(cache, items(2), 'c1');
			cache.release([run.items[0]], { outcome: 'skipped', reason: 'policy_file_type' });
			cache.commit(cache.check([run.items[1]]).map((result) => result.item));
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
		});

		it('is released by commit even when export added a content hash after check', () => {
			const cache = open();
			const run = listRun(cache, items(1), 'c1');
			const [checked] = cache.check(run.items);
			cache.commit([{ ...checked.item, content_hash: 'sha-after-export' }]);
			expect(cache.getCommittedCursor(SOURCE)).toBe('c1');
			expect(cache.status(SOURCE)[0].itemsInFlight).toBe(0);
		});

		it('cannot be proposed by a run of another source', () => {
			const cache = open();
			const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive' });
			expect(() => cache.proposeCursor(runId, OTHER_SOURCE, 'x', { listedItems: 0 })).toThrow(/belongs to source/);
		});

		it('sits beside provider data the cache keeps without reading it', () => {
			const cache = open();
			expect(cache.getProviderState(SOURCE)).toBeNull();
			cache.setProviderState(SOURCE, 'google_drive', '{"driveId":"0AB"}');
			expect(cache.getProviderState(SOURCE)).toBe('{"driveId":"0AB"}');
		});
	});

	describe('overlapping runs', () => {
		it('emits a new version only to the first of two overlapping runs', () => {
			const cache = open();
			const first = listRun(cache, items(3), 'a');
			const second = listRun(cache, items(3), 'b');
			expect(cache.check(first.items).map((result) => result.change)).toEqual(['new', 'new', 'new']);
			const late = cache.check(second.items);
			expect(late.map((result) => [result.change, result.reason, result.claimedByRunId])).toEqual(
				Array(3).fill(['unchanged', 'claimed_by_other_run', first.runId]),
			);
		});

		it('sees the same from two connections to one file', () => {
			const one = open();
			const two = open();
			const first = listRun(one, items(2), 'a');
			const second = listRun(two, items(2), 'b');
			expect(emitted(one.check(first.items))).toHaveLength(2);
			expect(emitted(two.check(second.items))).toHaveLength(0);
		});

		it('commits the later run’s cursor once the earlier run commits the versions both saw', () => {
			const cache = open();
			const first = listRun(cache, items(2), 'a');
			const second = listRun(cache, items(2), 'b');
			const checked = cache.check(first.items);
			cache.check(second.items);
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();

			expect(cache.commit(checked.map((result) => result.item)).promotedSources).toEqual([SOURCE]);
			expect(cache.getCommittedCursor(SOURCE)).toBe('b');
		});

		it('keeps the later run’s cursor back while the earlier run has not committed what it saw', () => {
			const cache = open();
			const first = listRun(cache, items(2), 'a');
			const second = listRun(cache, [...items(2), item('file-new')], 'b');
			cache.check(first.items);
			const checked = cache.check(second.items);
			cache.commit(emitted(checked).map((result) => result.item));
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
		});

		it('lets a run emit a newer version of an item another run is still ingesting', () => {
			const cache = open();
			cache.check(listRun(cache, [item('doc', { version: '1' })], 'a').items);
			const newer = cache.check(listRun(cache, [item('doc', { version: '2' })], 'b').items);
			expect(newer[0].change).toBe('new');
		});

		it('hands a claim to another run once its lease has expired', () => {
			const cache = open({ leaseMs: 60_000 });
			cache.check(listRun(cache, items(1), 'a').items);
			clock.advance(59_999);
			expect(cache.check(listRun(cache, items(1), 'b').items)[0].reason).toBe('claimed_by_other_run');
			clock.advance(2);
			expect(cache.check(listRun(cache, items(1), 'c').items)[0].change).toBe('new');
		});

		it('uses the lease passed to check over the configured one', () => {
			const cache = open();
			cache.check(listRun(cache, items(1), 'a').items, { leaseMs: 1000 });
			clock.advance(1001);
			expect(cache.check(listRun(cache, items(1), 'b').items)[0].change).toBe('new');
		});

		it('does not let an older run overwrite a version a newer run already committed', () => {
			const cache = open();
			const older = listRun(cache, [item('doc', { version: '1' })], 'a');
			const newer = listRun(cache, [item('doc', { version: '2' })], 'b');
			const olderChecked = cache.check(older.items);
			cache.commit(cache.check(newer.items).map((result) => result.item));

			expect(cache.commit(olderChecked.map((result) => result.item))).toMatchObject({ committed: 0, superseded: 1 });
			expect(cache.check([item('doc', { version: '2' })])[0].change).toBe('unchanged');
			expect(cache.getCommittedCursor(SOURCE)).toBe('b');
		});
	});

	describe('items without a run id', () => {
		it('share one implicit run per execution and source, and block other executions', () => {
			const cache = open();
			const [a] = cache.check([item('file-0')], { executionId: 'exec-1' });
			const [b] = cache.check([item('file-1')], { executionId: 'exec-1' });
			const [other] = cache.check([item('file-0')], { executionId: 'exec-2' });
			expect(a.runId).toBe(b.runId);
			expect(cache.getRun(a.runId)).toMatchObject({ implicit: true, executionId: 'exec-1' });
			expect(other).toMatchObject({ change: 'unchanged', reason: 'claimed_by_other_run', claimedByRunId: a.runId });
		});

		it('find the run that listed them in the same execution', () => {
			const cache = open();
			const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-7' });
			expect(cache.check([item('file-0')], { executionId: 'exec-7' })[0].runId).toBe(runId);
		});

		it('finish their implicit run once everything it emitted is committed', () => {
			const cache = open();
			const [checked] = cache.check([item('file-0')], { executionId: 'exec-1' });
			expect(cache.getRun(checked.runId)?.status).toBe('running');
			cache.commit([item('file-0')], { executionId: 'exec-1' });
			expect(cache.getRun(checked.runId)).toMatchObject({ status: 'success', counts: expect.objectContaining({ committed: 1 }) });
		});

		it('ignore a run id that belongs to another source', () => {
			const cache = open();
			const notionRun = cache.startRun({ sourceKey: OTHER_SOURCE, provider: 'notion' });
			const [checked] = cache.check([{ ...item('file-0'), run_id: notionRun }], { executionId: 'exec-1' });
			expect(checked.runId).not.toBe(notionRun);
			expect(cache.getRun(checked.runId)?.sourceKey).toBe(SOURCE);
		});
	});

	describe('runs, status and forget', () => {
		it('counts what check and commit saw, and adds what finishRun reports', () => {
			const cache = open();
			cache.commit([item('file-0'), item('file-1')]);
			const run = listRun(
				cache,
				[item('file-0'), item('file-1', { version: '2' }), item('file-2'), item('file-0', { external_id: 'gone', change: 'deleted' })],
				'c1',
			);
			cache.commit(emitted(cache.check(run.items)).map((result) => result.item));
			cache.finishRun(run.runId, { status: 'partial', counts: { skipped: 2 }, skippedByReason: { policy_file_type: 2 } });
			expect(cache.getRun(run.runId)).toMatchObject({
				status: 'partial',
				counts: { processed: 4, new: 1, changed: 1, unchanged: 2, deleted: 0, skipped: 2, failed: 0, committed: 2 },
				skippedByReason: { policy_file_type: 2 },
			});
		});

		it('keeps only the newest ten error samples, as messages', () => {
			const cache = open();
			const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive' });
			const errors = Array.from({ length: 12 }, (_, index) => new Error(`failure ${index}`));
			cache.finishRun(runId, { status: 'error', errors });
			const run = cache.getRun(runId);
			expect(run?.errors).toHaveLength(10);
			expect(run?.errors[0]).toBe('failure 2');
			expect(run?.errors[9]).toBe('failure 11');
		});

		it('reports per source the last run, last error, last success, items known and deleted, and the cursor', () => {
			const cache = open();
			const first = listRun(cache, items(3), 'c1');
			cache.commit(cache.check(first.items).map((result) => result.item));
			cache.commit([item('file-2', { change: 'deleted' })]);
			const second = listRun(cache, [item('file-7')], 'c2', SOURCE);
			cache.check(second.items);
			cache.finishRun(second.runId, { status: 'error', errors: ['Drive quota exceeded'] });

			const [status] = cache.status(SOURCE);
			expect(status).toMatchObject({
				sourceKey: SOURCE,
				provider: 'google_drive',
				lastRun: expect.objectContaining({ runId: second.runId, status: 'error' }),
				lastError: { runId: second.runId, at: expect.any(String), message: 'Drive quota exceeded' },
				lastSuccessAt: expect.any(String),
				hasCursor: true,
				cursorCommittedAt: expect.any(String),
				itemsKnown: 2,
				itemsDeleted: 1,
				itemsInFlight: 0,
			});
		});

		it('counts versions a running run has emitted and not yet committed as in flight', () => {
			const cache = open();
			cache.check(listRun(cache, items(4), 'c1').items);
			expect(cache.status(SOURCE)[0].itemsInFlight).toBe(4);
		});

		it('lists every source it knows, or just the one asked for', () => {
			const cache = open();
			cache.commit([item('a'), item('b', { source_key: OTHER_SOURCE, provider: 'notion' })]);
			expect(cache.status().map((status) => status.sourceKey).sort()).toEqual([SOURCE, OTHER_SOURCE].sort());
			expect(cache.status(OTHER_SOURCE).map((status) => status.provider)).toEqual(['notion']);
			expect(cache.status('never-seen')).toEqual([]);
		});

		it('forgets a source’s items, cursor, claims and runs, so its next run re-imports everything', () => {
			const cache = open();
			const run = listRun(cache, items(3), 'c1');
			const checked = cache.check(run.items);
			cache.commit(checked.slice(0, 2).map((result) => result.item));
			cache.commit([item('keep', { source_key: OTHER_SOURCE, provider: 'notion' })]);

			expect(cache.forget(SOURCE)).toEqual({ sourceKey: SOURCE, items: 2, runs: 1, claims: 1, hadCursor: false });
			expect(cache.status(SOURCE)).toEqual([]);
			expect(cache.getCommittedCursor(SOURCE)).toBeNull();
			expect(cache.check(items(3)).map((result) => result.change)).toEqual(['new', 'new', 'new']);
			expect(cache.status(OTHER_SOURCE)[0].itemsKnown).toBe(1);
		});

		it('prunes run records beyond the newest ones kept per source', () => {
			const cache = open({ keptRunsPerSource: 3 });
			const runIds = Array.from({ length: 5 }, () => cache.startRun({ sourceKey: SOURCE, provider: 'google_drive' }));
			expect(runIds.map((runId) => cache.getRun(runId) !== undefined)).toEqual([false, false, true, true, true]);
		});

		it('says a run is gone when asked to finish one it does not know', () => {
			const cache = open();
			expect(() => cache.finishRun(404, { status: 'success' })).toThrow(/Run 404 is not in the cache .*start a new run/);
		});

		it('records the effective policy with the run', () => {
			const cache = open();
			const runId = cache.startRun({ sourceKey: SOURCE, provider: 'google_drive', policy: { maxFileSizeMb: 20 } });
			expect(cache.getRun(runId)?.policy).toEqual({ maxFileSizeMb: 20 });
		});
	});

	it('shares one open cache per file across callers, and opens a fresh one after close', () => {
		const path = join(tempDir(), 'shared.sqlite');
		const first = sharedConnectorCache({ path, driver: driverName });
		expect(sharedConnectorCache({ path, driver: driverName })).toBe(first);
		first.close();
		const reopened = sharedConnectorCache({ path, driver: driverName });
		expect(reopened).not.toBe(first);
		reopened.close();
	});
});
