import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { copySqliteToPostgres } from '../../../../lib/store/copyToPostgres';
import { openSqliteStore } from '../../../../lib/store/sqlite/store';
import { item, items, manualClock, SOURCE } from '../helpers';
import { emitted, listRun } from '../contract/support';
import { collectClosedHandles } from '../sqlite/helpers';
import { openTestPostgresStore, usePostgres } from './helpers';

collectClosedHandles();
const postgres = usePostgres();

describe('copying a SQLite cache into PostgreSQL', () => {
	let directory = '';
	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'connectors-copy-'));
	});
	afterEach(() => rmSync(directory, { recursive: true, force: true }));

	it('keeps cursors, provider state, listing snapshots, items, run records, open claims and what the listings saw, so PostgreSQL goes on where SQLite stopped', async () => {
		const path = join(directory, 'cache.sqlite');
		const clock = manualClock(Date.now());
		const sqlite = openSqliteStore({ path, now: clock.now });
		const done = await listRun(sqlite, items(30), 'cursor-1');
		await sqlite.items.commit(emitted(await sqlite.items.check(done.items)).map((result) => result.item));
		await sqlite.items.commit([item('gone', { change: 'deleted' })], { runId: done.runId });
		await sqlite.cursors.updateProviderState(SOURCE, 'google_drive', () => '{"snapshot":1}');
		await sqlite.cursors.writeSnapshot(SOURCE, 'google_drive', {
			snapshot: done.runId,
			base: null,
			state: '{"files":{}}',
			entries: [{ field: 'files', key: 'f1', value: '{"name":"a.txt"}' }],
			removed: [],
			owed: [{ id: 'owed-1', order: Uint8Array.of(0, 0x2f, 0xff), item: '{"external_id":"owed-1"}' }],
			settled: [],
			committed: null,
			keptProposals: 8,
		});
		await sqlite.listed.record(SOURCE, 'google_drive', [item('listed-1', { path: '/Reports/q1.pdf', mime: 'application/pdf', size: 12 })]);
		await sqlite.owners.recordListing({ sourceKey: SOURCE, provider: 'google_drive' }, 'workflow:A');
		// A run still ingesting one new version when the move happens.
		const open = await listRun(sqlite, [item('in-flight', { version: '7' })], 'cursor-2');
		await sqlite.items.check(open.items);
		const before = await sqlite.status(SOURCE);
		await sqlite.close();

		const target = postgres.target();
		expect(await copySqliteToPostgres(path, target)).toMatchObject({ sources: 1, items: 31, runs: 2, claims: 1, listedItems: 1, sourceOwners: 1 });

		const store = await openTestPostgresStore(target);
		try {
			expect(await store.cursors.committed(SOURCE)).toBe('cursor-1');
			expect(await store.cursors.providerState(SOURCE)).toBe('{"snapshot":1}');
			const entries: string[] = [];
			expect(await store.cursors.readSnapshot(SOURCE, done.runId, (entry) => entries.push(`${entry.key}=${entry.value}`))).toBe('{"files":{}}');
			expect(entries).toEqual(['f1={"name":"a.txt"}']);
			expect(await store.cursors.pendingItems(SOURCE, done.runId, { skip: new Set(), limit: 10 })).toEqual(['{"external_id":"owed-1"}']);
			expect(await store.owners.sourcesOf('workflow:A')).toEqual([SOURCE]);
			expect(await store.status(SOURCE)).toEqual(before);
			expect(await store.runs.get(done.runId)).toMatchObject({ status: 'success', counts: { new: 30, committed: 31 } });
			// Export checks the policy against these: an item listed before the move is not an unknown one after it.
			expect((await store.listed.lookup('google_drive', SOURCE, ['listed-1'])).get('listed-1')).toMatchObject({
				path: '/Reports/q1.pdf',
				mime: 'application/pdf',
				size: 12,
			});

			const next = await listRun(store, [...items(30), item('in-flight', { version: '7' }), item('fresh')], 'cursor-3');
			expect(next.runId).toBeGreaterThan(open.runId);
			const checked = await store.items.check(next.items);
			expect(emitted(checked).map((result) => result.item.external_id)).toEqual(['fresh']);
			expect(checked.find((result) => result.item.external_id === 'in-flight')).toMatchObject({ reason: 'claimed_by_other_run', claimedByRunId: open.runId });
		} finally {
			await store.close();
		}
	});

	it('refuses a file that does not exist, without creating it', async () => {
		const missing = join(directory, 'missing.sqlite');
		await expect(copySqliteToPostgres(missing, postgres.target())).rejects.toMatchObject({ code: 'cache_refused' });
		expect(existsSync(missing)).toBe(false);
	});

	it('refuses a schema that holds state already', async () => {
		const path = join(directory, 'cache.sqlite');
		const sqlite = openSqliteStore({ path });
		await listRun(sqlite, items(1), 'c');
		await sqlite.close();
		const target = postgres.target();
		await copySqliteToPostgres(path, target);
		await expect(copySqliteToPostgres(path, target)).rejects.toMatchObject({ code: 'cache_refused', message: expect.stringMatching(/already holds .*CONNECTORS_CACHE_SCHEMA/) });
	});
});
