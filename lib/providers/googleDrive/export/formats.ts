import { InvalidInputError } from '../../../errors';

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

/** PRODUCT.md §3: Docs → TXT, Sheets → CSV, Slides → PDF; Drawings → PDF (text extractors read it). */
export const DEFAULT_EXPORT_FORMATS: Readonly<Record<GoogleNativeKind, string>> = {
	document: 'txt',
	spreadsheet: 'csv',
	presentation: 'pdf',
	drawing: 'pdf',
};

export const GOOGLE_APPS_PREFIX = 'application/vnd.google-apps.';

export function googleNativeKindOf(mime: string | null): GoogleNativeKind | undefined {
	return mime === null ? undefined : KIND_BY_MIME[mime];
}

export function isGoogleNative(mime: string | null): boolean {
	return mime?.startsWith(GOOGLE_APPS_PREFIX) ?? false;
}

export function exportMimeOf(kind: GoogleNativeKind, format: string): string | undefined {
	return FORMATS[kind][format];
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
		if (!(key in FORMATS)) {
			throw new InvalidInputError(
				`"${key}" is not a Google file type the export can override`,
				`Use one of: ${Object.keys(FORMATS).join(', ')}.`,
			);
		}
		const kind = key as GoogleNativeKind;
		if (raw === undefined || raw.trim() === '') continue;
		const format = normalised(raw);
		if (exportMimeOf(kind, format) === undefined) {
			throw new InvalidInputError(
				`Google Drive cannot export a ${kind} to "${raw}"`,
				`Choose one of: ${Object.keys(FORMATS[kind]).join(', ')}.`,
			);
		}
		valid[kind] = format;
	}
	return valid;
}
