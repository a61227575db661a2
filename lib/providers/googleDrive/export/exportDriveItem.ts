import { pipeline, Readable, type Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { ConnectorError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import { policyByteCap, resolveExportFormat, type OrgPolicy } from '../../../policy';
import type { DriveClient } from '../client';
import { googleErrorOf } from '../errors';
import { HashingStream } from '../../../files/hashingStream';
import { extensionOf, safeFileName } from '../../../files/fileName';
import {
	DEFAULT_EXPORT_FORMATS,
	exportMimeOf,
	googleNativeKindOf,
	isGoogleNative,
	validateOverrides,
	type ExportFormatOverrides,
	type GoogleNativeKind,
} from './formats';

export type DriveSkipReason =
	| 'not_exportable'
	| 'not_downloadable'
	| 'abusive_file'
	| 'not_found'
	| 'export_size_limit'
	| 'policy_export_format';

export interface ExportOptions {
	/** Per-type format overrides, each among the formats Drive offers for that type. */
	formats?: ExportFormatOverrides;
	policy?: OrgPolicy;
	/** A fetch that signs requests, for `exportLinks` URLs (outside the Drive API's base URL). */
	signedFetch?: typeof fetch;
}

export interface ExportedContent {
	kind: 'content';
	/** The bytes, streamed: read it to the end before asking for `contentHash()`. */
	stream: Readable;
	fileName: string;
	mimeType: string;
	exportFormat: string;
	exportMime: string;
	/** sha256 hex of the exported bytes; valid once the stream has ended. */
	contentHash(): string;
	bytes(): number;
}

export interface SkippedExport {
	kind: 'skipped';
	skipReason: DriveSkipReason;
	skipDetail: string;
}

export type ExportResult = ExportedContent | SkippedExport;

/** Drive refuses `files.export` above this; `exportLinks` have no such limit. */
const EXPORT_SIZE_LIMIT_MB = 10;

interface ExportTarget {
	exportFormat: string;
	exportMime: string;
}

/** What the connector cannot export, told apart from errors that should fail the run. */
class ExportSkip extends Error {
	constructor(
		readonly skipReason: DriveSkipReason,
		readonly skipDetail: string,
	) {
		super(skipDetail);
	}
}

/**
 * Turns one listed Drive item into streamed, ingestion-ready content: Google-native files exported
 * (Docs → TXT, Sheets → CSV, Slides and Drawings → PDF unless overridden), other files as their
 * original bytes. Items Drive or the org policy refuses come back `skipped` with a stable reason.
 */
export async function exportDriveItem(drive: DriveClient, item: ConnectorItem, options: ExportOptions = {}): Promise<ExportResult> {
	const overrides = validateOverrides(options.formats);
	try {
		const { source, target } = isGoogleNative(item.mime)
			? await exportGoogleNative(drive, item, overrides, options)
			: { source: await downloadOriginal(drive, item), target: originalTarget(item) };
		return contentOf(source, item, target, options.policy);
	} catch (error) {
		if (error instanceof ExportSkip) return { kind: 'skipped', skipReason: error.skipReason, skipDetail: error.skipDetail };
		throw error;
	}
}

function originalTarget(item: ConnectorItem): ExportTarget {
	return { exportFormat: extensionOf(item.name) ?? 'original', exportMime: item.mime ?? 'application/octet-stream' };
}

function nativeTarget(item: ConnectorItem, kind: GoogleNativeKind, overrides: ExportFormatOverrides, policy?: OrgPolicy): ExportTarget {
	const fallback = DEFAULT_EXPORT_FORMATS[kind];
	let exportFormat = overrides[kind] ?? fallback;
	if (policy) {
		const decision = resolveExportFormat(policy, overrides[kind], fallback);
		if (!decision.allowed) throw new ExportSkip(decision.skipReason, `"${item.name}": ${decision.skipDetail}`);
		exportFormat = decision.format;
	}
	const exportMime = exportMimeOf(kind, exportFormat);
	if (exportMime === undefined) {
		throw new ExportSkip('policy_export_format', `"${item.name}": Google Drive cannot export a ${kind} to ${exportFormat}`);
	}
	return { exportFormat, exportMime };
}

async function exportGoogleNative(
	drive: DriveClient,
	item: ConnectorItem,
	overrides: ExportFormatOverrides,
	options: ExportOptions,
): Promise<{ source: Readable; target: ExportTarget }> {
	const kind = googleNativeKindOf(item.mime);
	if (kind === undefined) {
		throw new ExportSkip('not_exportable', `"${item.name}" is a ${item.mime ?? 'Google'} file, which Google Drive cannot export`);
	}
	const target = nativeTarget(item, kind, overrides, options.policy);
	try {
		const response = await drive.files.export(
			{ fileId: item.external_id, mimeType: target.exportMime },
			{ responseType: 'stream' },
		);
		return { source: response.data as unknown as Readable, target };
	} catch (error) {
		if (googleErrorOf(error).reason !== 'exportSizeLimitExceeded') throw skipFor(error, item);
		return { source: await exportThroughLink(drive, item, target, options.signedFetch), target };
	}
}

/** Drive's `exportLinks` have no 10 MB limit, but are plain URLs that need a signed fetch. */
async function exportThroughLink(
	drive: DriveClient,
	item: ConnectorItem,
	target: ExportTarget,
	signedFetch: typeof fetch | undefined,
): Promise<Readable> {
	const tooLarge = (why: string) =>
		new ExportSkip(
			'export_size_limit',
			`"${item.name}" exported to ${target.exportFormat} is larger than Google Drive's ${EXPORT_SIZE_LIMIT_MB} MB export limit, ${why}`,
		);
	if (!signedFetch) throw tooLarge('and no signed fetch was given for its export link');
	let links: Record<string, string> | null | undefined;
	try {
		const { data } = await drive.files.get({ fileId: item.external_id, fields: 'exportLinks', supportsAllDrives: true });
		links = data.exportLinks;
	} catch (error) {
		throw skipFor(error, item);
	}
	const link = links?.[target.exportMime];
	if (!link) throw tooLarge(`and Drive offers no export link for ${target.exportMime}`);
	const response = await signedFetch(link);
	if (!response.ok || !response.body) {
		await response.body?.cancel();
		if (response.status === 404) throw notFound(item);
		if (response.status === 403) throw notDownloadable(item);
		throw new ConnectorError(
			'export_failed',
			`Exporting "${item.name}" through its export link failed with HTTP ${response.status}`,
			'Run the export again; if it keeps failing, check the account can open the file in Drive.',
		);
	}
	return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

async function downloadOriginal(drive: DriveClient, item: ConnectorItem): Promise<Readable> {
	try {
		// Never acknowledgeAbuse: downloading a file Drive flags as malware is a person's decision.
		const response = await drive.files.get(
			{ fileId: item.external_id, alt: 'media', supportsAllDrives: true },
			{ responseType: 'stream' },
		);
		return response.data as unknown as Readable;
	} catch (error) {
		throw skipFor(error, item);
	}
}

function contentOf(source: Readable, item: ConnectorItem, target: ExportTarget, policy?: OrgPolicy): ExportedContent {
	const hashing = new HashingStream();
	const stages: Transform[] = policy ? [policyByteCap(policy, `"${item.name}"`), hashing] : [hashing];
	// pipeline destroys every stage on failure, so a policy_size error reaches the reader and stops the download.
	pipeline([source, ...stages], () => undefined);
	const extension = isGoogleNative(item.mime) ? target.exportFormat : undefined;
	return {
		kind: 'content',
		stream: hashing,
		fileName: safeFileName(item.name, extension),
		mimeType: target.exportMime,
		exportFormat: target.exportFormat,
		exportMime: target.exportMime,
		contentHash: () => hashing.contentHash(),
		bytes: () => hashing.bytes(),
	};
}

function notFound(item: ConnectorItem): ExportSkip {
	return new ExportSkip('not_found', `"${item.name}" (${item.external_id}) no longer exists in Google Drive or is no longer shared with this account`);
}

function notDownloadable(item: ConnectorItem): ExportSkip {
	return new ExportSkip(
		'not_downloadable',
		`"${item.name}" cannot be downloaded by this account — its owner disabled downloading, or ask them to allow it`,
	);
}

/** Maps Drive's refusals for one file to a skip; anything else (auth, rate limits, outages) is rethrown. */
function skipFor(error: unknown, item: ConnectorItem): unknown {
	const { status, reason } = googleErrorOf(error);
	if (status === 404 || reason === 'notFound') return notFound(item);
	if (reason === 'cannotDownloadAbusiveFile') {
		return new ExportSkip(
			'abusive_file',
			`Google Drive flagged "${item.name}" as malware or spam and refuses to download it; it was not acknowledged and downloaded anyway`,
		);
	}
	if (reason === 'fileNotDownloadable' || reason === 'cannotDownloadFile') return notDownloadable(item);
	if (reason === 'fileNotExportable') {
		return new ExportSkip('not_exportable', `"${item.name}" is a ${item.mime ?? 'Google'} file, which Google Drive cannot export`);
	}
	return error;
}
