import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import { googleDriveProvider, type DriveExportOutcome } from '../../../lib/providers/googleDrive';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { testConnection } from './helpers';

function itemOf(file: { id: string; name: string; mimeType: string }): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: file.id,
		source_key: 'google_drive:test:root',
		name: file.name,
		path: `/My Drive/${file.name}`,
		parents: [],
		mime: file.mimeType,
		size: null,
		modified_at: null,
		created_at: null,
		version: '1',
		hash: null,
		url: null,
		change: 'upsert',
	};
}

async function textOf(outcome: DriveExportOutcome): Promise<string> {
	if (outcome.kind !== 'content') throw new Error(`expected content, got ${outcome.skipReason}: ${outcome.skipDetail}`);
	const chunks: Buffer[] = [];
	for await (const chunk of outcome.body as Readable) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** Every tab of a workbook through the provider's export, against the fake's Drive and Sheets APIs. */
describe('Drive export of a Google Sheet with several tabs', () => {
	let google: FakeGoogle;
	let workbook: ConnectorItem;

	beforeAll(async () => {
		google = await startFakeGoogle();
		workbook = itemOf(
			google.addSpreadsheet({
				name: 'Budget 2026',
				sheets: [
					{ title: 'Summary', rows: [['Total', '1,250']] },
					{ title: 'Lookups', rows: [['rate', '0.2']], hidden: true },
					{ title: "Q1 '26", rows: [['Month', 'Spend'], ['Jan', '500'], ['Feb', '750']] },
				],
			}),
		);
	});
	afterAll(async () => await google.close());
	afterEach(() => expect(google.internalErrors).toEqual([]));

	const exportItem = async (item: ConnectorItem, format?: string, options?: Record<string, unknown>) =>
		await googleDriveProvider.exportItem(testConnection(google), { item, format, options });

	it('exports every visible tab in one CSV, in order, each row led by its tab, in two Sheets requests', async () => {
		google.resetRequestLog();
		const outcome = await exportItem(workbook);
		expect(await textOf(outcome)).toBe(
			['sheet,A,B', 'Summary,Total,"1,250"', "Q1 '26,Month,Spend", "Q1 '26,Jan,500", "Q1 '26,Feb,750", ''].join('\r\n'),
		);
		expect(outcome).toMatchObject({ fileName: 'Budget 2026.csv', mimeType: 'text/csv', exportFormat: 'csv' });
		expect(google.sheetsRequests().map((request) => request.path)).toEqual([`/v4/spreadsheets/${workbook.external_id}`, `/v4/spreadsheets/${workbook.external_id}/values:batchGet`]);
		expect(google.driveRequests()).toEqual([]);
	});

	it('includes the hidden tab when asked, and exports TSV the same way', async () => {
		expect(await textOf(await exportItem(workbook, 'csv', { includeHiddenSheets: true }))).toContain('Lookups,rate,0.2\r\n');
		const tsv = await textOf(await exportItem(workbook, 'tsv'));
		expect(tsv.split('\r\n').slice(0, 2)).toEqual(['sheet\tA\tB', 'Summary\tTotal\t1,250']);
		expect(tsv).not.toContain('Lookups');
	});

	it("keeps Drive's own export for formats that hold every tab already (XLSX, PDF)", async () => {
		google.resetRequestLog();
		await textOf(await exportItem(workbook, 'pdf'));
		expect(google.sheetsRequests()).toEqual([]);
		expect(google.driveRequests().map((request) => request.path)).toEqual([`/drive/v3/files/${workbook.external_id}/export`]);
	});

	it('skips a workbook whose every tab is hidden, saying how to export them', async () => {
		const hidden = itemOf(google.addSpreadsheet({ name: 'Secret', sheets: [{ title: 'Only', rows: [['x']], hidden: true }] }));
		expect(await exportItem(hidden)).toMatchObject({ kind: 'skipped', skipReason: 'no_visible_sheets', skipDetail: expect.stringMatching(/Include Hidden Sheets/) });
		expect(await textOf(await exportItem(hidden, 'csv', { includeHiddenSheets: true }))).toBe('sheet,A\r\nOnly,x\r\n');
	});

	it('skips a workbook deleted since it was listed as not_found', async () => {
		const gone = google.addSpreadsheet({ name: 'Gone', sheets: [{ title: 'A', rows: [['1']] }] });
		google.remove(gone.id);
		expect(await exportItem(itemOf(gone))).toMatchObject({ kind: 'skipped', skipReason: 'not_found' });
	});

	it('fails the item, not as a skip, when the Sheets API is not enabled, saying where to enable it', async () => {
		google.sheetsApiDisabled = true;
		try {
			await expect(exportItem(workbook)).rejects.toMatchObject({
				code: 'sheets_api_unavailable',
				message: expect.stringMatching(/needs the Google Sheets API/),
				hint: expect.stringMatching(/Enable the Google Sheets API/),
			});
		} finally {
			google.sheetsApiDisabled = false;
		}
	});

	it('retries a rate-limited Sheets request like any Google request', async () => {
		google.failNext(1, { status: 429, path: '/v4/spreadsheets/' });
		expect(await textOf(await exportItem(workbook))).toContain('Summary,Total');
	});
});
