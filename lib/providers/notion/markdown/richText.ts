import type { MentionRichTextItemResponse, RichTextItemResponse } from '@notionhq/client';
import { notionUrl } from '../ids';
import { codeSpan, escapeLineStart, escapeText, escapeUrl, markdownLink, safeUrl, singleLine, type TextEscapeOptions } from './escape';
import type { RenderContext } from './types';

/**
 * Where the inline Markdown goes, which decides how a line break inside the text is written:
 * `block` — a hard break (`\` at line end) in paragraphs, list items, quotes;
 * `heading` — a space (an ATX heading is one line);
 * `tableCell` — `<br>`, with every `|` escaped (GFM splits cells before inline parsing).
 */
export type InlineMode = 'block' | 'heading' | 'tableCell';

export interface InlineOptions {
	mode?: InlineMode;
	/** Render every segment bold (a table's row-header column). */
	bold?: boolean;
	context?: RenderContext;
}

/** Notion's date value (start, optional end and time zone), as found in mentions and properties. */
export type NotionDate = Extract<MentionRichTextItemResponse['mention'], { type: 'date' }>['date'];

type Mark = 'bold' | 'italic' | 'strikethrough' | 'underline' | `link:${string}`;

interface Run {
	/** `text` is escaped, `code` becomes a code span, `atom` is ready-made Markdown (links, math). */
	kind: 'text' | 'code' | 'atom';
	value: string;
	marks: Mark[];
}

interface Segment {
	/** Whitespace before the segment, kept outside any mark that opens here. */
	before: string;
	run: Run;
}

type Token = { kind: 'text'; markdown: string } | { kind: 'open' | 'close'; mark: Mark; pair: number };

const MARK_PRIORITY: Record<string, number> = { link: 0, bold: 1, italic: 2, strikethrough: 3, underline: 4 };
const EMPHASIS_SYNTAX: Record<string, [markdown: string, htmlOpen: string, htmlClose: string]> = {
	bold: ['**', '<strong>', '</strong>'],
	italic: ['*', '<em>', '</em>'],
	strikethrough: ['~~', '<del>', '</del>'],
};

const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/;

/** The text of rich text without any formatting. */
export function plainText(richText: readonly RichTextItemResponse[]): string {
	let text = '';
	for (const item of richText) text += item.plain_text;
	return text;
}

export function knownTitle(context: RenderContext | undefined, id: string): string | undefined {
	return context?.childItems?.get(id)?.title || context?.pageTitle?.(id) || undefined;
}

export function knownUrl(context: RenderContext | undefined, id: string): string | undefined {
	return context?.childItems?.get(id)?.url || context?.pageUrl?.(id) || undefined;
}

/** `start → end (time zone)`, as Notion shows a date range. */
export function formatDate(date: NotionDate): string {
	let text = date.start;
	if (date.end) text += ` → ${date.end}`;
	if (date.time_zone) text += ` (${date.time_zone})`;
	return text;
}

/**
 * Notion rich text → inline Markdown. Adjacent segments sharing a format share one
 * delimiter pair (`**ab**`, never `**a****b**`), marks that last longer open outermost,
 * whitespace at a segment's edges moves outside its delimiters (`** a**` is not bold),
 * and a delimiter CommonMark could not open or close where it stands (`x**(y)**`)
 * falls back to the equivalent HTML tag.
 */
export function renderRichText(richText: readonly RichTextItemResponse[], options: InlineOptions = {}): string {
	const mode = options.mode ?? 'block';
	const runs = mergeRuns(richText, options);
	if (runs.length === 0) return '';
	const escape = escapeOptionsFor(richText);
	const tokens = tokenize(segmentsOf(runs), mode, escape);
	const html = pairsNeedingHtml(tokens);
	let markdown = '';
	for (const token of tokens) markdown += tokenMarkdown(token, html);
	return finish(markdown, mode);
}

/** Rich text as block-level lines: hard-break lines, each safe at the start of a line. */
export function renderRichTextLines(richText: readonly RichTextItemResponse[], options: InlineOptions = {}): string[] {
	const markdown = renderRichText(richText, { ...options, mode: 'block' });
	return markdown === '' ? [] : markdown.split('\n');
}

function escapeOptionsFor(richText: readonly RichTextItemResponse[]): TextEscapeOptions {
	let dollars = 0;
	let tildes = 0;
	let math = false;
	let strike = false;
	for (const item of richText) {
		if (item.type === 'equation') math = true;
		if (item.annotations.strikethrough) strike = true;
		dollars += count(item.plain_text, '$');
		tildes += count(item.plain_text, '~');
	}
	return { dollar: math || dollars > 1, tilde: strike || tildes > 1 };
}

