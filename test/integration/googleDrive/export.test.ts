import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { InvalidInputError } from '../../../lib/errors';
import type { ConnectorItem } from '../../../lib/items';
import { defaultPolicy, PolicySkipError, type OrgPolicy } from '../../../lib/policy';
import { createDriveClient, type DriveClient } from '../../../lib/providers/googleDrive/client';
import {
	exportDriveItem,
	safeFileName,
	type ExportedContent,
	type ExportResult,
} from '../../../lib/providers/googleDrive/export';
import type { DriveFile } from '../../fakes/driveModel';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';

const DOC = 'application/vnd.google-apps.document';
const SHEET = 'application/vnd.google-apps.spreadsheet';
const SLIDES = 'application/vnd.google-apps.presentation';
const DRAWING = 'application/vnd.google-apps.drawing';
const MB = 1024 * 1024;

function bearerFetch(token: string): typeof fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return await fetch(input, { ...init, headers });
	};
}

function itemOf(file: DriveFile): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: file.id,
		source_key: 'google_drive:test:root',
		name: file.name,
		path: `/My Drive/${file.name}`,
		parents: file.parents,
		mime: file.mimeType,
		size: file.content.size,
		modified_at: file.modifiedTime,
		created_at: file.createdTime,
		version: String(file.version),
		hash: null,
		url: null,
		change: 'upsert',
	};
}

