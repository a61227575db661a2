/**
 * Notion's enhanced Markdown (`GET /v1/pages/{id}/markdown`) → the block model the renderer reads,
 * so both content sources end in one renderer and give the same portable Markdown.
 * Blocks are lines indented with tabs (children one tab deeper); Notion-only blocks are XML-like
 * tags (`<callout>`, `<details>`, `<table>`, `<page>`, `<file>`, `<unknown>`…); inline text is
 * Markdown emphasis, links, `$math$`, `<span>` and `<mention-*>` tags, with backslash escapes.
 */
import type { BlockObjectResponse, RichTextItemResponse } from '@notionhq/client';

import { parseNotionIdOrUndefined } from '../ids';
import type { BlockNode } from './types';

/** A block the endpoint left out (`<unknown>`): its id is in `unknown_block_ids` when it can be fetched. */
export interface UnknownBlockRef {
	id: string;
	node: BlockNode;
}

export interface ParsedEnhancedMarkdown {
	blocks: BlockNode[];
	/** Placeholders in document order; `fillUnknown` replaces them with their fetched subtrees. */
	unknown: UnknownBlockRef[];
}

interface Line {
	depth: number;
	text: string;
}

const PLAIN_ANNOTATIONS = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' } as const;
type Annotations = { -readonly [K in keyof typeof PLAIN_ANNOTATIONS]: K extends 'color' ? string : boolean };

/** The endpoint gives no block ids: a parsed block has none (a hosted file then links to its page). */
function syntheticId(): string {
	return '';
}

/** The one place a parsed block becomes the SDK's type: the renderer reads only `type`, the payload and `id`. */
function block(type: string, payload: Record<string, unknown>, id: string = syntheticId()): BlockObjectResponse {
	return { object: 'block', id, type, [type]: payload, has_children: false, in_trash: false, archived: false } as unknown as BlockObjectResponse;
}

function node(value: BlockObjectResponse, children: BlockNode[] = []): BlockNode {
	return { block: value, children };
}

export function parseEnhancedMarkdown(markdown: string): ParsedEnhancedMarkdown {
	const lines = markdown
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((raw): Line => {
			const tabs = /^\t*/.exec(raw)?.[0].length ?? 0;
			return { depth: tabs, text: raw.slice(tabs) };
		});
	const unknown: UnknownBlockRef[] = [];
	const parser = new BlockParser(lines, unknown);
	return { blocks: parser.blocks(0, lines.length, 0), unknown };
}

/** Attributes of an opening tag: `name="value"` pairs, values unescaped. */
function attributes(tag: string): Record<string, string> {
	const found: Record<string, string> = {};
	for (const match of tag.matchAll(/([\w-]+)="((?:[^"\\]|\\.)*)"/g)) found[match[1]] = match[2].replace(/\\(.)/g, '$1');
	return found;
}

/** Notion's trailing block attribute list (`{color="blue"}`), removed from the text. */
function withoutBlockAttributes(text: string): { text: string; color: string } {
	const match = /\s*\{color="([^"]*)"\}\s*$/.exec(text);
	return match ? { text: text.slice(0, match.index), color: match[1] } : { text, color: 'default' };
}

class BlockParser {
	constructor(
		private readonly lines: readonly Line[],
		private readonly unknown: UnknownBlockRef[],
	) {}

	/** Blocks in lines [start, end) whose depth is `depth`; deeper lines belong to the block above. */
	blocks(start: number, end: number, depth: number): BlockNode[] {
		const result: BlockNode[] = [];
		let index = start;
		while (index < end) {
			const line = this.lines[index];
			if (line.text.trim() === '' && line.depth <= depth) {
				index++;
				continue;
			}
			const parsed = this.block(index, end, Math.min(depth, line.depth));
			if (parsed.node) result.push(parsed.node);
			index = parsed.next;
		}
		return result;
	}

