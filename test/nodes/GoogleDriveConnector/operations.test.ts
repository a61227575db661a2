import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { GoogleDriveConnector } from '../../../nodes/GoogleDriveConnector/GoogleDriveConnector.node';
import { useCacheFile } from '../cacheFile';
import { executeContext, perItem, rl, type ExecuteContextOptions, type SignedRequests } from '../support';

const DOC = 'application/vnd.google-apps.document';
const node = {
	name: 'Google Drive Connector',
	type: 'n8n-nodes-external-connectors.googleDriveConnector',
	credentials: { googleDriveConnectorOAuth2Api: { id: 'cred-drive', name: 'Drive' } },
};

/** The node's execute, through its router, against the fake Drive with a fresh store. */
describe('Google Drive Connector operations', () => {
	useCacheFile();
	let google: FakeGoogle;
	let previousUrl: string | undefined;
	let token: string;

	beforeAll(async () => {
		google = await startFakeGoogle();
		previousUrl = process.env.CONNECTORS_GOOGLE_API_URL;
		process.env.CONNECTORS_GOOGLE_API_URL = google.origin;
		token = google.issueTokens().access_token;
	});

	afterAll(async () => {
		if (previousUrl === undefined) delete process.env.CONNECTORS_GOOGLE_API_URL;
		else process.env.CONNECTORS_GOOGLE_API_URL = previousUrl;
		await google.close();
	});

	afterEach(() => expect(google.internalErrors).toEqual([]));

	const run = async (operation: string, options: ExecuteContextOptions = {}) =>
		await new GoogleDriveConnector().execute.call(
			executeContext({ node, token, ...options, parameters: { operation, ...options.parameters } }),
		);
	const names = (items: INodeExecutionData[]) => items.map((item) => item.json.name);

	describe('browse', () => {
		it("lists a folder's folders, then files, with their paths, paired to the input item", async () => {
			const folder = google.addFolder({ name: 'Handbook' });
			google.addFile({ name: 'b.pdf', parent: folder.id, mimeType: 'application/pdf', content: '%PDF' });
			google.addFolder({ name: 'People', parent: folder.id });
			const [entries] = await run('browse', { parameters: { location: 'folder', folderId: rl('id', folder.id), returnAll: true } });
			expect(entries.map((entry) => [entry.json.name, entry.json.type, entry.json.path])).toEqual([
				['People', 'folder', '/My Drive/Handbook/People'],
				['b.pdf', 'file', '/My Drive/Handbook/b.pdf'],
			]);
			expect(entries.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		});

		it('stops at Limit across pages, and Return All reads every page', async () => {
			const folder = google.addFolder({ name: 'Big' });
			for (let i = 0; i < 120; i++) google.addFile({ name: `f${String(i).padStart(3, '0')}.txt`, parent: folder.id, mimeType: 'text/plain', content: 'x' });
			const [limited] = await run('browse', { parameters: { location: 'folder', folderId: rl('id', folder.id), returnAll: false, limit: 110 } });
			expect(limited).toHaveLength(110);
			expect(limited.at(-1)?.json.name).toBe('f109.txt');
			const [all] = await run('browse', { parameters: { location: 'folder', folderId: rl('id', folder.id), returnAll: true } });
			expect(all).toHaveLength(120);
		});

		it('browses once per input item, each its own location', async () => {
			google.addSharedDrive({ name: 'Sales' });
			const [entries] = await run('browse', {
				items: [{ json: {} }, { json: {} }],
				parameters: { location: perItem('sharedDrives', 'myDrive'), returnAll: true },
			});
			const fromFirst = entries.filter((entry) => (entry.pairedItem as { item: number }).item === 0);
			expect(fromFirst.map((entry) => entry.json.type)).toEqual(['shared_drive']);
			const fromSecond = entries.filter((entry) => (entry.pairedItem as { item: number }).item === 1);
			expect(fromSecond.length).toBeGreaterThan(0);
			expect(fromSecond.every((entry) => entry.json.type !== 'shared_drive' && String(entry.json.path).startsWith('/My Drive/'))).toBe(true);
		});

		it('turns a malformed folder into an error item with continueOnFail, and goes on', async () => {
			const [entries] = await run('browse', {
				items: [{ json: {} }, { json: {} }],
				continueOnFail: true,
				parameters: { location: perItem('folder', 'sharedDrives'), folderId: rl('id', 'nope'), returnAll: true },
			});
			expect(entries[0]).toEqual({ json: { error: '"nope" is not a valid Google Drive folder id' }, pairedItem: { item: 0 } });
			expect(entries.slice(1).every((entry) => entry.json.type === 'shared_drive')).toBe(true);
		});
	});

	describe('listChanges', () => {
		it("lists a folder's subtree once, keyed by the account and the folder, every item with its run", async () => {
			const folder = google.addFolder({ name: 'Docs' });
			const sub = google.addFolder({ name: 'Sub', parent: folder.id });
			google.addFile({ name: 'top.md', parent: folder.id, mimeType: 'text/markdown', content: '# Top' });
			google.addFile({ name: 'deep.md', parent: sub.id, mimeType: 'text/markdown', content: '# Deep' });
			const parameters = { source: 'folder', sourceFolderId: rl('id', folder.id), recursive: true };
			const [listed, skipped] = await run('listChanges', { parameters });
			expect(names(listed).sort()).toEqual(['deep.md', 'top.md']);
			expect(skipped).toEqual([]);
			for (const item of listed) {
				expect(item.json).toMatchObject({ source_key: `google_drive:alice@example.com:folder:${folder.id}`, change: 'upsert', run_id: expect.any(Number) });
			}
		});

		it('leaves subfolders out when Recursive is off, as another source', async () => {
			const folder = google.addFolder({ name: 'Flat' });
			const sub = google.addFolder({ name: 'Sub', parent: folder.id });
			google.addFile({ name: 'top.md', parent: folder.id, mimeType: 'text/markdown', content: '# Top' });
			google.addFile({ name: 'deep.md', parent: sub.id, mimeType: 'text/markdown', content: '# Deep' });
			const [listed] = await run('listChanges', { parameters: { source: 'folder', sourceFolderId: rl('id', folder.id), recursive: false } });
			expect(names(listed)).toEqual(['top.md']);
			expect(listed[0].json.source_key).toBe(`google_drive:alice@example.com:folder:${folder.id}:direct`);
		});

		it('sends files outside Include Types nowhere and files the Restrict Further paths deny to Skipped', async () => {
			const folder = google.addFolder({ name: 'Mixed' });
			const hr = google.addFolder({ name: 'HR', parent: folder.id });
			google.addFile({ name: 'a.pdf', parent: folder.id, mimeType: 'application/pdf', content: '%PDF' });
			google.addFile({ name: 'b.png', parent: folder.id, mimeType: 'image/png', content: 'png' });
			google.addFile({ name: 'pay.pdf', parent: hr.id, mimeType: 'application/pdf', content: '%PDF' });
			const [listed, skipped] = await run('listChanges', {
				parameters: {
					source: 'folder',
					sourceFolderId: rl('id', folder.id),
					recursive: true,
					listOptions: { includeTypes: 'pdf' },
					policyNarrowing: { denyPaths: '/HR/**' },
				},
			});
			expect(names(listed)).toEqual(['a.pdf']);
			expect(skipped.map((item) => [item.json.name, item.json.skip_reason])).toEqual([['pay.pdf', 'policy_path']]);
		});

		it('fails the node on a malformed folder id before any request', async () => {
			google.resetRequestLog();
			await expect(run('listChanges', { parameters: { source: 'folder', sourceFolderId: rl('id', 'nope'), recursive: true } })).rejects.toThrow(
				'"nope" is not a valid Google Drive folder id',
			);
			expect(google.driveRequests()).toEqual([]);
		});
	});

	describe('authentication', () => {
		it.each([
			[undefined, 'googleDriveConnectorOAuth2Api'],
			['oAuth2', 'googleDriveConnectorOAuth2Api'],
			['serviceAccount', 'googleDriveConnectorServiceAccountApi'],
		])('with Authentication %p, signs every request with %s', async (authentication, credentialType) => {
			const calls: NonNullable<SignedRequests['calls']> = [];
			const parameters = { location: 'myDrive', returnAll: true, ...(authentication ? { authentication } : {}) };
			await run('browse', { parameters, requests: { calls }, node: { ...node, credentials: { [credentialType]: { id: 'cred-1', name: 'Drive' } } } });
			expect(calls.length).toBeGreaterThan(0);
			expect(new Set(calls.map((call) => call.credentialType))).toEqual(new Set([credentialType]));
		});
	});

	describe('export', () => {
		/** Google Docs listed from a new folder, as List Changes hands them to Export. */
		async function listedDocs(count: number): Promise<INodeExecutionData[]> {
			const folder = google.addFolder({ name: `Docs ${count}` });
			for (let i = 0; i < count; i++) google.addFile({ name: `Doc ${String(i).padStart(2, '0')}`, parent: folder.id, mimeType: DOC, content: `Text ${i}` });
			const [listed] = await run('listChanges', { parameters: { source: 'folder', sourceFolderId: rl('id', folder.id), recursive: true } });
			return listed.map((item) => ({ json: item.json }));
		}

		it('exports each item in the format its own parameters ask for, Docs as text by default', async () => {
			const items = await listedDocs(2);
			const [exported, skipped] = await run('export', { items, parameters: { exportFormats: perItem({ document: 'md' }, {}) } });
			expect(skipped).toEqual([]);
			expect(exported.map((item) => [item.json.name, item.json.export_format, item.json.export_mime])).toEqual([
				['Doc 00', 'md', 'text/markdown'],
				['Doc 01', 'txt', 'text/plain'],
			]);
			const binaries = exported.map((item) => item.binary?.data as IBinaryData);
			expect(binaries.map((binary) => [binary.fileName, binary.mimeType])).toEqual([
				['Doc 00.md', 'text/markdown'],
				['Doc 01.txt', 'text/plain'],
			]);
			expect(Buffer.from(binaries[1].data, 'base64').toString('utf8')).toContain('Text 1');
			expect(exported.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});

		it("exports every visible tab of a Sheet, and the hidden ones with Include Hidden Sheets", async () => {
			const folder = google.addFolder({ name: 'Workbooks' });
			google.addSpreadsheet({
				name: 'Plan',
				parent: folder.id,
				sheets: [{ title: 'Open', rows: [['a']] }, { title: 'Hidden', rows: [['h']], hidden: true }, { title: 'Later', rows: [['b']] }],
			});
			const [listed] = await run('listChanges', { parameters: { source: 'folder', sourceFolderId: rl('id', folder.id), recursive: true } });
			const items = listed.map((item) => ({ json: item.json }));
			const csvOf = (exported: INodeExecutionData[]) => Buffer.from((exported[0].binary?.data as IBinaryData).data, 'base64').toString('utf8');
			const [visible] = await run('export', { items });
			expect(csvOf(visible)).toBe('sheet,A\r\nOpen,a\r\nLater,b\r\n');
			const [all] = await run('export', { items, parameters: { exportOptions: { includeHiddenSheets: true } } });
			expect(csvOf(all)).toBe('sheet,A\r\nOpen,a\r\nHidden,h\r\nLater,b\r\n');
		});

		it.each([
			[1000, 32],
			[32, 32],
			[3, 3],
			[-5, 1],
			[0, 16],
			['many', 16],
			[undefined, 16],
		])('with Parallel Downloads %p in the workflow JSON, downloads %p files at once', async (concurrency, expected) => {
			// More files than the cap of 32 where the cap is the point; a few where one or three at a time would take seconds.
			const files = expected > 3 ? 40 : 8;
			const items = await listedDocs(files);
			const requests: SignedRequests = { delayMs: 100, inFlight: { now: 0, peak: 0 } };
			const exportOptions = concurrency === undefined ? {} : { concurrency };
			const [exported] = await run('export', { items, requests, parameters: { exportOptions } });
			expect(exported).toHaveLength(files);
			expect(requests.inFlight?.peak).toBe(expected);
		});
	});
});
