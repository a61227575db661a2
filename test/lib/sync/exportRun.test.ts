import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import { PolicySkipError } from '../../../lib/policy';
import { listSource, runExport, type ExportRunInput, type ExportRunResult, type RunPolicy } from '../../../lib/sync';
import { DOCUMENT_MIME, FAKE_PROVIDER, FakeProvider, fakeSourceKey, type FakeConnection } from './fakeProvider';
import {
	binaryStore,
	check,
	committedCursor,
	policyWith,
	recordingHost,
	runPolicy,
	useStore,
	type RecordingHost,
	type StoredBinary,
} from './support';

const SOURCE_KEY = fakeSourceKey();
const EXECUTION = 'exec-export';
const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
/** 0.001 MB: 1,048 bytes. */
const TINY_LIMIT = policyWith({ maxFileSizeMb: 0.001 });

type Options = Partial<Omit<ExportRunInput<FakeConnection, StoredBinary>, 'items'>>;

describe('runExport', () => {
	const store = useStore();
	let fake: FakeProvider;
	let host: RecordingHost;
	let binaries: ReturnType<typeof binaryStore>;

	beforeEach(() => {
		fake = new FakeProvider();
		host = recordingHost(EXECUTION);
		binaries = binaryStore();
	});

	/**
	 * Exports items as a listing of their source emitted them (`listed: false`: items the source never
	 * listed), in a workflow that owns their sources (`owned: false`: one that never listed them).
	 */
	async function exportItems(
		items: readonly ConnectorItem[],
		options: Options & { listed?: boolean; owned?: boolean } = {},
	): Promise<ExportRunResult<StoredBinary>[]> {
		const { listed = true, owned = true, ...rest } = options;
		if (listed) for (const item of items) await store().listed.record(item.source_key, item.provider, [item]);
		if (owned) {
			for (const item of items) await store().owners.recordListing({ sourceKey: item.source_key, provider: item.provider }, host.scope.owner);
		}
		return await runExport({
			store: store(),
			provider: fake,
			connection: { credentialKey: 'cred' },
			host,
			run: runPolicy(),
			concurrency: 1,
			storeBinary: binaries.storeBinary,
			...rest,
			items,
		});
	}

	/** The source listed in a run and checked, as the items reach Export in a workflow. */
	async function listedAndChecked(): Promise<{ runId: number; items: ConnectorItem[] }> {
		const runId = await store().runs.start({ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER, executionId: EXECUTION });
		const listing = await listSource({
			store: store(),
			provider: fake,
			connection: { credentialKey: 'cred' },
			source: { root: 'root' },
			sourceKey: SOURCE_KEY,
			runId,
		});
		return { runId, items: await check(store(), listing.items, EXECUTION) };
	}

	const ids = (results: readonly ExportRunResult<StoredBinary>[]) =>
		results.map((result) => [result.index, result.output, result.output === 'failed' ? undefined : result.json.external_id]);

	it('passes deletions through untouched, without asking the provider', async () => {
		const deletion: ConnectorItem = { ...fake.put('a', { path: '/a.txt' }).item('a'), change: 'deleted' };
		const results = await exportItems([deletion]);
		expect(results).toEqual([{ index: 0, output: 'main', json: deletion }]);
		expect(fake.exportCalls).toEqual([]);
		expect(binaries.stored).toEqual([]);
	});

	describe('metadata-only changes', () => {
		const metadataOnly = (item: ConnectorItem): ConnectorItem => ({ ...item, change: 'changed', content_changed: false, changed_fields: ['path'], content_hash: 'sha-indexed' });

		it('pass through without a download when asked, with the path the listing saw', async () => {
			fake.put('a', { path: '/Handbook/a.txt', content: 'hello' });
			const [result] = await exportItems([metadataOnly(fake.item('a'))], { passMetadataOnly: true });
			expect(result).toMatchObject({ output: 'main', json: { path: '/Handbook/a.txt', content_changed: false, content_hash: 'sha-indexed' } });
			expect(result).not.toHaveProperty('content');
			expect(fake.exportCalls).toEqual([]);
			expect(binaries.stored).toEqual([]);
		});

		it('are exported as usual when not asked, and content changes always are', async () => {
			fake.put('a', { path: '/a.txt', content: 'hello' });
			fake.put('b', { path: '/b.txt', content: 'edited' });
			const edited: ConnectorItem = { ...fake.item('b'), change: 'changed', content_changed: true };
			const results = await exportItems([metadataOnly(fake.item('a')), edited], { passMetadataOnly: false });
			expect(results.map((result) => result.output)).toEqual(['main', 'main']);
			expect(fake.exportCalls).toHaveLength(2);
			const passed = await exportItems([edited], { passMetadataOnly: true });
			expect(passed[0]).toMatchObject({ output: 'main', json: { content_hash: sha256('edited') } });
		});

		it('are still held to the policy: a move under a denied path is skipped', async () => {
			fake.put('salaries', { path: '/HR/salaries.txt', content: 'secret' });
			const denyHr = runPolicy(policyWith({ paths: { [FAKE_PROVIDER]: { allow: null, deny: ['/HR/**'] } } }));
			const [result] = await exportItems([metadataOnly(fake.item('salaries'))], { passMetadataOnly: true, run: denyHr });
			expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'policy_path' } });
		});
	});

	describe('the policy on what the source listed, not on the item JSON', () => {
		const denyHr = runPolicy(policyWith({ paths: { [FAKE_PROVIDER]: { allow: null, deny: ['/HR/**'] } } }));

		it('refuses a listed file under a denied path although the item JSON claims another path, name and type', async () => {
			fake.put('salaries', { path: '/HR/salaries.xlsx', content: 'secret' });
			await listedAndChecked();
			const crafted: ConnectorItem = { ...fake.item('salaries'), name: 'ok.pdf', path: '/ok.pdf', mime: 'application/pdf' };
			const [result] = await exportItems([crafted], { run: denyHr, listed: false });
			expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'policy_path' } });
			expect(fake.exportCalls).toEqual([]);
			expect(binaries.stored).toEqual([]);
		});

		it('skips an id the source never listed with unknown_source_item, without asking the provider', async () => {
			fake.put('listed', { path: '/listed.txt' });
			fake.put('elsewhere', { path: '/elsewhere.txt' });
			await listedAndChecked();
			const [result] = await exportItems([fake.item('elsewhere', 'fake:someone-else:root')], { listed: false });
			expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'unknown_source_item' } });
			expect(fake.exportCalls).toEqual([]);
		});

		it('exports with the name, path and type the listing saw', async () => {
			fake.put('a', { path: '/Docs/a.txt', content: 'hello' });
			await listedAndChecked();
			const [result] = await exportItems([{ ...fake.item('a'), name: 'renamed.exe', path: '/elsewhere/renamed.exe' }], { listed: false });
			expect(result).toMatchObject({ output: 'main', json: { name: 'a.txt', path: '/Docs/a.txt' } });
			expect(fake.exportCalls[0].item).toMatchObject({ name: 'a.txt', path: '/Docs/a.txt' });
		});
	});

	describe("another workflow's source", () => {
		it('skips an item of a source this workflow never listed, using nothing its listings recorded and settling nothing in its runs', async () => {
			fake.put('a', { path: '/a.txt' }).put('video', { path: '/video.mp4' });
			await store().owners.recordListing({ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER }, 'workflow:other');
			const { runId, items } = await listedAndChecked();
			const results = await exportItems(items, { owned: false });
			expect(results.map((result) => result.output === 'skipped' && result.json.skip_reason)).toEqual(['unknown_source_item', 'unknown_source_item']);
			expect(results[0]).toMatchObject({ json: { skip_detail: expect.stringContaining('which this workflow has not listed') } });
			expect(fake.exportCalls).toEqual([]);
			expect((await store().runs.get(runId))?.skippedByReason).toEqual({});
		});
	});

	describe('Export IDs Directly', () => {
		const denyHr = runPolicy(policyWith({ paths: { [FAKE_PROVIDER]: { allow: null, deny: ['/HR/**'] } } }));
		const crafted = (id: string): ConnectorItem => ({ ...fake.item(id), name: 'ok.pdf', path: '/ok.pdf', mime: 'application/pdf', size: 1 });

		it('exports an id no listing emitted with the name, path and type the provider gives it', async () => {
			fake.put('a', { path: '/Docs/a.txt', content: 'hello' });
			const [result] = await exportItems([crafted('a')], { listed: false, exportIdsDirectly: true });
			expect(fake.describeCalls).toEqual(['a']);
			expect(result).toMatchObject({ output: 'main', json: { external_id: 'a', source_key: SOURCE_KEY, name: 'a.txt', path: '/Docs/a.txt', mime: null } });
			expect(fake.exportCalls[0].item).toMatchObject({ name: 'a.txt', path: '/Docs/a.txt' });
		});

		it('holds the path rules to the path the provider resolved, not to the item JSON', async () => {
			fake.put('salaries', { path: '/HR/salaries.xlsx', content: 'secret' });
			const [result] = await exportItems([crafted('salaries')], { run: denyHr, listed: false, owned: false, exportIdsDirectly: true });
			expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'policy_path', path: '/HR/salaries.xlsx' } });
			expect(fake.exportCalls).toEqual([]);
			expect(binaries.stored).toEqual([]);
		});

		it('skips an id the provider does not know with item_not_found', async () => {
			fake.put('a', { path: '/a.txt' });
			const item = { ...fake.item('a'), external_id: 'gone' };
			const [result] = await exportItems([item], { listed: false, exportIdsDirectly: true });
			expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'item_not_found', external_id: 'gone' } });
			expect(fake.exportCalls).toEqual([]);
		});

		it('still takes a listed item as its listing saw it, without asking the provider to describe it', async () => {
			fake.put('a', { path: '/Docs/a.txt' });
			await listedAndChecked();
			fake.put('a', { path: '/Moved/a.txt' });
			const [result] = await exportItems([{ ...fake.item('a'), path: '/x' }], { listed: false, exportIdsDirectly: true });
			expect(fake.describeCalls).toEqual([]);
			expect(result).toMatchObject({ output: 'main', json: { path: '/Docs/a.txt' } });
		});

		it('settles nothing for an id exported directly: no run of the workflow listed it', async () => {
			fake.put('video', { path: '/video.mp4' });
			fake.skipExport('video', 'not_downloadable', 'downloads disabled');
			await exportItems([fake.item('video')], { listed: false, exportIdsDirectly: true });
			const [status] = await store().status(SOURCE_KEY);
			expect(status.lastRun).toBeNull();
		});
	});

	it('exports an item to the format its plan resolved, with its format, MIME type, size and the sha256 of its bytes', async () => {
		fake.put('doc', { path: '/Plans/Roadmap', mime: DOCUMENT_MIME, content: 'Q3: ship it' });
		const providerOptions = { attachFiles: true };
		const [result] = await exportItems([fake.item('doc')], { providerOptions });
		expect(fake.exportCalls[0]).toMatchObject({ format: 'txt', options: providerOptions });
		expect(result).toEqual({
			index: 0,
			output: 'main',
			json: {
				...fake.item('doc'),
				export_format: 'txt',
				export_mime: 'application/x-fake-txt',
				content_hash: sha256('Q3: ship it'),
				export_size: 11,
			},
			content: { fileName: 'Roadmap.txt', mimeType: 'application/x-fake-txt', bytes: Buffer.from('Q3: ship it') },
			attachments: [],
		});
	});

	it("takes the provider's content hash when it gives one", async () => {
		fake.put('page', { path: '/Wiki/Home', content: 'links that expire', contentHash: 'f'.repeat(64) });
		const [result] = await exportItems([fake.item('page')]);
		expect(result.output === 'main' && result.json.content_hash).toBe('f'.repeat(64));
	});

	it('hashes and measures a streamed body as it passes into the binary store', async () => {
		fake.put('a', { path: '/a.txt', content: 'streamed in small pieces', streamChunkBytes: 5 });
		const [result] = await exportItems([fake.item('a')]);
		expect(result.output === 'main' && result.json).toMatchObject({ content_hash: sha256('streamed in small pieces'), export_size: 24 });
		expect(binaries.stored[0].bytes.toString()).toBe('streamed in small pieces');
	});

	it('keeps the input order in its results with several exports at once, never more than `concurrency` in flight', async () => {
		const all = ['a', 'b', 'c', 'd', 'e'];
		for (const id of all) fake.put(id, { path: `/${id}.txt` });
		fake.holdExports();
		const running = exportItems(
			all.map((id) => fake.item(id)),
			{ concurrency: 2 },
		);
		const finished: string[] = [];
		for (let remaining = all.length; remaining > 0; remaining--) {
			await fake.exportsHeld(Math.min(2, remaining));
			expect(fake.heldExports()).toHaveLength(Math.min(2, remaining));
			// The latest export to start finishes first.
			const newest = fake.heldExports()[fake.heldExports().length - 1];
			finished.push(newest.id);
			newest.release();
		}
		const results = await running;
		expect(finished).toEqual(['b', 'c', 'd', 'e', 'a']);
		expect(ids(results)).toEqual(all.map((id, index) => [index, 'main', id]));
		expect(fake.maxExportsInFlight).toBe(2);
	});

	it('skips a buffer over the size limit with policy_size', async () => {
		fake.put('big', { path: '/big.bin', content: Buffer.alloc(2_000) });
		const [result] = await exportItems([fake.item('big')], { run: runPolicy(TINY_LIMIT) });
		expect(result).toEqual({
			index: 0,
			output: 'skipped',
			json: {
				...fake.item('big'),
				skip_reason: 'policy_size',
				skip_detail: '"big.bin" exports to 2,000 bytes, over the org limit of 0.001 MB',
			},
		});
		expect(binaries.stored).toEqual([]);
	});

	it('stops a stream at the size limit with policy_size, its reader never getting more than the limit', async () => {
		fake.put('big', { path: '/big.bin', content: Buffer.alloc(3_000), streamChunkBytes: 300 });
		let received = 0;
		const storeBinary = async (data: Readable | Buffer): Promise<StoredBinary> => {
			for await (const chunk of data as Readable) received += (chunk as Buffer).length;
			throw new Error('the stream should have failed');
		};
		const [result] = await exportItems([fake.item('big')], { run: runPolicy(TINY_LIMIT), storeBinary });
		expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'policy_size' } });
		expect(received).toBeLessThanOrEqual(1_048);
		expect(fake.bodies.get('big')?.destroyed).toBe(true);
	});

	it("settles size skips in their run, which then commits its cursor with the other items'", async () => {
		fake.put('big', { path: '/big.bin', content: Buffer.alloc(2_000) });
		fake.put('huge', { path: '/huge.bin', content: Buffer.alloc(3_000), streamChunkBytes: 300 });
		fake.put('small', { path: '/small.txt' });
		const { runId, items } = await listedAndChecked();
		const results = await exportItems(items, { run: runPolicy(TINY_LIMIT) });
		expect(results.map((result) => result.output)).toEqual(['skipped', 'skipped', 'main']);
		expect((await store().runs.get(runId))?.skippedByReason).toEqual({ policy_size: 2 });
		await store().items.commit([results[2].output === 'main' ? results[2].json : items[2]], { executionId: EXECUTION });
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 3, snapshot: String(runId) });
	});

	describe('notes on exported items', () => {
		const fallback = { code: 'markdown_forbidden', detail: 'read another way' };

		it('land on the item with its content source, and are counted per code in its run', async () => {
			fake.put('locked', { path: '/locked.txt', contentSource: 'blocks', notes: [fallback] });
			fake.put('open', { path: '/open.txt', contentSource: 'markdown' });
			const { runId, items } = await listedAndChecked();
			const results = await exportItems(items);
			expect(results.map((result) => result.output === 'main' && [result.json.content_source, result.json.export_notes])).toEqual([
				['blocks', [fallback]],
				['markdown', undefined],
			]);
			expect(await store().runs.get(runId)).toMatchObject({ notedByReason: { markdown_forbidden: 1 }, skippedByReason: {}, status: 'running' });
			expect(host.hints).toContain("1 file(s) exported with a note (markdown_forbidden: 1) — each item's export_notes says why");
		});

		it("count an item without a run id towards the execution's run of its source", async () => {
			fake.put('locked', { path: '/locked.txt', notes: [fallback, { ...fallback, detail: 'said twice' }] });
			const [result] = await exportItems([fake.item('locked')]);
			expect(result).toMatchObject({ output: 'main', json: { export_notes: [fallback, { code: 'markdown_forbidden', detail: 'said twice' }] } });
			const [status] = await store().status(SOURCE_KEY);
			expect(status.lastRun).toMatchObject({ implicit: true, executionId: EXECUTION, notedByReason: { markdown_forbidden: 1 } });
		});

		it("are not counted in another workflow's runs", async () => {
			fake.put('locked', { path: '/locked.txt', notes: [fallback] });
			await store().owners.recordListing({ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER }, 'workflow:other');
			const { runId } = await listedAndChecked();
			const [result] = await exportItems([fake.item('locked')], { owned: false, exportIdsDirectly: true });
			expect(result).toMatchObject({ output: 'main', json: { export_notes: [fallback] } });
			expect((await store().runs.get(runId))?.notedByReason).toEqual({});
			expect((await store().status(SOURCE_KEY))[0].lastRun?.runId).toBe(runId);
		});
	});

	it('stores the attachments after the content, in order', async () => {
		fake.put('page', {
			path: '/Wiki/Home',
			attachments: [
				{ name: 'diagram.png', mime: 'image/png', content: 'png' },
				{ name: 'notes.pdf', mime: null, content: 'pdf' },
			],
		});
		const [result] = await exportItems([fake.item('page')]);
		expect(binaries.stored.map((binary) => [binary.fileName, binary.mimeType, binary.bytes.toString()])).toEqual([
			['Home.original', 'application/x-fake-original', '/Wiki/Home'],
			['diagram.png', 'image/png', 'png'],
			['notes.pdf', undefined, 'pdf'],
		]);
		expect(result.output === 'main' && result.attachments?.map((binary) => binary.fileName)).toEqual(['diagram.png', 'notes.pdf']);
	});

	it('holds attachments to the file types and the byte cap, reporting each one refused with the item', async () => {
		fake.put('page', {
			path: '/Wiki/Home',
			mime: 'text/plain',
			attachments: [
				{ name: 'diagram.png', mime: 'image/png', content: 'png' },
				{ name: 'tool.exe', mime: 'application/x-msdownload', content: 'MZ' },
				{ name: 'photo.png', mime: 'image/png', content: 'x'.repeat(5000) },
				{ name: 'chart.png', mime: 'image/png', content: 'png' },
			],
		});
		const policy = policyWith({ maxFileSizeMb: 0.001, allowedFileTypes: ['text/*', 'png'] });

		const [result] = await exportItems([fake.item('page')], { run: runPolicy(policy) });

		expect(result.output).toBe('main');
		if (result.output !== 'main') return;
		expect(result.attachments?.map((binary) => binary.fileName)).toEqual(['diagram.png', 'chart.png']);
		expect(result.json.attachments_skipped).toEqual([
			{ name: 'tool.exe', skip_reason: 'policy_file_type', skip_detail: expect.stringContaining('tool.exe') },
			{ name: 'photo.png', skip_reason: 'policy_size', skip_detail: expect.stringContaining('photo.png') },
		]);
	});

	it('refuses an attachment whose download turns out to be of a type the policy does not allow', async () => {
		fake.put('page', { path: '/Wiki/Home', mime: 'text/plain', attachments: [{ name: 'image', mime: 'image/png', content: 'x' }] });
		fake.servedMime('image', 'application/x-msdownload');
		const [result] = await exportItems([fake.item('page')], { run: runPolicy(policyWith({ allowedFileTypes: ['text/*', 'image/*'] })) });
		expect(result.output === 'main' && result.attachments).toEqual([]);
		expect(result.output === 'main' && result.json.attachments_skipped).toEqual([
			{ name: 'image', skip_reason: 'policy_file_type', skip_detail: expect.stringContaining('application/x-msdownload') },
		]);
	});

	it('passes on the attachments the provider left out itself', async () => {
		fake.put('page', { path: '/Wiki/Home', skippedAttachments: [{ name: 'late.png', skip_reason: 'attachment_limit', skip_detail: 'only 1' }] });
		const [result] = await exportItems([fake.item('page')]);
		expect(result.output === 'main' && result.json.attachments_skipped).toEqual([{ name: 'late.png', skip_reason: 'attachment_limit', skip_detail: 'only 1' }]);
	});

	it('stops storing attachments when the execution is cancelled', async () => {
		const controller = new AbortController();
		fake.put('page', {
			path: '/Wiki/Home',
			attachments: [
				{ name: 'a.png', mime: 'image/png', content: 'a', onOpen: () => controller.abort() },
				{ name: 'b.png', mime: 'image/png', content: 'b' },
			],
		});
		const [result] = await exportItems([fake.item('page')], { host: { ...host, signal: controller.signal } });
		expect(result.output).toBe('failed');
		expect(binaries.stored.map((binary) => binary.fileName)).not.toContain('b.png');
	});

	it("fails only the item whose export throws, releasing it as failed and holding its run's cursor back", async () => {
		for (const id of ['a', 'b', 'c']) fake.put(id, { path: `/${id}.txt` });
		fake.failExport('b', new Error('quota exceeded'));
		const { runId, items } = await listedAndChecked();

		const results = await exportItems(items, { describeFailure: (error, index) => `item ${index}: ${(error as Error).message}` });

		expect(ids(results)).toEqual([
			[0, 'main', 'a'],
			[1, 'failed', undefined],
			[2, 'main', 'c'],
		]);
		expect(results[1]).toMatchObject({ output: 'failed', error: new Error('quota exceeded') });
		const run = await store().runs.get(runId);
		expect(run?.counts.failed).toBe(1);
		expect(run?.errors).toEqual(['b: item 1: quota exceeded']);

		await store().items.commit(
			results.flatMap((result) => (result.output === 'main' ? [result.json] : [])),
			{ executionId: EXECUTION },
		);
		expect(await committedCursor(store(), SOURCE_KEY)).toBeNull();
		// Its claim is gone: the next run takes the item up again at once.
		const [again] = await store().items.check([fake.item('b')], { executionId: 'exec-next' });
		expect(again).toMatchObject({ change: 'new', reason: 'not_in_cache' });
	});

	it('fails an item whose bytes the binary store cannot take, with the others exported', async () => {
		for (const id of ['a', 'b']) fake.put(id, { path: `/${id}.txt` });
		const storeBinary = async (data: Readable | Buffer, fileName: string, mimeType: string | undefined) => {
			if (fileName.startsWith('a.txt')) throw new Error('disk full');
			return await binaries.storeBinary(data, fileName, mimeType);
		};
		const results = await exportItems([fake.item('a'), fake.item('b')], { storeBinary });
		expect(ids(results)).toEqual([
			[0, 'failed', undefined],
			[1, 'main', 'b'],
		]);
	});

	it("settles the provider's skips in their run, so the run's cursor commits with the exported items", async () => {
		fake.put('a', { path: '/a.txt' }).put('video', { path: '/video.mp4' });
		fake.skipExport('video', 'not_downloadable', 'the owner disabled downloads of "video.mp4"');
		const { runId, items } = await listedAndChecked();

		const results = await exportItems(items);

		expect(results[1]).toEqual({
			index: 1,
			output: 'skipped',
			json: { ...items[1], skip_reason: 'not_downloadable', skip_detail: 'the owner disabled downloads of "video.mp4"' },
		});
		expect((await store().runs.get(runId))?.skippedByReason).toEqual({ not_downloadable: 1 });
		await store().items.commit([results[0].output === 'main' ? results[0].json : items[0]], { executionId: EXECUTION });
		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 2, snapshot: String(runId) });
	});

	it("settles skips of items without a run in the execution's run of their source", async () => {
		fake.put('video', { path: '/video.mp4' });
		fake.skipExport('video', 'not_downloadable', 'downloads disabled');
		await exportItems([fake.item('video')]);
		const [status] = await store().status(SOURCE_KEY);
		expect(status.lastRun).toMatchObject({ implicit: true, executionId: EXECUTION, skippedByReason: { not_downloadable: 1 } });
	});

	it('refuses an item by its plan before asking the provider for it', async () => {
		fake.put('doc', { path: '/Plans/Roadmap', mime: DOCUMENT_MIME });
		const [result] = await exportItems([fake.item('doc')], { run: runPolicy(policyWith({ allowedExportFormats: ['csv'] })) });
		expect(result).toMatchObject({ output: 'skipped', json: { skip_reason: 'policy_export_format' } });
		expect(fake.exportCalls).toEqual([]);
	});

	it("hints the run's warnings, what the policy does to the format overrides, and the skips per reason", async () => {
		fake.put('doc', { path: '/Plans/Roadmap', mime: DOCUMENT_MIME }).put('video', { path: '/video.mp4' });
		fake.skipExport('video', 'not_downloadable', 'downloads disabled');
		const run: RunPolicy = runPolicy(policyWith({ allowedExportFormats: ['txt', 'md'] }), ['Restrict Further cannot widen the file types']);
		await exportItems([fake.item('doc'), fake.item('video')], { run, formatOverrides: () => ({ document: 'docx' }) });
		expect(fake.exportCalls[0].format).toBe('txt');
		expect(host.hints).toEqual([
			'Restrict Further cannot widen the file types',
			'The org policy does not allow docx: Fake Docs are exported as txt instead',
			'1 item(s) went to the Skipped output (not_downloadable: 1)',
		]);
	});

	it('ends with a summary line counting what became of the items', async () => {
		for (const id of ['a', 'b', 'c', 'd']) fake.put(id, { path: `/${id}.txt` });
		fake.failExport('b', new Error('boom'));
		fake.skipExport('c', 'not_downloadable', 'no');
		await exportItems([fake.item('a'), fake.item('b'), fake.item('c'), { ...fake.item('d'), change: 'deleted' }]);
		expect(host.infos).toHaveLength(1);
		expect(host.infos[0]).toMatch(/^Fake Drive export: 1 exported, 1 skipped, 1 failed, 1 deleted of 4 in \d+ s, done$/);
	});

	it('hands a PolicySkipError from the binary store to skipped, not to failed', async () => {
		fake.put('a', { path: '/a.txt' });
		const storeBinary = async (): Promise<StoredBinary> => {
			throw new PolicySkipError('policy_size', '"a.txt" is larger than the org limit');
		};
		const [result] = await exportItems([fake.item('a')], { storeBinary });
		expect(result).toMatchObject({
			output: 'skipped',
			json: { skip_reason: 'policy_size', skip_detail: '"a.txt" is larger than the org limit' },
		});
	});
});
