import { InvalidInputError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import type { ExportChoices } from '../../types';

/** The Google-native types the connector exports, by the name a person uses for them. */
export type GoogleNativeKind = 'document' | 'spreadsheet' | 'presentation' | 'drawing';

export type ExportFormatOverrides = Partial<Record<GoogleNativeKind, string>>;

const KIND_BY_MIME: Readonly<Record<string, GoogleNativeKind>> = {
	'application/vnd.google-apps.document': 'document',
	'application/vnd.google-apps.spreadsheet': 'spreadsheet',
	'application/vnd.google-apps.presentation': 'presentation',
	'application/vnd.google-apps.drawing': 'drawing',
};

/** Formats Drive's `files.export` offers per type that the connector supports, with their MIME types. */
const FORMATS: Readonly<Record<GoogleNativeKind, Readonly<Record<string, string>>>> = {
	document: {
		txt: 'text/plain',
		md: 'text/markdown',
		html: 'text/html',
		pdf: 'application/pdf',
		docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		odt: 'application/vnd.oasis.opendocument.text',
		rtf: 'application/rtf',
		epub: 'application/epub+zip',
	},
	spreadsheet: {
		csv: 'text/csv',
		tsv: 'text/tab-separated-values',
		pdf: 'application/pdf',
		xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		ods: 'application/vnd.oasis.opendocument.spreadsheet',
	},
	presentation: {
		pdf: 'application/pdf',
		pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		odp: 'application/vnd.oasis.opendocument.presentation',
		txt: 'text/plain',
	},
	drawing: {
		pdf: 'application/pdf',
		png: 'image/png',
		jpg: 'image/jpeg',
		svg: 'image/svg+xml',
	},
};

/** Docs → TXT, Sheets → CSV, Slides → PDF (docs/architecture.md); Drawings → PDF (text extractors read it). */
export const DEFAULT_EXPORT_FORMATS: Readonly<Record<GoogleNativeKind, string>> = {
	document: 'txt',
	spreadsheet: 'csv',
	presentation: 'pdf',
	drawing: 'pdf',
};

/** How messages name each type. */
const LABELS: Readonly<Record<GoogleNativeKind, string>> = {
	document: 'Google Docs',
	spreadsheet: 'Google Sheets',
	presentation: 'Google Slides',
	drawing: 'Google Drawings',
};

export const GOOGLE_APPS_PREFIX = 'application/vnd.google-apps.';

export function googleNativeKindOf(mime: string | null): GoogleNativeKind | undefined {
	return mime !== null && Object.hasOwn(KIND_BY_MIME, mime) ? KIND_BY_MIME[mime] : undefined;
}

export function isGoogleNative(mime: string | null): boolean {
	return mime?.startsWith(GOOGLE_APPS_PREFIX) ?? false;
}

export interface DriveExportChoices extends ExportChoices {
	kind: GoogleNativeKind;
}

function choicesFor(kind: GoogleNativeKind): DriveExportChoices {
	return { kind, label: LABELS[kind], default: DEFAULT_EXPORT_FORMATS[kind], formats: Object.keys(FORMATS[kind]) };
}

/** Every Google-native type the export converts, with its formats. */
export const DRIVE_EXPORT_TYPES: readonly DriveExportChoices[] = (Object.keys(FORMATS) as GoogleNativeKind[]).map(choicesFor);

/** The formats a Google-native file can be exported to; undefined for other files (and Google types with no export). */
export function exportChoicesOf(item: ConnectorItem): DriveExportChoices | undefined {
	const kind = googleNativeKindOf(item.mime);
	return kind === undefined ? undefined : choicesFor(kind);
}

/** The MIME type Drive exports `kind` to as `format`, or an input error listing the formats it offers. */
export function exportMimeFor(kind: GoogleNativeKind, format: string, asWritten = format): string {
	// Own keys only: `constructor` or `toString` are no formats.
	const mime = Object.hasOwn(FORMATS[kind], format) ? FORMATS[kind][format] : undefined;
	if (mime === undefined) {
		throw new InvalidInputError(
			`Google Drive cannot export a ${kind} to "${asWritten}"`,
			`Choose one of: ${Object.keys(FORMATS[kind]).join(', ')}.`,
		);
	}
	return mime;
}

function normalised(format: string): string {
	return format.trim().toLowerCase().replace(/^\./, '');
}

/**
 * Checks every override against the formats Drive offers for its type, before anything is downloaded,
 * and returns them normalised (`.MD` → `md`); an empty override means the default.
 */
export function validateOverrides(overrides: ExportFormatOverrides = {}): ExportFormatOverrides {
	const valid: ExportFormatOverrides = {};
	for (const [key, raw] of Object.entries(overrides)) {
		if (!Object.hasOwn(FORMATS, key)) {
			throw new InvalidInputError(
				`"${key}" is not a Google file type the export can override`,
				`Use one of: ${Object.keys(FORMATS).join(', ')}.`,
			);
		}
		const kind = key as GoogleNativeKind;
		if (raw === undefined || raw.trim() === '') continue;
		const format = normalised(raw);
		exportMimeFor(kind, format, raw);
		valid[kind] = format;
	}
	return valid;
}
