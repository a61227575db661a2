import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import { defaultPolicy, describePolicy, type OrgPolicy } from '../../../lib/policy';
import { oneDriveProvider, type OneDriveConnection, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { openStore, type ConnectorStore } from '../../../lib/store';
import { listSource, runExport, type ExportRunResult, type RunHost } from '../../../lib/sync';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { testConnection } from './helpers';

const ACCOUNT = 'alice@contoso.com';
const host: RunHost = { executionId: 'test', scope: { owner: 'workflow:test', workflowId: 'test', admin: false }, logger: { info: () => undefined, warn: () => undefined }, hint: () => undefined };

interface Stored {
	bytes: Buffer;
	fileName: string;
	mimeType: string | undefined;
}

describe('OneDrive export through the engine against the strict fake Microsoft Graph', () => {
	let graph: FakeGraph;
	let connection: OneDriveConnection;
	let store: ConnectorStore;
	let dir: string;

	beforeEach(async () => {
		graph = await startFakeGraph();
		connection = testConnection(graph);
		dir = mkdtempSync(join(tmpdir(), 'onedrive-export-'));
		store = await openStore({ path: join(dir, 'cache.sqlite') });
	});

	afterEach(async () => {
		expect(graph.internalErrors).toEqual([]);
		await store.close();
		rmSync(dir, { recursive: true, force: true });
		await graph.close();
	});

	/** Lists the folder and exports every listed item under `policy`, bodies read as n8n's binary store reads them. */
	async function listAndExport(folderId: string, policy: OrgPolicy = defaultPolicy(), overrides: Record<string, string> = {}) {
		const source: OneDriveSource = { kind: 'folder', driveId: 'me', folderId, recursive: true };
		const sourceKey = oneDriveProvider.sourceKey(ACCOUNT, source);
		const runId = await store.runs.start({ sourceKey, provider: oneDriveProvider.id });
		// As List Changes does: the listing workflow owns the source's state.
		await store.owners.recordListing({ sourceKey, provider: oneDriveProvider.id }, host.scope.owner);
		const listed = await listSource({ store, provider: oneDriveProvider, connection, source, sourceKey, runId });
		const items = (await store.items.check(listed.items)).map((checked) => checked.item);
		graph.resetRequestLog();
		const results: ExportRunResult<Stored>[] = await runExport<OneDriveConnection, Stored>({
			store,
			provider: oneDriveProvider,
			connection,
			host,
			run: { policy, description: describePolicy(policy), warnings: [] },
			items,
			formatOverrides: () => overrides,
			concurrency: 4,
			storeBinary: async (data, fileName, mimeType) => ({ bytes: await readAll(data), fileName, mimeType }),
		});
		return { items, results };
	}

	const byName = (results: ExportRunResult<Stored>[], items: ConnectorItem[], name: string) => {
		const index = items.findIndex((item) => item.name === name);
		return results.find((result) => result.index === index) as ExportRunResult<Stored>;
	};

	it('streams a file as it is, through the redirect to its download URL, with the content hash of its bytes and Graph’s quickXorHash', async () => {
		const root = graph.addFolder({ name: 'Root' });
		const file = graph.addFile({ name: 'report.pdf', parent: root.id, content: '%PDF-1.7 report' });

		const { items, results } = await listAndExport(root.id);

		const result = byName(results, items, 'report.pdf');
		expect(result.output).toBe('main');
		if (result.output !== 'main') return;
		expect(result.content?.bytes.toString()).toBe('%PDF-1.7 report');
		expect(result.content).toMatchObject({ fileName: 'report.pdf', mimeType: 'application/pdf' });
		expect(result.json).toMatchObject({
			export_format: 'pdf',
			export_mime: 'application/pdf',
			content_hash: createHash('sha256').update('%PDF-1.7 report').digest('hex'),
			hash: expect.any(String),
		});
		const requests = graph.requests.map((request) => request.path);
		expect(requests).toContain(`/v1.0/drives/${graph.myDrive.id}/items/${file.id}/content`);
		expect(requests.some((path) => path.startsWith(`/download/${file.id}`))).toBe(true);
	});

	it('exports Office files as they are by default, and as PDF through ?format=pdf when the node asks', async () => {
		const root = graph.addFolder({ name: 'Root' });
		graph.addFile({ name: 'plan.docx', parent: root.id, content: 'PK-docx' });
		graph.addFile({ name: 'budget.xlsx', parent: root.id, content: 'PK-xlsx' });

		const asIs = await listAndExport(root.id);
		const docx = byName(asIs.results, asIs.items, 'plan.docx');
		expect(docx).toMatchObject({ output: 'main', json: { export_format: 'docx' }, content: { fileName: 'plan.docx' } });

		const pdf = await listAndExport(root.id, defaultPolicy(), { document: 'pdf' });
		const converted = byName(pdf.results, pdf.items, 'plan.docx');
		expect(converted).toMatchObject({ output: 'main', json: { export_format: 'pdf', export_mime: 'application/pdf' }, content: { fileName: 'plan.pdf', mimeType: 'application/pdf' } });
		if (converted.output === 'main') expect(converted.content?.bytes.toString()).toMatch(/^%PDF-1\.7/);
		expect(graph.requests.some((request) => request.path.endsWith('/content') && request.query.format === 'pdf')).toBe(true);
		// Only Word documents were asked for as PDF.
		expect(byName(pdf.results, pdf.items, 'budget.xlsx')).toMatchObject({ output: 'main', json: { export_format: 'xlsx' } });
	});

	it('converts to PDF where the policy allows only PDF files, and keeps the bytes when the policy refuses PDF', async () => {
		const root = graph.addFolder({ name: 'Root' });
		graph.addFile({ name: 'plan.docx', parent: root.id, content: 'PK-docx' });
		graph.addFile({ name: 'image.png', parent: root.id, content: 'png' });

		const onlyPdf = await listAndExport(root.id, { ...defaultPolicy(), allowedFileTypes: ['pdf'] });
		expect(byName(onlyPdf.results, onlyPdf.items, 'plan.docx')).toMatchObject({ output: 'main', json: { export_format: 'pdf' } });

		const noPdf = await listAndExport(root.id, { ...defaultPolicy(), allowedExportFormats: ['md'] }, { document: 'pdf' });
		expect(byName(noPdf.results, noPdf.items, 'plan.docx')).toMatchObject({ output: 'main', json: { export_format: 'docx' } });
	});

	it('skips a OneNote notebook and a file deleted since listing with stable reasons, and fails nothing else', async () => {
		const root = graph.addFolder({ name: 'Root' });
		graph.addNotebook({ name: 'Team Notebook', parent: root.id });
		const doomed = graph.addFile({ name: 'doomed.txt', parent: root.id, content: 'd' });
		graph.addFile({ name: 'fine.txt', parent: root.id, content: 'f' });
		const source: OneDriveSource = { kind: 'folder', driveId: 'me', folderId: root.id, recursive: true };
		const sourceKey = oneDriveProvider.sourceKey(ACCOUNT, source);
		const runId = await store.runs.start({ sourceKey, provider: oneDriveProvider.id });
		// As List Changes does: the listing workflow owns the source's state.
		await store.owners.recordListing({ sourceKey, provider: oneDriveProvider.id }, host.scope.owner);
		const listed = await listSource({ store, provider: oneDriveProvider, connection, source, sourceKey, runId });
		graph.remove(doomed.id);

		const notebook = await oneDriveProvider.exportItem(connection, { item: listed.items.find((item) => item.name === 'Team Notebook') as ConnectorItem });
		const deleted = await oneDriveProvider.exportItem(connection, { item: listed.items.find((item) => item.name === 'doomed.txt') as ConnectorItem });

		expect(notebook).toMatchObject({ kind: 'skipped', skipReason: 'not_downloadable', skipDetail: expect.stringContaining('OneNote') });
		expect(deleted).toMatchObject({ kind: 'skipped', skipReason: 'not_found' });
	});

	it('skips a PDF conversion Graph does not support as not_exportable', async () => {
		const root = graph.addFolder({ name: 'Root' });
		graph.addFile({ name: 'macro.xlsb', parent: root.id, content: 'x' });
		const item = (await listAndExport(root.id)).items[0];
		// xlsb is no Office type the connector converts: exported as it is, never converted.
		expect(oneDriveProvider.exportChoices(item)).toBeUndefined();
		const docx = graph.addFile({ name: 'fine.docx', parent: root.id, content: 'd' });
		graph.failNext(1, { status: 406, code: 'notSupported', path: `/v1.0/drives/${graph.myDrive.id}/items/${docx.id}/content` });
		const outcome = await oneDriveProvider.exportItem(connection, { item: { ...item, external_id: docx.id, name: 'fine.docx' }, format: 'pdf' });
		expect(outcome).toMatchObject({ kind: 'skipped', skipReason: 'not_exportable' });
	});
});

async function readAll(data: Readable | Buffer): Promise<Buffer> {
	if (Buffer.isBuffer(data)) return data;
	const chunks: Buffer[] = [];
	for await (const chunk of data) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}