function contentOf(result: ExportResult): ExportedContent {
	if (result.kind !== 'content') throw new Error(`expected content, got skipped ${result.skipReason}: ${result.skipDetail}`);
	return result;
}

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function garbageCollector(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

function policyWith(changes: Partial<OrgPolicy>): OrgPolicy {
	return { ...defaultPolicy(), ...changes };
}

describe('exportDriveItem against the strict fake Drive', () => {
	let google: FakeGoogle;
	let drive: DriveClient;
	let signedFetch: typeof fetch;

	beforeEach(async () => {
		google = await startFakeGoogle();
		const { access_token } = google.issueTokens();
		signedFetch = bearerFetch(access_token);
		drive = createDriveClient({ fetch: signedFetch, apiUrl: google.origin });
	});

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await google.close();
	});

	describe('default formats', () => {
		it('exports a Google Doc as plain text named after the doc', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: 'Ship it' });

			const result = contentOf(await exportDriveItem(drive, itemOf(doc), {}));
			const bytes = await readAll(result.stream);

			expect(bytes.toString('utf8')).toBe('\ufeffShip it');
			expect(result).toMatchObject({ fileName: 'Plan.txt', mimeType: 'text/plain', exportFormat: 'txt', exportMime: 'text/plain' });
			expect(result.bytes()).toBe(bytes.length);
			expect(result.contentHash()).toBe(createHash('sha256').update(bytes).digest('hex'));
		});

		it('exports a Google Sheet as CSV', async () => {
			const sheet = google.addFile({ name: 'Budget', mimeType: SHEET, content: 'a,b\n1,2' });

			const result = contentOf(await exportDriveItem(drive, itemOf(sheet), {}));

			expect((await readAll(result.stream)).toString('utf8')).toBe('a,b\n1,2');
			expect(result).toMatchObject({ fileName: 'Budget.csv', exportFormat: 'csv', exportMime: 'text/csv' });
		});

		it('exports Google Slides as PDF', async () => {
			const slides = google.addFile({ name: 'Deck', mimeType: SLIDES, content: 'slide one' });

			const result = contentOf(await exportDriveItem(drive, itemOf(slides), {}));

			expect((await readAll(result.stream)).toString('utf8')).toMatch(/^%PDF/);
			expect(result).toMatchObject({ fileName: 'Deck.pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
		});

		it('exports a Google Drawing as PDF', async () => {
			const drawing = google.addFile({ name: 'Diagram', mimeType: DRAWING, content: 'boxes' });

			const result = contentOf(await exportDriveItem(drive, itemOf(drawing), {}));

			expect((await readAll(result.stream)).toString('utf8')).toMatch(/^%PDF/);
			expect(result).toMatchObject({ fileName: 'Diagram.pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
		});

		it('skips a Google-native type that has no export as not_exportable', async () => {
			const form = google.addFile({ name: 'Survey', mimeType: 'application/vnd.google-apps.form' });

			const result = await exportDriveItem(drive, itemOf(form), {});

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_exportable' });
		});
	});

	describe('overrides', () => {
		it('exports a Google Doc as Markdown when asked to', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: '# Plan' });

			const result = contentOf(await exportDriveItem(drive, itemOf(doc), { formats: { document: 'md' } }));

			expect((await readAll(result.stream)).toString('utf8')).toBe('# Plan');
			expect(result).toMatchObject({ fileName: 'Plan.md', exportFormat: 'md', exportMime: 'text/markdown' });
		});

		it('refuses an override Drive does not offer for that type before downloading anything', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: 'x' });
			google.resetRequestLog();

			await expect(exportDriveItem(drive, itemOf(doc), { formats: { spreadsheet: 'docx' } })).rejects.toThrow(InvalidInputError);
			await expect(exportDriveItem(drive, itemOf(doc), { formats: { document: 'exe' } })).rejects.toThrow(/cannot export a document to "exe"/);
			expect(google.driveRequests()).toHaveLength(0);
		});
	});

	describe('binary files', () => {
		it('streams the original bytes with a sha256 that matches them and is the same on the next export', async () => {
			const original = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
			const pdf = google.addFile({ name: 'q1.pdf', mimeType: 'application/pdf', content: original });

			const first = contentOf(await exportDriveItem(drive, itemOf(pdf), {}));
			const firstBytes = await readAll(first.stream);
			const second = contentOf(await exportDriveItem(drive, itemOf(pdf), {}));
			await readAll(second.stream);

			expect(firstBytes.equals(original)).toBe(true);
			expect(first).toMatchObject({ fileName: 'q1.pdf', mimeType: 'application/pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
			expect(first.bytes()).toBe(original.length);
			expect(first.contentHash()).toBe(createHash('sha256').update(original).digest('hex'));
			expect(second.contentHash()).toBe(first.contentHash());
		});

		it("calls a file without an extension's format 'original'", async () => {
			const blob = google.addFile({ name: 'README', mimeType: 'application/octet-stream', content: 'hi' });

			const result = contentOf(await exportDriveItem(drive, itemOf(blob), {}));
			await readAll(result.stream);

			expect(result).toMatchObject({ fileName: 'README', exportFormat: 'original', exportMime: 'application/octet-stream' });
		});

		it('skips a file Drive flags as abusive without acknowledging the abuse', async () => {
			const bad = google.addFile({ name: 'bad.exe', mimeType: 'application/octet-stream', content: 'MZ', abusive: true });

			const result = await exportDriveItem(drive, itemOf(bad), {});

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'abusive_file' });
			expect(google.driveRequests().every((r) => r.query.acknowledgeAbuse === undefined)).toBe(true);
		});

		it('skips a file whose owner disabled downloads as not_downloadable', async () => {
			const locked = google.addFile({ name: 'locked.pdf', mimeType: 'application/pdf', content: '%PDF' });
			google.setCanDownload(locked.id, false);

			const result = await exportDriveItem(drive, itemOf(locked), {});

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_downloadable' });
		});

		it('skips a file deleted since it was listed as not_found', async () => {
			const gone = google.addFile({ name: 'gone.txt', mimeType: 'text/plain', content: 'x' });
			const item = itemOf(gone);
			google.remove(gone.id);

			const result = await exportDriveItem(drive, item, {});

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_found' });
		});
	});

	describe("Drive's 10 MB export limit", () => {
		it('falls back to the export link for a doc whose export exceeds 10 MB', async () => {
			const big = google.addFile({ name: 'Big doc', mimeType: DOC, content: { size: 11 * MB } });

			const result = contentOf(await exportDriveItem(drive, itemOf(big), { signedFetch }));
			const bytes = await readAll(result.stream);

			expect(bytes.length).toBe(11 * MB);
			expect(result).toMatchObject({ fileName: 'Big doc.txt', exportFormat: 'txt', exportMime: 'text/plain' });
			expect(result.contentHash()).toBe(createHash('sha256').update(bytes).digest('hex'));
		});

		it('skips with export_size_limit, naming the 10 MB limit, when there is no signed fetch for the link', async () => {
			const big = google.addFile({ name: 'Big doc', mimeType: DOC, content: { size: 11 * MB } });

			const result = await exportDriveItem(drive, itemOf(big), {});

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'export_size_limit' });
			expect(result.kind === 'skipped' && result.skipDetail).toMatch(/10 MB/);
		});
	});

	describe('org policy', () => {
		it('skips Slides with policy_export_format when the policy does not allow PDF', async () => {
			const slides = google.addFile({ name: 'Deck', mimeType: SLIDES, content: 'x' });
			const policy = policyWith({ allowedExportFormats: ['md', 'txt', 'csv'] });

			const result = await exportDriveItem(drive, itemOf(slides), { policy });

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'policy_export_format' });
		});

		it('stops a download larger than the policy maximum with policy_size, never passing more than the cap', async () => {
			const big = google.addFile({ name: 'big.bin', mimeType: 'application/octet-stream', content: { size: 3 * MB } });
			const policy = policyWith({ maxFileSizeMb: 1 });

			const result = contentOf(await exportDriveItem(drive, itemOf(big), { policy }));
			let received = 0;
			result.stream.on('data', (chunk: Buffer) => (received += chunk.length));
			const error: unknown = await new Promise((resolve) => result.stream.on('error', resolve));

			expect(error).toBeInstanceOf(PolicySkipError);
			expect(error).toMatchObject({ skipReason: 'policy_size' });
			expect(received).toBeLessThanOrEqual(1 * MB);
		});
	});

	it('streams a 50 MB file without holding it in memory', async () => {
		const huge = google.addFile({ name: 'huge.bin', mimeType: 'application/octet-stream', content: { size: 50 * MB } });
		// Collect garbage as we go, so RSS shows what the export holds rather than chunks not yet freed.
		const collectGarbage = garbageCollector();
		// A first, small download loads the SDK's and fetch's code paths so they are not counted.
		const warmUp = google.addFile({ name: 'warm.bin', mimeType: 'application/octet-stream', content: { size: MB } });
		await readAll(contentOf(await exportDriveItem(drive, itemOf(warmUp), {})).stream);
		collectGarbage();
		const before = process.memoryUsage().rss;
		let peak = before;
		let sinceCollection = 0;

		const result = contentOf(await exportDriveItem(drive, itemOf(huge), {}));
		for await (const chunk of result.stream) {
			sinceCollection += (chunk as Buffer).length;
			if (sinceCollection >= 4 * MB) {
				collectGarbage();
				sinceCollection = 0;
				peak = Math.max(peak, process.memoryUsage().rss);
			}
		}

		expect(result.bytes()).toBe(50 * MB);
		expect(peak - before).toBeLessThan(25 * MB);
	});
});

describe('safeFileName', () => {
	it('replaces path separators and control characters, keeps the rest', () => {
		expect(safeFileName('a/b\\c\u0001d: plan', 'txt')).toBe('a_b_c_d: plan.txt');
	});

	it('does not repeat an extension the name already has', () => {
		expect(safeFileName('notes.TXT', 'txt')).toBe('notes.TXT');
	});

	it('prefixes names Windows reserves and names empty ones', () => {
		expect(safeFileName('CON', 'pdf')).toBe('_CON.pdf');
		expect(safeFileName('  ', 'csv')).toBe('untitled.csv');
	});

	it('trims the name to 200 characters before adding the extension', () => {
		expect(safeFileName('x'.repeat(300), 'md')).toBe(`${'x'.repeat(200)}.md`);
	});
});