function count(text: string, ch: string): number {
	let found = 0;
	for (let at = text.indexOf(ch); at !== -1; at = text.indexOf(ch, at + 1)) found++;
	return found;
}

function marksOf(item: RichTextItemResponse, options: InlineOptions, href: string | null): Mark[] {
	const marks: Mark[] = [];
	// An unsafe destination (`javascript:`) leaves the text unlinked; `/<id>` becomes a notion.so link.
	const safe = href ? safeUrl(href) : undefined;
	if (safe) marks.push(`link:${safe}`);
	const { annotations } = item;
	if (annotations.bold || options.bold) marks.push('bold');
	if (annotations.italic) marks.push('italic');
	if (annotations.strikethrough) marks.push('strikethrough');
	if (annotations.underline && options.context?.underline === 'html') marks.push('underline');
	return marks;
}

function toRun(item: RichTextItemResponse, options: InlineOptions): Run | undefined {
	if (item.type === 'text') {
		const href = item.href ?? item.text.link?.url ?? null;
		const value = item.text.content || item.plain_text;
		if (value === '') return undefined;
		return { kind: item.annotations.code ? 'code' : 'text', value, marks: marksOf(item, options, href) };
	}
	if (item.type === 'equation') {
		const expression = singleLine(item.equation.expression);
		if (expression === '') return undefined;
		return { kind: 'atom', value: `$${expression}$`, marks: marksOf(item, options, null) };
	}
	const run = mentionRun(item, options.context);
	return run && { ...run, marks: marksOf(item, options, null) };
}

function mentionRun(
	item: RichTextItemResponse & MentionRichTextItemResponse,
	context: RenderContext | undefined,
): Omit<Run, 'marks'> | undefined {
	const { mention } = item;
	switch (mention.type) {
		case 'user': {
			const name = ('name' in mention.user && mention.user.name) || item.plain_text.replace(/^@/, '') || 'unknown user';
			return { kind: 'text', value: `@${name}` };
		}
		case 'date':
			return { kind: 'text', value: formatDate(mention.date) };
		case 'page':
		case 'database': {
			const id = mention.type === 'page' ? mention.page.id : mention.database.id;
			const title = knownTitle(context, id) || item.plain_text || 'Untitled';
			return { kind: 'atom', value: markdownLink(title, knownUrl(context, id) || item.href || notionUrl(id)) };
		}
		case 'link_preview':
			return { kind: 'atom', value: markdownLink(item.plain_text || mention.link_preview.url, mention.link_preview.url) };
		case 'link_mention': {
			const link = mention.link_mention;
			return { kind: 'atom', value: markdownLink(link.title || item.plain_text || link.href, link.href) };
		}
		case 'template_mention': {
			const template = mention.template_mention;
			const word =
				template.type === 'template_mention_date' ? template.template_mention_date : template.template_mention_user;
			return { kind: 'text', value: item.plain_text || `@${word}` };
		}
		case 'custom_emoji':
			return { kind: 'text', value: `:${mention.custom_emoji.name}:` };
		default:
			return item.plain_text ? { kind: 'text', value: item.plain_text } : undefined;
	}
}

/** Joins neighbouring runs of the same kind and format, so they share one pair of delimiters. */
function mergeRuns(richText: readonly RichTextItemResponse[], options: InlineOptions): Run[] {
	const runs: Run[] = [];
	for (const item of richText) {
		const run = toRun(item, options);
		if (!run) continue;
		const last = runs[runs.length - 1];
		if (last && last.kind === run.kind && run.kind !== 'atom' && sameMarks(last.marks, run.marks)) {
			last.value += run.value;
		} else {
			runs.push(run);
		}
	}
	return runs;
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
	return a.length === b.length && a.every((mark) => b.includes(mark));
}

function isWhitespace(ch: string): boolean {
	return WHITESPACE.test(ch);
}

/** Splits off edge whitespace; runs that are only whitespace become part of the gap between segments. */
function segmentsOf(runs: readonly Run[]): Segment[] {
	const segments: Segment[] = [];
	let gap = '';
	for (const run of runs) {
		if (run.kind === 'atom') {
			segments.push({ before: gap, run });
			gap = '';
			continue;
		}
		let start = 0;
		let end = run.value.length;
		while (start < end && isWhitespace(run.value[start])) start++;
		while (end > start && isWhitespace(run.value[end - 1])) end--;
		if (start === end) {
			gap += run.value;
			continue;
		}
		segments.push({
			before: gap + run.value.slice(0, start),
			run: { ...run, value: run.value.slice(start, end) },
		});
		gap = run.value.slice(end);
	}
	return segments;
}

