const MAX_NAME_LENGTH = 200;

// Names Windows refuses for a file whatever its extension; the binary may end up on any file system.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name that is safe on any file system: no path separators or control characters, not a
 * reserved name, at most 200 characters before the export extension, which is added when missing.
 */
export function safeFileName(name: string, extension?: string): string {
	let safe = name.replace(/[/\\\u0000-\u001f\u007f]/g, '_').trim();
	safe = Array.from(safe).slice(0, MAX_NAME_LENGTH).join('').replace(/[. ]+$/, '');
	if (safe === '') safe = 'untitled';
	if (RESERVED.test(safe)) safe = `_${safe}`;
	if (extension && !safe.toLowerCase().endsWith(`.${extension.toLowerCase()}`)) safe += `.${extension}`;
	return safe;
}

/** The lower-case extension of a file name (`report.PDF` → `pdf`), if it has a plausible one. */
export function extensionOf(name: string): string | undefined {
	const match = /\.([A-Za-z0-9]{1,10})$/.exec(name.trim());
	return match && match.index > 0 ? match[1].toLowerCase() : undefined;
}
