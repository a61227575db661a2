import type { ConnectorItem } from '../../../lib/items';
import { defaultPolicy, type OrgPolicy, PolicyViolationError } from '../../../lib/policy';
import { googleDriveProvider } from '../../../lib/providers/googleDrive';
import { notionProvider } from '../../../lib/providers/notion';
import type { ConnectorStore } from '../../../lib/store';
import { acquireRunSlot, checkListedItem, partitionByPolicy, settleSkipped, type SkippedItem } from '../../../lib/sync';
import { item, SOURCE } from '../../lib/store/helpers';
import { collectClosedHandles, DRIVERS, openTestStore, useTempDir } from '../../lib/store/sqlite/helpers';

collectClosedHandles();

const providers = { google_drive: googleDriveProvider, notion: notionProvider };
/** The listing run's split: refused items settled in the run at once, as runListing does. */
async function partition(store: ConnectorStore, runId: number, policy: OrgPolicy, provider: keyof typeof providers, entries: ConnectorItem[]) {
	const result = partitionByPolicy(policy, providers[provider], entries);
	await settleSkipped(store, result.skipped, { runId });
	return result;
}
const check = (policy: OrgPolicy, provider: keyof typeof providers, entry: ConnectorItem) => checkListedItem(policy, providers[provider], entry);

const policy = (overrides: Partial<OrgPolicy> = {}): OrgPolicy => ({ ...defaultPolicy(), ...overrides });

describe.each(DRIVERS)('node policy helpers with %s', (driverName) => {
	const tempDir = useTempDir();
	let cache: ConnectorStore;
	beforeEach(() => {
		cache = openTestStore(tempDir(), driverName);
	});
	afterEach(async () => await cache.close());

	/** A listChanges run that emitted these items, as listDriveChanges leaves it. */
	const listed = async (items: ReturnType<typeof item>[]) => {
		const runId = await cache.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-1' });
		await cache.cursors.propose(runId, SOURCE, 'cursor-1', { listedItems: items.length });
		return { runId, items: items.map((entry) => ({ ...entry, run_id: runId })) };
	};

	describe('partitionByPolicy', () => {
		const restrictive = policy({
			allowedFileTypes: ['pdf', 'text/*'],
			maxFileSizeMb: 1,
			paths: { google_drive: { allow: null, deny: ['/HR/**'] }, notion: { allow: null, deny: [] } },
		});
		const files = () => [
			item('ok', { name: 'ok.pdf', path: '/Reports/ok.pdf', mime: 'application/pdf' }),
			item('hr', { name: 'pay.pdf', path: '/HR/pay.pdf', mime: 'application/pdf' }),
			item('exe', { name: 'tool.exe', path: '/tool.exe', mime: 'application/octet-stream' }),
			item('big', { name: 'big.txt', path: '/big.txt', mime: 'text/plain', size: 2 * 1024 * 1024 }),
			item('gone', { name: 'old.exe', path: '/HR/old.exe', mime: 'application/octet-stream', change: 'deleted' }),
		];

		it('passes allowed items and deletions, and skips the rest with a stable reason and a readable detail', async () => {
			const run = await listed(files());
			const { allowed, skipped } = await partition(cache, run.runId, restrictive, 'google_drive', run.items);
			expect(allowed.map((entry) => entry.external_id)).toEqual(['ok', 'gone']);
			expect(skipped.map((entry) => [entry.external_id, entry.skip_reason])).toEqual([
				['hr', 'policy_path'],
				['exe', 'policy_file_type'],
				['big', 'policy_size'],
			]);
			expect(skipped[0].skip_detail).toBe('/HR/pay.pdf is in a path the org policy denies (/HR/**)');
			expect(skipped[2].skip_detail).toMatch(/^big\.txt is 2,097,152 bytes, over the org limit of 1 MB/);
		});

		it('counts skips per reason in the run record and lets the cursor advance once the allowed items are committed', async () => {
			const run = await listed(files());
			const { allowed } = await partition(cache, run.runId, restrictive, 'google_drive', run.items);
			expect(await cache.runs.get(run.runId)).toMatchObject({
				skippedByReason: { policy_path: 1, policy_file_type: 1, policy_size: 1 },
				counts: expect.objectContaining({ skipped: 3 }),
			});
			expect(await cache.cursors.committed(SOURCE)).toBeNull();
			const checked = await cache.items.check(allowed);
			expect(await cache.cursors.committed(SOURCE)).toBeNull();
			await cache.items.commit(checked.filter((result) => result.change !== 'unchanged').map((result) => result.item));
			expect(await cache.cursors.committed(SOURCE)).toBe('cursor-1');
			expect((await cache.runs.get(run.runId))?.status).toBe('success');
		});

		it('settles a run whose every item was refused at once', async () => {
			const run = await listed(files().slice(1, 4));
			const { allowed } = await partition(cache, run.runId, restrictive, 'google_drive', run.items);
			expect(allowed).toEqual([]);
			expect(await cache.cursors.committed(SOURCE)).toBe('cursor-1');
		});

		it('without restrictions skips nothing and touches no run counts', async () => {
			const run = await listed(files());
			expect((await partition(cache, run.runId, policy(), 'google_drive', run.items)).skipped).toEqual([]);
			expect((await cache.runs.get(run.runId))?.counts.processed).toBe(0);
		});
	});

	describe('acquireRunSlot', () => {
		it('takes no slot when the policy sets no limit', async () => {
			const release = await acquireRunSlot(cache, 'google_drive', 'exec-1', policy());
			expect(await cache.slots.holders('google_drive')).toEqual([]);
			await release();
		});

		it('fails a run over the limit with a message naming the running execution and the setting', async () => {
			const limited = policy({ maxConcurrentRuns: 1 });
			const release = await acquireRunSlot(cache, 'google_drive', 'exec-1', limited);
			let failure: unknown;
			try {
				await acquireRunSlot(cache, 'google_drive', 'exec-2', limited);
			} catch (error) {
				failure = error;
			}
			expect(failure).toBeInstanceOf(PolicyViolationError);
			expect((failure as PolicyViolationError).code).toBe('policy_concurrent_runs');
			expect((failure as Error).message).toMatch(
				/^The Google Drive connector already has 1 run\(s\) in progress \(execution exec-1 since .+\) and the org policy allows at most 1 at a time — .*raise ORG_CONNECTORS_MAX_CONCURRENT_RUNS\.$/,
			);
			await release();
			await release();
			const next = await acquireRunSlot(cache, 'google_drive', 'exec-2', limited);
			expect((await cache.slots.holders('google_drive')).map((slot) => slot.executionId)).toEqual(['exec-2']);
			await next();
		});
	});
});