/** How many segments from `index` on carry `mark`: marks that last longer open outermost. */
function reach(segments: readonly Segment[], index: number, mark: Mark): number {
	let end = index;
	while (end < segments.length && segments[end].run.marks.includes(mark)) end++;
	return end - index;
}

function markKind(mark: Mark): string {
	return mark.startsWith('link:') ? 'link' : mark;
}

function tokenize(segments: readonly Segment[], mode: InlineMode, escape: TextEscapeOptions): Token[] {
	const tokens: Token[] = [];
	const open: Array<{ mark: Mark; pair: number }> = [];
	let pairs = 0;
	segments.forEach((segment, index) => {
		const wanted = segment.run.marks;
		let keep = 0;
		while (keep < open.length && wanted.includes(open[keep].mark)) keep++;
		while (open.length > keep) {
			const closing = open.pop()!;
			tokens.push({ kind: 'close', mark: closing.mark, pair: closing.pair });
		}
		// Whitespace before the first segment is dropped: the text is trimmed.
		if (index > 0 && segment.before) tokens.push({ kind: 'text', markdown: textMarkdown(segment.before, mode, escape) });
		const opening = wanted.filter((mark) => !open.some((entry) => entry.mark === mark));
		if (opening.length > 1) {
			opening.sort(
				(a, b) =>
					reach(segments, index, b) - reach(segments, index, a) || MARK_PRIORITY[markKind(a)] - MARK_PRIORITY[markKind(b)],
			);
		}
		for (const mark of opening) {
			open.push({ mark, pair: pairs });
			tokens.push({ kind: 'open', mark, pair: pairs++ });
		}
		tokens.push({ kind: 'text', markdown: runMarkdown(segment.run, mode, escape) });
	});
	while (open.length > 0) {
		const closing = open.pop()!;
		tokens.push({ kind: 'close', mark: closing.mark, pair: closing.pair });
	}
	return tokens;
}

function runMarkdown(run: Run, mode: InlineMode, escape: TextEscapeOptions): string {
	if (run.kind === 'code') return codeSpan(run.value);
	if (run.kind === 'atom') return run.value;
	return textMarkdown(run.value, mode, escape);
}

const LINE_BREAK: Record<InlineMode, string> = { block: '\\\n', heading: ' ', tableCell: '<br>' };

/** Line breaks as the mode writes them; in a block, a blank line starts a new paragraph rather than a line holding `\`. */
function textMarkdown(text: string, mode: InlineMode, escape: TextEscapeOptions): string {
	if (!text.includes('\n') && !text.includes('\r')) return escapeText(text, escape);
	const lines = text.split(/\r\n?|\n/);
	if (mode !== 'block') return lines.map((line) => escapeText(line, escape)).join(LINE_BREAK[mode]);
	let markdown = escapeText(lines[0], escape);
	let blank = false;
	for (let index = 1; index < lines.length; index++) {
		const line = lines[index];
		// An empty last line is only the end of the text: a hard break before what follows.
		if (line.trim() === '' && index < lines.length - 1) {
			blank = true;
			continue;
		}
		markdown += blank ? '\n\n' : LINE_BREAK.block;
		blank = false;
		markdown += escapeText(line, escape);
	}
	return markdown;
}

/**
 * `symbol`: a non-ASCII symbol (emoji, ©, →). CommonMark 0.31 counts symbols as
 * punctuation, earlier versions (and many parsers) do not, so delimiter checks
 * assume whichever reading makes the delimiter fail.
 */
type CharClass = 'space' | 'punctuation' | 'symbol' | 'other';

