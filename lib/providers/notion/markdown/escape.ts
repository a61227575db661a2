/**
 * Escaping for text that must read back as the same text in CommonMark/GFM.
 * The rule is "escape what would change meaning", not "escape all punctuation":
 * a search index and a person both read this Markdown as plain text too.
 */

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/;
const INLINE_SPECIAL = /[\\`*_[\]<&$~]/;
const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;
const TAG_START = /[A-Za-z/!?]/;

export interface TextEscapeOptions {
	/** Escape every `$`: set when the same text holds two or more, or inline math, so no pair reads as math. */
	dollar?: boolean;
	/** Escape every `~`: set when the same text holds two or more, or strikethrough, so no pair strikes through. */
	tilde?: boolean;
}

function isSpace(ch: string | undefined): boolean {
	return ch !== undefined && WHITESPACE.test(ch);
}

function isAlphanumeric(ch: string | undefined): boolean {
	return ch !== undefined && ALPHANUMERIC.test(ch);
}

/**
 * Escapes inline Markdown syntax in one line of plain text (no line breaks).
 * Neighbours beyond the text are unknown, so delimiters at its edges are escaped.
 */
export function escapeText(text: string, options: TextEscapeOptions = {}): string {
	if (!INLINE_SPECIAL.test(text)) return text;
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		const prev = text[i - 1];
		const next = text[i + 1];
		switch (ch) {
			case '\\':
				out += next === undefined || ASCII_PUNCTUATION.test(next) ? '\\\\' : '\\';
				break;
			case '`':
			case '[':
			case ']':
				out += '\\' + ch;
				break;
			case '*':
				// A `*` between spaces can neither open nor close emphasis ("2 * 3").
				out += isSpace(prev) && isSpace(next) ? '*' : '\\*';
				break;
			case '_':
				// Intraword underscores never make emphasis ("snake_case").
				out += (isAlphanumeric(prev) && isAlphanumeric(next)) || (isSpace(prev) && isSpace(next)) ? '_' : '\\_';
				break;
			case '<':
				out += next !== undefined && TAG_START.test(next) ? '\\<' : '<';
				break;
			case '&':
				ENTITY.lastIndex = i;
				out += ENTITY.test(text) ? '\\&' : '&';
				break;
			case '$':
				out += options.dollar ? '\\$' : '$';
				break;
			case '~':
				out += options.tilde ? '\\~' : '~';
				break;
			default:
				out += ch;
		}
	}
	return out;
}

const BLOCK_STARTS: Array<[RegExp, (line: string) => string]> = [
	// ATX heading, bullet marker, blockquote, setext underline, thematic break, fence.
	[/^(?:#{1,6}(?:[ \t]|$)|[-+*](?:[ \t]|$)|>|=+[ \t]*$|-+[ \t]*$|~{3,})/, (line) => '\\' + line],
	[/^([-*_])[ \t]*(?:\1[ \t]*){2,}$/, (line) => '\\' + line],
	// Ordered list marker: escape the `.` or `)` ("2024. A year" stays a sentence).
	[/^\d{1,9}[.)](?:[ \t]|$)/, (line) => line.replace(/^(\d+)/, '$1\\')],
	// A GFM table delimiter row would turn the previous line into a table header.
	[/^(?=[|: \t-]*\|)(?=[|: \t-]*-)[|: \t-]+$/, (line) => '\\' + line],
];

const BLOCK_START_CHAR = /^[-#+*>=~_|:0-9]/;

/** Escapes what would start a block at the beginning of a line of inline Markdown (without leading spaces). */
export function escapeLineStart(line: string): string {
	if (!BLOCK_START_CHAR.test(line)) return line;
	for (const [pattern, escape] of BLOCK_STARTS) {
		if (pattern.test(line)) return escape(line);
	}
	return line;
}

/** An ATX heading drops a closing run of `#`; escape one that belongs to the text ("C #"). */
export function escapeHeadingEnd(text: string): string {
	return text.replace(/(^|[ \t])(#+)[ \t]*$/, '$1\\$2');
}

/** A code span whose delimiters are longer than any backtick run inside, padded when it starts or ends with one. */
export function codeSpan(content: string): string {
	const text = content.replace(/\r\n?|\n/g, ' ');
	if (text === '') return '';
	const fence = '`'.repeat(longestRun(text, '`') + 1);
	const pad =
		text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '')
			? ' '
			: '';
	return fence + pad + text + pad + fence;
}

/** The longest run of `ch` in `text`. */
export function longestRun(text: string, ch: string): number {
	let longest = 0;
	let current = 0;
	for (let i = 0; i < text.length; i++) {
		current = text[i] === ch ? current + 1 : 0;
		if (current > longest) longest = current;
	}
	return longest;
}

/** A link destination that survives any URL: spaces and angle brackets percent-encoded, parentheses escaped. */
export function escapeUrl(url: string): string {
	return url.trim().replace(/[\s<>\\()]/g, (ch) => (ch === '(' || ch === ')' ? '\\' + ch : encodeURIComponent(ch)));
}

const NOTION_ORIGIN = 'https://www.notion.so';
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
/** `scheme:` at the start of a URL, after the characters browsers strip before reading it. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * A link destination fit for a document someone will open: `http(s):`, `mailto:`, `tel:` and
 * anchors; Notion's own links to its pages (`/<id>#<block>`) made absolute. Undefined for every
 * other scheme (`javascript:`, `data:`, `vbscript:`, `file:`…): the link text stays, the link goes.
 */
export function safeUrl(url: string): string | undefined {
	// Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
	const trimmed = url.trim();
	const bare = trimmed.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
	if (bare === '') return undefined;
	if (bare.startsWith('#')) return trimmed;
	if (bare.startsWith('/') && !bare.startsWith('//')) return NOTION_ORIGIN + trimmed;
	const scheme = SCHEME.exec(bare);
	if (scheme === null) return bare.startsWith('//') ? undefined : trimmed;
	return SAFE_SCHEMES.has(scheme[1].toLowerCase() + ':') ? trimmed : undefined;
}

/** A link with plain-text label: `[label](url)`; the label alone when the URL is not safe to link (`safeUrl`). */
export function markdownLink(label: string, url: string, options: TextEscapeOptions = {}): string {
	const text = escapeText(singleLine(label), options);
	const href = safeUrl(url);
	return href === undefined ? text : `[${text}](${escapeUrl(href)})`;
}

/** An image: `![alt](url)`; the alt text alone when the URL is not safe (`data:` images included). */
export function markdownImage(alt: string, url: string): string {
	const text = escapeText(singleLine(alt));
	const href = safeUrl(url);
	return href === undefined ? text : `![${text}](${escapeUrl(href)})`;
}

export function singleLine(text: string): string {
	return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
