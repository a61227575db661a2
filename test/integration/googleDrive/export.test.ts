import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { InvalidInputError } from '../../../lib/errors';
import type { ConnectorItem } from '../../../lib/items';
import { defaultPolicy, PolicySkipError, resolveExportFormat, type OrgPolicy } from '../../../lib/policy';
import {
	googleDriveProvider,
	validateOverrides,
	type DriveConnection,
	type DriveExportedContent,
	type DriveExportOutcome,
} from '../../../lib/providers/googleDrive';
import { meteredBody } from '../../../lib/sync/content';
import type { DriveFile } from '../../fakes/driveModel';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { bearerFetch, testConnection } from './helpers';

const DOC = 'application/vnd.google-apps.document';
const SHEET = 'application/vnd.google-apps.spreadsheet';
const SLIDES = 'application/vnd.google-apps.presentation';
const DRAWING = 'application/vnd.google-apps.drawing';
const MB = 1024 * 1024;

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

function contentOf(result: DriveExportOutcome): DriveExportedContent {
	if (result.kind !== 'content') throw new Error(`expected content, got skipped ${result.skipReason}: ${result.skipDetail}`);
	return result;
}

/** The content with its body through the engine's meter (size cap and sha256), as every export body goes. */
function metered(result: DriveExportOutcome, policy: OrgPolicy = defaultPolicy()) {
	const content = contentOf(result);
	const body = meteredBody(content.body, policy, `"${content.fileName}"`);
	return { ...content, stream: body.data as Readable, contentHash: body.contentHash, bytes: body.bytes };
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

describe('Drive exportItem against the strict fake Drive', () => {
	let google: FakeGoogle;
	let connection: DriveConnection;

	beforeEach(async () => {
		google = await startFakeGoogle();
		connection = testConnection(google);
	});

	const exportItem = async (item: ConnectorItem, format?: string, to: DriveConnection = connection) =>
		await googleDriveProvider.exportItem(to, { item, format });

	afterEach(async () => {
		expect(google.internalErrors).toEqual([]);
		await google.close();
	});

	describe('default formats', () => {
		it('exports a Google Doc as plain text named after the doc', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: 'Ship it' });

			const result = metered(await exportItem(itemOf(doc)));
			const bytes = await readAll(result.stream);

			expect(bytes.toString('utf8')).toBe('\ufeffShip it');
			expect(result).toMatchObject({ fileName: 'Plan.txt', mimeType: 'text/plain', exportFormat: 'txt', exportMime: 'text/plain' });
			expect(result.bytes()).toBe(bytes.length);
			expect(result.contentHash()).toBe(createHash('sha256').update(bytes).digest('hex'));
		});

		it('exports a Google Sheet as CSV, each row led by its tab', async () => {
			const sheet = google.addFile({ name: 'Budget', mimeType: SHEET, content: 'a,b\n1,2' });

			const result = metered(await exportItem(itemOf(sheet)));

			expect((await readAll(result.stream)).toString('utf8')).toBe('sheet,A,B\r\nSheet1,a,b\r\nSheet1,1,2\r\n');
			expect(result).toMatchObject({ fileName: 'Budget.csv', exportFormat: 'csv', exportMime: 'text/csv' });
		});

		it('exports Google Slides as PDF', async () => {
			const slides = google.addFile({ name: 'Deck', mimeType: SLIDES, content: 'slide one' });

			const result = metered(await exportItem(itemOf(slides)));

			expect((await readAll(result.stream)).toString('utf8')).toMatch(/^%PDF/);
			expect(result).toMatchObject({ fileName: 'Deck.pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
		});

		it('exports a Google Drawing as PDF', async () => {
			const drawing = google.addFile({ name: 'Diagram', mimeType: DRAWING, content: 'boxes' });

			const result = metered(await exportItem(itemOf(drawing)));

			expect((await readAll(result.stream)).toString('utf8')).toMatch(/^%PDF/);
			expect(result).toMatchObject({ fileName: 'Diagram.pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
		});

		it('skips a Google-native type that has no export as not_exportable', async () => {
			const form = google.addFile({ name: 'Survey', mimeType: 'application/vnd.google-apps.form' });

			const result = await exportItem(itemOf(form));

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_exportable' });
		});
	});

	describe('overrides', () => {
		it('exports a Google Doc as Markdown when asked to', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: '# Plan' });

			const result = metered(await exportItem(itemOf(doc), 'md'));

			expect((await readAll(result.stream)).toString('utf8')).toBe('# Plan');
			expect(result).toMatchObject({ fileName: 'Plan.md', exportFormat: 'md', exportMime: 'text/markdown' });
		});

		it('refuses an override Drive does not offer for that type before downloading anything', async () => {
			const doc = google.addFile({ name: 'Plan', mimeType: DOC, content: 'x' });
			google.resetRequestLog();

			expect(() => validateOverrides({ spreadsheet: 'docx' })).toThrow(InvalidInputError);
			expect(() => validateOverrides({ document: 'exe' })).toThrow(/cannot export a document to "exe"/);
			await expect(exportItem(itemOf(doc), 'exe')).rejects.toThrow(InvalidInputError);
			await expect(exportItem(itemOf(doc), 'exe')).rejects.toThrow(/cannot export a document to "exe"/);
			expect(google.driveRequests()).toHaveLength(0);
		});
	});

	describe('binary files', () => {
		it('streams the original bytes with a sha256 that matches them and is the same on the next export', async () => {
			const original = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
			const pdf = google.addFile({ name: 'q1.pdf', mimeType: 'application/pdf', content: original });

			const first = metered(await exportItem(itemOf(pdf)));
			const firstBytes = await readAll(first.stream);
			const second = metered(await exportItem(itemOf(pdf)));
			await readAll(second.stream);

			expect(firstBytes.equals(original)).toBe(true);
			expect(first).toMatchObject({ fileName: 'q1.pdf', mimeType: 'application/pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
			expect(first.bytes()).toBe(original.length);
			expect(first.contentHash()).toBe(createHash('sha256').update(original).digest('hex'));
			expect(second.contentHash()).toBe(first.contentHash());
		});

		it("calls a file without an extension's format 'original'", async () => {
			const blob = google.addFile({ name: 'README', mimeType: 'application/octet-stream', content: 'hi' });

			const result = metered(await exportItem(itemOf(blob)));
			await readAll(result.stream);

			expect(result).toMatchObject({ fileName: 'README', exportFormat: 'original', exportMime: 'application/octet-stream' });
		});

		it('skips a file Drive flags as abusive without acknowledging the abuse', async () => {
			const bad = google.addFile({ name: 'bad.exe', mimeType: 'application/octet-stream', content: 'MZ', abusive: true });

			const result = await exportItem(itemOf(bad));

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'abusive_file' });
			expect(google.driveRequests().every((r) => r.query.acknowledgeAbuse === undefined)).toBe(true);
		});

		it('skips a file whose owner disabled downloads as not_downloadable', async () => {
			const locked = google.addFile({ name: 'locked.pdf', mimeType: 'application/pdf', content: '%PDF' });
			google.setCanDownload(locked.id, false);

			const result = await exportItem(itemOf(locked));

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_downloadable' });
		});

		it('skips a file deleted since it was listed as not_found', async () => {
			const gone = google.addFile({ name: 'gone.txt', mimeType: 'text/plain', content: 'x' });
			const item = itemOf(gone);
			google.remove(gone.id);

			const result = await exportItem(item);

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'not_found' });
		});
	});

	describe("Drive's 10 MB export limit", () => {
		it('falls back to the export link for a doc whose export exceeds 10 MB', async () => {
			const big = google.addFile({ name: 'Big doc', mimeType: DOC, content: { size: 11 * MB } });

			const result = metered(await exportItem(itemOf(big)));
			const bytes = await readAll(result.stream);

			expect(bytes.length).toBe(11 * MB);
			expect(result).toMatchObject({ fileName: 'Big doc.txt', exportFormat: 'txt', exportMime: 'text/plain' });
			expect(result.contentHash()).toBe(createHash('sha256').update(bytes).digest('hex'));
		});

		it('skips with export_size_limit, naming the 10 MB limit, when Drive offers no export link for the format', async () => {
			const big = google.addFile({ name: 'Big doc', mimeType: DOC, content: { size: 11 * MB } });
			const token = google.issueTokens().access_token;
			const signed = bearerFetch(token);
			// A Drive that lists no export links for the file, as it does for some types and formats.
			const withoutLinks: typeof fetch = async (input, init) => {
				const url = new URL(input instanceof Request ? input.url : String(input));
				if (url.searchParams.get('fields') === 'exportLinks') return Response.json({});
				return await signed(input, init);
			};

			const result = await exportItem(itemOf(big), undefined, testConnection(google, withoutLinks));

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'export_size_limit' });
			expect(result.kind === 'skipped' && result.skipDetail).toMatch(/10 MB/);
		});

		it.each([
			['another host', 'https://attacker.test/feeds/download/export'],
			['plain http on a Google host', 'http://docs.google.com/feeds/download/export'],
		])('does not follow an export link on %s with the credential, and skips the file', async (_, link) => {
			const big = google.addFile({ name: 'Big doc', mimeType: DOC, content: { size: 11 * MB } });
			const signed = bearerFetch(google.issueTokens().access_token);
			const followed: string[] = [];
			const withForeignLink: typeof fetch = async (input, init) => {
				const url = new URL(input instanceof Request ? input.url : String(input));
				if (url.searchParams.get('fields') === 'exportLinks') return Response.json({ exportLinks: { 'text/plain': `${link}?id=${big.id}` } });
				if (url.origin !== google.origin) followed.push(url.href);
				return await signed(input, init);
			};

			const result = await exportItem(itemOf(big), undefined, testConnection(google, withForeignLink));

			expect(result).toMatchObject({ kind: 'skipped', skipReason: 'export_size_limit' });
			expect(result.kind === 'skipped' && result.skipDetail).toMatch(/not on a Google host .* so it was not followed/);
			expect(followed).toEqual([]);
		});
	});

	describe('org policy, as the engine applies it around the provider', () => {
		it('skips Slides with policy_export_format when the policy does not allow PDF', async () => {
			const slides = google.addFile({ name: 'Deck', mimeType: SLIDES, content: 'x' });
			const policy = policyWith({ allowedExportFormats: ['md', 'txt', 'csv'] });
			google.resetRequestLog();

			const choices = googleDriveProvider.exportChoices(itemOf(slides));
			const result = resolveExportFormat(policy, undefined, choices?.default ?? '');

			expect(choices).toMatchObject({ kind: 'presentation', label: 'Google Slides', default: 'pdf' });
			expect(result).toMatchObject({ allowed: false, skipReason: 'policy_export_format' });
			expect(google.driveRequests()).toHaveLength(0);
		});

		it('stops a download larger than the policy maximum with policy_size, never passing more than the cap', async () => {
			const big = google.addFile({ name: 'big.bin', mimeType: 'application/octet-stream', content: { size: 3 * MB } });
			const policy = policyWith({ maxFileSizeMb: 1 });

			const result = metered(await exportItem(itemOf(big)), policy);
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
		await readAll(metered(await exportItem(itemOf(warmUp))).stream);
		collectGarbage();
		const before = process.memoryUsage().rss;
		let peak = before;
		let sinceCollection = 0;

		const result = metered(await exportItem(itemOf(huge)));
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