	/** First line past the children of the block at `index` (lines deeper than `depth`, blank lines between). */
	private childrenEnd(index: number, end: number, depth: number): number {
		let next = index + 1;
		let last = next;
		while (next < end) {
			const line = this.lines[next];
			if (line.text.trim() === '') {
				next++;
				continue;
			}
			if (line.depth <= depth) break;
			next++;
			last = next;
		}
		return last;
	}

	/** The index of the line closing `tag` at `depth`. */
	private closing(index: number, end: number, depth: number, tag: string): number {
		for (let next = index + 1; next < end; next++) {
			const line = this.lines[next];
			if (line.depth === depth && line.text.trim() === `</${tag}>`) return next;
		}
		return end;
	}

	private withChildren(value: BlockObjectResponse, index: number, end: number, depth: number): { node: BlockNode; next: number } {
		const childEnd = this.childrenEnd(index, end, depth);
		const children = this.blocks(index + 1, childEnd, depth + 1);
		return { node: node(value, children), next: childEnd };
	}

	private block(index: number, end: number, depth: number): { node?: BlockNode; next: number } {
		const raw = this.lines[index].text;
		const text = raw.trimEnd();

		const fence = /^(`{3,})(.*)$/.exec(text);
		if (fence) return this.code(index, end, depth, fence[1], fence[2].trim());
		if (text === '$$') return this.equation(index, end, depth);
		if (text === '---') return { node: node(block('divider', {})), next: index + 1 };
		if (/^<empty-block\s*\/>$/.test(text)) {
			return { node: node(block('paragraph', { rich_text: [], color: 'default' })), next: index + 1 };
		}
		if (/^<table_of_contents\b[^>]*\/>$/.test(text)) return { node: node(block('table_of_contents', { color: 'default' })), next: index + 1 };
		if (text === '<details>' || text.startsWith('<details ')) return this.toggle(index, end, depth);
		if (text.startsWith('<callout')) return this.callout(index, end, depth, text);
		if (text.startsWith('<table')) return this.table(index, end, depth, text);
		if (text === '<columns>') return this.columns(index, end, depth);
		if (text.startsWith('<synced_block')) return this.syncedBlock(index, end, depth);

		const bookmark = /^<(bookmark|embed)\b([^>]*?)(?:\/>|>(.*)<\/\1>)$/.exec(text);
		if (bookmark) {
			const payload = { url: attributes(bookmark[2]).url ?? '', caption: parseRichText(bookmark[3] ?? '') };
			return { node: node(block(bookmark[1], payload)), next: index + 1 };
		}
		const unknownTag = /^<unknown\b([^>]*)\/>$/.exec(text);
		if (unknownTag) return this.unknownBlock(unknownTag[1], index, end, depth);
		const item = /^<(page|database)\b([^>]*)>(.*)<\/\1>$/.exec(text);
		if (item) return { node: this.childItem(item[1] as 'page' | 'database', attributes(item[2]), item[3]), next: index + 1 };
		const media = /^<(file|pdf|video|audio|image)\b([^>]*?)(?:\/>|>(.*)<\/\1>)$/.exec(text);
		if (media) return { node: this.media(media[1], attributes(media[2]).src ?? '', media[3] ?? ''), next: index + 1 };
		const image = /^!\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)$/.exec(text);
		if (image) return { node: this.media('image', image[2], image[1]), next: index + 1 };

		const heading = /^(#{1,6}) (.*)$/.exec(text);
		if (heading) {
			const level = Math.min(4, heading[1].length);
			const { text: content, color } = withoutBlockAttributes(heading[2]);
			const type = `heading_${level}`;
			return this.withChildren(block(type, { rich_text: parseRichText(content), color, is_toggleable: false }), index, end, depth);
		}
		const todo = /^- \[( |x|X)\](?: (.*))?$/.exec(text);
		if (todo) {
			const { text: content, color } = withoutBlockAttributes(todo[2] ?? '');
			return this.withChildren(block('to_do', { rich_text: parseRichText(content), color, checked: todo[1] !== ' ' }), index, end, depth);
		}
		const bullet = /^[-*+](?: (.*))?$/.exec(text);
		if (bullet) {
			const { text: content, color } = withoutBlockAttributes(bullet[1] ?? '');
			return this.withChildren(block('bulleted_list_item', { rich_text: parseRichText(content), color }), index, end, depth);
		}
		const numbered = /^(\d+)[.)](?: (.*))?$/.exec(text);
		if (numbered) {
			const { text: content, color } = withoutBlockAttributes(numbered[2] ?? '');
			return this.withChildren(block('numbered_list_item', { rich_text: parseRichText(content), color }), index, end, depth);
		}
		const quote = /^> ?(.*)$/.exec(text);
		if (quote) {
			const { text: content, color } = withoutBlockAttributes(quote[1]);
			return this.withChildren(block('quote', { rich_text: parseRichText(content), color }), index, end, depth);
		}
		const { text: content, color } = withoutBlockAttributes(text);
		return this.withChildren(block('paragraph', { rich_text: parseRichText(content), color }), index, end, depth);
	}

	private code(index: number, end: number, depth: number, fence: string, language: string): { node: BlockNode; next: number } {
		const body: string[] = [];
		let next = index + 1;
		for (; next < end; next++) {
			const line = this.lines[next];
			if (line.depth === depth && line.text.trimEnd() === fence) break;
			// Code is literal: its own leading tabs past the block's indentation are content.
			body.push('\t'.repeat(Math.max(0, line.depth - depth)) + line.text);
		}
		const content = body.join('\n');
		return {
			node: node(block('code', { rich_text: content ? [textItem(content, {})] : [], caption: [], language: language || 'plain text' })),
			next: Math.min(end, next + 1),
		};
	}

	private equation(index: number, end: number, depth: number): { node: BlockNode; next: number } {
		const body: string[] = [];
		let next = index + 1;
		for (; next < end && !(this.lines[next].depth === depth && this.lines[next].text.trim() === '$$'); next++) body.push(this.lines[next].text);
		return { node: node(block('equation', { expression: body.join('\n') })), next: Math.min(end, next + 1) };
	}

	private toggle(index: number, end: number, depth: number): { node: BlockNode; next: number } {
		const close = this.closing(index, end, depth, 'details');
		let summary = '';
		let bodyStart = index + 1;
		const first = this.lines[index + 1];
		const summaryTag = first ? /^<summary>(.*)<\/summary>$/.exec(first.text.trim()) : null;
		if (summaryTag) {
			summary = summaryTag[1];
			bodyStart = index + 2;
		}
		const children = this.blocks(bodyStart, close, depth + 1);
		return { node: node(block('toggle', { rich_text: parseRichText(summary), color: 'default' }), children), next: Math.min(end, close + 1) };
	}

	private callout(index: number, end: number, depth: number, tag: string): { node: BlockNode; next: number } {
		const close = this.closing(index, end, depth, 'callout');
		const { icon, color } = attributes(tag);
		const inner = this.blocks(index + 1, close, depth + 1);
		// The callout's own text is its first paragraph; everything after it is its children.
		const first = inner[0]?.block.type === 'paragraph' ? inner.shift() : undefined;
		const richText = first && first.block.type === 'paragraph' ? first.block.paragraph.rich_text : [];
		const children = first ? [...first.children, ...inner] : inner;
		const iconValue = icon ? { type: 'emoji', emoji: icon } : null;
		return {
			node: node(block('callout', { rich_text: richText, color: color ?? 'default', icon: iconValue }), children),
			next: Math.min(end, close + 1),
		};
	}

	private table(index: number, end: number, depth: number, tag: string): { node: BlockNode; next: number } {
		const close = this.closing(index, end, depth, 'table');
		const options = attributes(tag);
		const rows: BlockNode[] = [];
		let cells: RichTextItemResponse[][] | undefined;
		for (let next = index + 1; next < close; next++) {
			const text = this.lines[next].text.trim();
			if (text.startsWith('<colgroup') || text.startsWith('<col') || text === '</colgroup>') continue;
			if (text.startsWith('<tr')) cells = [];
			const inline = [...text.matchAll(/<td\b[^>]*>(.*?)<\/td>/g)];
			if (cells) for (const cell of inline) cells.push(parseRichText(cell[1]));
			if (text.endsWith('</tr>') && cells) {
				rows.push(node(block('table_row', { cells })));
				cells = undefined;
			}
		}
		const width = Math.max(0, ...rows.map((row) => (row.block.type === 'table_row' ? row.block.table_row.cells.length : 0)));
		const table = block('table', {
			table_width: width,
			has_column_header: options['header-row'] === 'true',
			has_row_header: options['header-column'] === 'true',
		});
		return { node: node(table, rows), next: Math.min(end, close + 1) };
	}

	private columns(index: number, end: number, depth: number): { node: BlockNode; next: number } {
		const close = this.closing(index, end, depth, 'columns');
		const columns: BlockNode[] = [];
		for (let next = index + 1; next < close; next++) {
			const line = this.lines[next];
			if (line.depth !== depth + 1 || !line.text.trim().startsWith('<column')) continue;
			const columnClose = this.closing(next, close, depth + 1, 'column');
			columns.push(node(block('column', {}), this.blocks(next + 1, columnClose, depth + 2)));
			next = columnClose;
		}
		return { node: node(block('column_list', {}), columns), next: Math.min(end, close + 1) };
	}

	/** A synced block's content is shown in place (its original's, for a reference). */
	private syncedBlock(index: number, end: number, depth: number): { node: BlockNode; next: number } {
		const tag = this.lines[index].text.trim().startsWith('<synced_block_reference') ? 'synced_block_reference' : 'synced_block';
		const close = this.closing(index, end, depth, tag);
		const children = this.blocks(index + 1, close, depth + 1);
		return { node: node(block('synced_block', { synced_from: null }), children), next: Math.min(end, close + 1) };
	}

	private unknownBlock(tag: string, index: number, end: number, depth: number): { node?: BlockNode; next: number } {
		const { url = '', alt = 'unknown' } = attributes(tag);
		const anchor = /#([0-9a-f]{32}|[0-9a-f-]{36})$/i.exec(url)?.[1];
		const id = anchor ? parseNotionIdOrUndefined(anchor) : parseNotionIdOrUndefined(url);
		const placeholder = node(block('unsupported', { block_type: alt }, id ?? syntheticId()));
		if (id) this.unknown.push({ id, node: placeholder });
		return { node: placeholder, next: this.childrenEnd(index, end, depth) };
	}

	private childItem(kind: 'page' | 'database', attrs: Record<string, string>, title: string): BlockNode {
		const id = parseNotionIdOrUndefined(attrs.url ?? '') ?? syntheticId();
		const plain = unescapeMarkdown(title);
		return node(block(kind === 'page' ? 'child_page' : 'child_database', { title: plain }, id));
	}

	private media(kind: string, src: string, caption: string): BlockNode {
		const type = kind === 'image' || kind === 'pdf' || kind === 'video' || kind === 'audio' ? kind : 'file';
		const hosted = isNotionHosted(src);
		const payload: Record<string, unknown> = {
			caption: parseRichText(caption),
			type: hosted ? 'file' : 'external',
			...(hosted ? { file: { url: src, expiry_time: '' } } : { external: { url: src } }),
			...(type === 'file' ? { name: '' } : {}),
		};
		return node(block(type, payload));
	}
}

/** Uploads live in Notion's file storage and come back signed; anything else is an external link. */
export function isNotionHosted(url: string): boolean {
	return /^https:\/\/(?:prod-files-secure\.s3[.\w-]*\.amazonaws\.com|s3[.\w-]*\.amazonaws\.com\/secure\.notion-static\.com|file\.notion\.so)\//.test(url) || /[?&](?:X-Amz-Signature|signature)=/.test(url);
}

/** Replaces the `<unknown>` placeholder of `id` with the blocks fetched for it. */
export function fillUnknown(ref: UnknownBlockRef, blocks: readonly BlockNode[]): void {
	if (blocks.length === 1) {
		ref.node.block = blocks[0].block;
		ref.node.children = blocks[0].children;
		return;
	}
	ref.node.block = block('synced_block', { synced_from: null }, ref.node.block.id);
	ref.node.children = [...blocks];
}

// --- inline ----------------------------------------------------------------------------------

function textItem(content: string, annotations: Partial<Annotations>, href: string | null = null): RichTextItemResponse {
	return {
		type: 'text',
		text: { content, link: href ? { url: href } : null },
		annotations: { ...PLAIN_ANNOTATIONS, ...annotations },
		plain_text: content,
		href,
	} as RichTextItemResponse;
}

function unescapeMarkdown(text: string): string {
	return text.replace(/\\([\\*~`$[\]<>{}|^_#+\-.!()])/g, '$1');
}

const INLINE_TAGS = /^<(span|u|mention-page|mention-database|mention-user|mention-date|br)\b([^>]*?)(\/?)>/;

/**
 * Inline enhanced Markdown → rich text items. Marks nest (`**bold *and italic***`); a tag's
 * content is parsed with its mark added; anything unbalanced is kept as literal text.
 */
export function parseRichText(source: string): RichTextItemResponse[] {
	const items: RichTextItemResponse[] = [];
	parseInline(source, {}, null, items);
	return mergeAdjacent(items);
}

function parseInline(source: string, marks: Partial<Annotations>, href: string | null, out: RichTextItemResponse[]): void {
	let buffer = '';
	const flush = (): void => {
		if (buffer) out.push(textItem(buffer, marks, href));
		buffer = '';
	};
	let index = 0;
	while (index < source.length) {
		const rest = source.slice(index);
		const char = source[index];
		if (char === '\\' && index + 1 < source.length) {
			buffer += source[index + 1];
			index += 2;
			continue;
		}
		if (char === '`') {
			const close = source.indexOf('`', index + 1);
			if (close > index) {
				flush();
				out.push(textItem(source.slice(index + 1, close), { ...marks, code: true }, href));
				index = close + 1;
				continue;
			}
		}
		if (char === '$' && source[index + 1] !== '$') {
			const close = findUnescaped(source, '$', index + 1);
			if (close > index + 1) {
				flush();
				const expression = source.slice(index + 1, close);
				out.push({
					type: 'equation',
					equation: { expression },
					annotations: { ...PLAIN_ANNOTATIONS, ...marks },
					plain_text: expression,
					href: null,
				} as RichTextItemResponse);
				index = close + 1;
				continue;
			}
		}
		const delimiter = rest.startsWith('***') ? '***' : rest.startsWith('**') ? '**' : rest.startsWith('~~') ? '~~' : char === '*' || char === '_' ? char : undefined;
		if (delimiter) {
			const close = findUnescaped(source, delimiter, index + delimiter.length);
			if (close > index + delimiter.length) {
				flush();
				const mark: Partial<Annotations> =
					delimiter === '***' ? { bold: true, italic: true } : delimiter === '**' ? { bold: true } : delimiter === '~~' ? { strikethrough: true } : { italic: true };
				parseInline(source.slice(index + delimiter.length, close), { ...marks, ...mark }, href, out);
				index = close + delimiter.length;
				continue;
			}
		}
		if (char === '[') {
			const link = /^\[((?:[^\]\\]|\\.)*)\]\(((?:[^()\s\\]|\\.|\([^()\s]*\))*)\)/.exec(rest);
			if (link) {
				flush();
				parseInline(link[1], marks, unescapeMarkdown(link[2]), out);
				index += link[0].length;
				continue;
			}
		}
		if (char === '<') {
			const tag = INLINE_TAGS.exec(rest);
			if (tag) {
				const [whole, name, attrText, selfClosing] = tag;
				const attrs = attributes(attrText);
				if (name === 'br') {
					buffer += '\n';
					index += whole.length;
					continue;
				}
				const closeTag = `</${name}>`;
				const close = selfClosing ? index + whole.length : source.indexOf(closeTag, index + whole.length);
				if (selfClosing || close !== -1) {
					flush();
					const inner = selfClosing ? '' : source.slice(index + whole.length, close);
					inlineTag(name, attrs, inner, marks, href, out);
					index = selfClosing ? close : close + closeTag.length;
					continue;
				}
			}
		}
		buffer += char;
		index++;
	}
	flush();
}

function inlineTag(
	name: string,
	attrs: Record<string, string>,
	inner: string,
	marks: Partial<Annotations>,
	href: string | null,
	out: RichTextItemResponse[],
): void {
	const annotations = { ...PLAIN_ANNOTATIONS, ...marks };
	if (name === 'span' || name === 'u') {
		const added: Partial<Annotations> = {};
		if (name === 'u' || attrs.underline === 'true') added.underline = true;
		if (attrs.color) added.color = attrs.color;
		parseInline(inner, { ...marks, ...added }, href, out);
		return;
	}
	if (name === 'mention-page' || name === 'mention-database') {
		const id = parseNotionIdOrUndefined(attrs.url ?? '');
		const title = unescapeMarkdown(inner);
		if (!id) {
			parseInline(inner, marks, attrs.url ?? href, out);
			return;
		}
		const kind = name === 'mention-page' ? 'page' : 'database';
		out.push({
			type: 'mention',
			mention: { type: kind, [kind]: { id } },
			annotations,
			plain_text: title,
			href: attrs.url ?? null,
		} as unknown as RichTextItemResponse);
		return;
	}
	if (name === 'mention-user') {
		const name = unescapeMarkdown(inner).replace(/^@/, '');
		out.push({
			type: 'mention',
			mention: { type: 'user', user: { object: 'user', id: parseNotionIdOrUndefined(attrs.url ?? '') ?? '', name } },
			annotations,
			plain_text: `@${name}`,
			href: null,
		} as unknown as RichTextItemResponse);
		return;
	}
	// mention-date
	const date = { start: attrs.start ?? unescapeMarkdown(inner), end: attrs.end ?? null, time_zone: attrs.timezone ?? null };
	out.push({ type: 'mention', mention: { type: 'date', date }, annotations, plain_text: date.start, href: null } as unknown as RichTextItemResponse);
}

function findUnescaped(source: string, token: string, from: number): number {
	for (let index = from; index <= source.length - token.length; index++) {
		if (source[index] === '\\') {
			index++;
			continue;
		}
		if (token.startsWith('*') && source[index] === '*') {
			let run = 0;
			while (source[index + run] === '*') run++;
			// In a run of three, the inner mark closes first: `**b *c***` closes italic, then bold.
			if (token === '**' && run === 3) return index + 1;
			if (run === token.length || (token === '*' && run === 3)) return index;
			index += run - 1;
			continue;
		}
		if (source.startsWith(token, index)) return index;
	}
	return -1;
}

/** Adjacent plain text runs with the same marks become one item, as Notion stores them. */
function mergeAdjacent(items: RichTextItemResponse[]): RichTextItemResponse[] {
	const merged: RichTextItemResponse[] = [];
	for (const item of items) {
		const last = merged[merged.length - 1];
		if (
			last?.type === 'text' &&
			item.type === 'text' &&
			last.href === item.href &&
			JSON.stringify(last.annotations) === JSON.stringify(item.annotations)
		) {
			const content = last.text.content + item.text.content;
			merged[merged.length - 1] = { ...last, text: { ...last.text, content }, plain_text: content };
			continue;
		}
		merged.push(item);
	}
	return merged;
}
