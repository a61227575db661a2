/** Longest file name most file systems take (ext4, NTFS, APFS count 255 bytes or units). */
const MAX_NAME_BYTES = 255;

// Names Windows refuses for a file whatever its extension; the binary may end up on any file system.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// Separators, characters Windows forbids, C0 and C1 controls and DEL: each becomes "_".
const REPLACED = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f]/g;
// Bidi overrides and isolates (which can disguise "exe.pdf" as "fdp.exe"), and zero-width characters: dropped.
const DROPPED = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A file name that is safe on any file system: no path separators, characters Windows forbids,
 * control, bidi-override or zero-width characters, not a reserved name, and at most 255 UTF-8
 * bytes with the export extension, which is added when missing.
 */
export function safeFileName(name: string, extension?: string): string {
	let safe = name.normalize('NFC').replace(DROPPED, '').replace(REPLACED, '_').trim().replace(/[. ]+$/, '');
	if (safe === '') safe = 'untitled';
	if (RESERVED.test(safe)) safe = `_${safe}`;
	const suffix = extension && !safe.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? `.${extension}` : '';
	const budget = MAX_NAME_BYTES - Buffer.byteLength(suffix, 'utf8');
	if (Buffer.byteLength(safe, 'utf8') > budget) safe = truncateToBytes(safe, budget).replace(/[. ]+$/, '') || 'untitled';
	return safe + suffix;
}

/** The longest prefix of whole code points that fits in `bytes` UTF-8 bytes. */
function truncateToBytes(text: string, bytes: number): string {
	let used = 0;
	let end = 0;
	for (const char of text) {
		const size = Buffer.byteLength(char, 'utf8');
		if (used + size > bytes) break;
		used += size;
		end += char.length;
	}
	return text.slice(0, end);
}

/** The lower-case extension of a file name (`report.PDF` → `pdf`), if it has a plausible one. */
export function extensionOf(name: string): string | undefined {
	const match = /\.([A-Za-z0-9]{1,10})$/.exec(name.trim());
	return match && match.index > 0 ? match[1].toLowerCase() : undefined;
}