const ASCII_PUNCTUATION_CHAR = /[!-/:-@[-`{-~]/;
const UNICODE_PUNCTUATION = /\p{P}/u;

function classify(ch: string | undefined): CharClass {
	if (ch === undefined || WHITESPACE.test(ch)) return 'space';
	if (ASCII_PUNCTUATION_CHAR.test(ch) || UNICODE_PUNCTUATION.test(ch)) return 'punctuation';
	return PUNCTUATION_OR_SYMBOL.test(ch) ? 'symbol' : 'other';
}

function lastChar(text: string): string | undefined {
	const code = text.codePointAt(text.length - 1);
	if (code === undefined) return undefined;
	// A low surrogate: read the whole astral character (emoji are symbols).
	if (code >= 0xdc00 && code <= 0xdfff && text.length > 1) return String.fromCodePoint(text.codePointAt(text.length - 2)!);
	return String.fromCodePoint(code);
}

function firstChar(text: string): string | undefined {
	const code = text.codePointAt(0);
	return code === undefined ? undefined : String.fromCodePoint(code);
}

/** The character a Markdown delimiter is made of (`**` and `*` join into one run), or undefined for HTML and links. */
function delimiterChar(token: Token, html: ReadonlySet<number>): string | undefined {
	if (token.kind === 'text' || html.has(token.pair)) return undefined;
	const kind = markKind(token.mark);
	return kind === 'bold' || kind === 'italic' ? '*' : kind === 'strikethrough' ? '~' : undefined;
}

/**
 * CommonMark's delimiter rules, checked so every pair reads back as written; a pair
 * that might not is written as HTML instead (`<strong>`, `<em>`, `<del>`):
 * - neighbouring delimiters of one character form a single run (`**` + `*` = `***`),
 *   judged by the text around the whole run; other delimiters and tags are punctuation;
 * - an opener must be left-flanking and a closer right-flanking;
 * - an opener that could also close (`a**b`) while a delimiter of its character is
 *   open would close that one instead;
 * - a run that both closes and opens (`*a*` then `**b**` → `*a***b**`) leaves the
 *   pairing to CommonMark's "rule of 3", so its openers become HTML.
 * Falling back can change a neighbour's surroundings, so this repeats until stable.
 */
function pairsNeedingHtml(tokens: readonly Token[]): Set<number> {
	const html = new Set<number>();
	if (!tokens.some((token) => token.kind === 'open' && markKind(token.mark) in EMPHASIS_SYNTAX)) return html;
	for (let changed = true; changed; ) {
		changed = false;
		const openByChar = new Map<string, number>();
		let index = 0;
		while (index < tokens.length) {
			const ch = delimiterChar(tokens[index], html);
			if (ch === undefined) {
				index++;
				continue;
			}
			let end = index;
			while (end + 1 < tokens.length && delimiterChar(tokens[end + 1], html) === ch) end++;
			const previous = tokens[index - 1];
			const next = tokens[end + 1];
			const before = previous?.kind === 'text' ? classify(lastChar(previous.markdown)) : previous ? 'punctuation' : 'space';
			const after = next?.kind === 'text' ? classify(firstChar(next.markdown)) : next ? 'punctuation' : 'space';
			const run = tokens.slice(index, end + 1);
			const mixed = run.some((token) => token.kind === 'open') && run.some((token) => token.kind === 'close');
			const stealsCloser = (openByChar.get(ch) ?? 0) > 0 && mightClose(before, after);
			for (const token of run) {
				if (token.kind === 'text') continue;
				const valid = token.kind === 'open' ? !mixed && !stealsCloser && canOpen(before, after) : canClose(before, after);
				if (!valid) {
					html.add(token.pair);
					changed = true;
				} else {
					openByChar.set(ch, (openByChar.get(ch) ?? 0) + (token.kind === 'open' ? 1 : -1));
				}
			}
			index = end + 1;
		}
	}
	return html;
}

/** Right-flanking under some reading of a symbol: a delimiter here could be taken as a closer. */
function mightClose(before: CharClass, after: CharClass): boolean {
	if (before === 'space') return false;
	return before !== 'punctuation' || after !== 'other';
}

/** Left-flanking, with a symbol read the unfavourable way on each side. */
function canOpen(before: CharClass, after: CharClass): boolean {
	if (after === 'space') return false;
	const afterIsPunctuation = after === 'punctuation' || after === 'symbol';
	const beforeIsPunctuationOrSpace = before === 'punctuation' || before === 'space';
	return !afterIsPunctuation || beforeIsPunctuationOrSpace;
}

/** Right-flanking, with a symbol read the unfavourable way on each side. */
function canClose(before: CharClass, after: CharClass): boolean {
	if (before === 'space') return false;
	const beforeIsPunctuation = before === 'punctuation' || before === 'symbol';
	const afterIsPunctuationOrSpace = after === 'punctuation' || after === 'space';
	return !beforeIsPunctuation || afterIsPunctuationOrSpace;
}

function tokenMarkdown(token: Token, html: ReadonlySet<number>): string {
	if (token.kind === 'text') return token.markdown;
	const kind = markKind(token.mark);
	if (kind === 'link') return token.kind === 'open' ? '[' : `](${escapeUrl(token.mark.slice('link:'.length))})`;
	if (kind === 'underline') return token.kind === 'open' ? '<u>' : '</u>';
	const [markdown, htmlOpen, htmlClose] = EMPHASIS_SYNTAX[kind];
	if (!html.has(token.pair)) return markdown;
	return token.kind === 'open' ? htmlOpen : htmlClose;
}

function finish(markdown: string, mode: InlineMode): string {
	if (mode === 'tableCell') return markdown.trim().replace(/\|/g, '\\|');
	if (mode === 'heading') return markdown.trim();
	const trim = (line: string) => escapeLineStart(line.replace(/^[ \t]+|[ \t]+$/g, ''));
	return markdown.includes('\n') ? markdown.split('\n').map(trim).join('\n') : trim(markdown);
}