describe('checkListedItem', () => {
	const onlyPdf = policy({ allowedFileTypes: ['pdf'] });
	it('leaves the type and size of a Google-native file to export, which knows its format and exported size', () => {
		const doc = item('doc', { name: 'Plan', path: '/Plan', mime: 'application/vnd.google-apps.document', size: 5 * 1024 * 1024 });
		expect(check(policy({ allowedFileTypes: ['pdf'], maxFileSizeMb: 1 }), 'google_drive', doc)).toEqual({ allowed: true });
		const pdf = item('pdf', { name: 'big.pdf', path: '/big.pdf', mime: 'application/pdf', size: 5 * 1024 * 1024 });
		expect(check(policy({ maxFileSizeMb: 1 }), 'google_drive', pdf)).toMatchObject({ skipReason: 'policy_size' });
	});
	it('still applies path rules to a Google-native file', () => {
		const doc = item('doc', { name: 'Plan', path: '/HR/Plan', mime: 'application/vnd.google-apps.document', size: null });
		const denied = policy({ paths: { google_drive: { allow: null, deny: ['/HR/**'] }, notion: { allow: null, deny: [] } } });
		expect(check(denied, 'google_drive', doc)).toMatchObject({ allowed: false, skipReason: 'policy_path' });
	});
	it('judges a Notion page as the Markdown it is exported to', () => {
		const page = item('page', { provider: 'notion', name: 'Roadmap', path: '/Roadmap', mime: 'application/vnd.notion.page' });
		expect(check(policy({ allowedFileTypes: ['md'] }), 'notion', page)).toEqual({ allowed: true });
		expect(check(onlyPdf, 'notion', page)).toMatchObject({
			allowed: false,
			skipReason: 'policy_file_type',
			skipDetail: 'Roadmap (application/vnd.notion.page) is not an allowed file type: allowed are pdf',
		});
	});

	it('judges an item by the export format it already carries', () => {
		const page = item('page', { provider: 'notion', name: 'Roadmap', path: '/Roadmap', mime: null, export_format: 'md' });
		expect(check(policy({ allowedFileTypes: ['md'] }), 'notion', page)).toEqual({ allowed: true });
		expect(check(onlyPdf, 'notion', page)).toMatchObject({ allowed: false, skipReason: 'policy_file_type' });
	});
});

describe.each(DRIVERS)('settleSkipped with %s', (driverName) => {
	const tempDir = useTempDir();
	let cache: ConnectorStore;
	beforeEach(() => {
		cache = openTestStore(tempDir(), driverName);
	});
	afterEach(async () => await cache.close());

	const refused = (externalId: string, reason: string, extra: Record<string, unknown> = {}) =>
		({ ...item(externalId), skip_reason: reason, skip_detail: `${externalId} refused`, ...extra }) as SkippedItem;

	it('settles checked items in their own run, counting each reason, so the cursor moves once the rest is committed', async () => {
		const runId = await cache.runs.start({ sourceKey: SOURCE, provider: 'google_drive', executionId: 'exec-1' });
		await cache.cursors.propose(runId, SOURCE, 'cursor-1', { listedItems: 3 });
		const checked = await cache.items.check(['a', 'b', 'c'].map((id) => ({ ...item(id), run_id: runId })));
		await settleSkipped(cache, [refused('a', 'policy_size', { run_id: runId }), refused('b', 'export_size_limit', { run_id: runId })], {});
		expect((await cache.runs.get(runId))?.skippedByReason).toEqual({ policy_size: 1, export_size_limit: 1 });
		expect(await cache.cursors.committed(SOURCE)).toBeNull();
		await cache.items.commit([checked[2].item]);
		expect(await cache.cursors.committed(SOURCE)).toBe('cursor-1');
	});

	it("counts items without a run in the execution's run of their source, and leaves items it cannot key alone", async () => {
		await settleSkipped(cache, [refused('a', 'policy_file_type'), refused('b', 'policy_file_type', { source_key: '' })], { executionId: 'exec-9' });
		const [status] = await cache.status(SOURCE);
		expect(status.lastRun).toMatchObject({ executionId: 'exec-9', skippedByReason: { policy_file_type: 1 } });
	});
});
