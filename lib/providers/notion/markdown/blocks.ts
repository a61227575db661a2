import type { BlockObjectResponse, RichTextItemResponse } from '@notionhq/client';
import { notionUrl } from '../ids';
import { codeFenceLanguage } from './codeLanguages';
import { escapeHeadingEnd, escapeLineStart, escapeText, longestRun, markdownImage, markdownLink, singleLine } from './escape';
import { fileNameFromUrl } from './fileUrls';
import { knownTitle, knownUrl, plainText, renderRichText, renderRichTextLines } from './richText';
import type { BlockNode, ChildItemRef, RenderContext, RenderedBlocks, RenderedFile, RenderedFileKind } from './types';

type BlockOf<T extends BlockObjectResponse['type']> = Extract<BlockObjectResponse, { type: T }>;
type MediaBlock = BlockOf<RenderedFileKind>;
type HeadingBlock = BlockOf<'heading_1' | 'heading_2' | 'heading_3' | 'heading_4'>;

/** Consecutive items of one kind render as one tight Markdown list; to-dos and toggles are `-` items too. */
type ListKind = 'bullet' | 'ordered';

interface RenderedBlock {
	lines: string[];
	list?: ListKind;
}

interface RenderedSequence {
	lines: string[];
	startsWithList: boolean;
}

/**
 * Where a block sits. `loose` is true inside a paragraph's children, which are indented
 * two spaces: Markdown has no indented paragraph, and a second level of indentation
 * would turn them into a code block, so deeper paragraph children stay at two spaces.
 */
interface Position {
	loose: boolean;
	/** The number of a numbered list item. */
	ordinal: number;
	/**
	 * Written with the other marker (`*`, `1)`): a list that follows another of its kind with only an
	 * empty block between would otherwise join it, in CommonMark a new marker starts a new list.
	 */
	alternate: boolean;
}

/** Levels of nesting rendered; deeper content is replaced by a visible note (a crafted tree could exhaust the stack). */
export const MAX_NESTING = 100;

const BARE_MARKER = /^(?:-|\d+\.)$/;
const HEADING_LEVEL: Record<HeadingBlock['type'], number> = { heading_1: 1, heading_2: 2, heading_3: 3, heading_4: 4 };

function listKindOf(block: BlockObjectResponse): ListKind | undefined {
	switch (block.type) {
		case 'bulleted_list_item':
		case 'to_do':
		case 'toggle':
			return 'bullet';
		case 'numbered_list_item':
			return 'ordered';
		default:
			return undefined;
	}
}

/** Whether no cell of a table holds any text. */
function allCellsEmpty(rows: ReadonlyArray<ReadonlyArray<readonly RichTextItemResponse[]>>): boolean {
	return rows.every((cells) => cells.every((cell) => plainText(cell).trim() === ''));
}

/** Renders a block tree to Markdown, collecting the files, child pages and child databases it meets. */
export function renderBlocks(blocks: readonly BlockNode[], context: RenderContext = {}): RenderedBlocks {
	const renderer = new BlockRenderer(context);
	const { lines } = renderer.sequence(blocks, false);
	return {
		markdown: finishDocument(lines),
		files: renderer.files,
		childPages: renderer.childPages,
		childDatabases: renderer.childDatabases,
	};
}

/** Lines → document text: no trailing spaces, one final newline (none for an empty document). */
export function finishDocument(lines: readonly string[]): string {
	let start = 0;
	let end = lines.length;
	while (start < end && lines[start].trim() === '') start++;
	while (end > start && lines[end - 1].trim() === '') end--;
	if (start === end) return '';
	return lines.slice(start, end).join('\n').replace(/[ \t]+$/gm, '') + '\n';
}

function indent(lines: readonly string[], prefix: string): string[] {
	if (prefix === '') return [...lines];
	return lines.map((line) => (line === '' ? '' : prefix + line));
}

function quote(lines: readonly string[]): string[] {
	return lines.map((line) => (line === '' ? '>' : `> ${line}`));
}

function placeholder(text: string): RenderedBlock {
	return { lines: [`> [${text}]`] };
}

function headingContent(block: HeadingBlock) {
	switch (block.type) {
		case 'heading_1':
			return block.heading_1;
		case 'heading_2':
			return block.heading_2;
		case 'heading_3':
			return block.heading_3;
		case 'heading_4':
			return block.heading_4;
	}
}

function mediaContent(block: MediaBlock) {
	switch (block.type) {
		case 'image':
			return block.image;
		case 'file':
			return block.file;
		case 'pdf':
			return block.pdf;
		case 'video':
			return block.video;
		case 'audio':
			return block.audio;
	}
}

function blockType(block: BlockObjectResponse): string {
	return (block as { type: string }).type;
}

function bullet(position: Position): string {
	return position.alternate ? '* ' : '- ';
}

class BlockRenderer {
	readonly files: RenderedFile[] = [];
	readonly childPages: ChildItemRef[] = [];
	readonly childDatabases: ChildItemRef[] = [];
	/** Synced originals being rendered, so a reference back into one cannot recurse. */
	private readonly syncing = new Set<string>();
	private depth = 0;

	constructor(private readonly context: RenderContext) {}

	/** Sibling blocks: one blank line between blocks, none between items of the same list. */
	sequence(nodes: readonly BlockNode[], loose: boolean): RenderedSequence {
		if (nodes.length === 0) return { lines: [], startsWithList: false };
		if (this.depth >= MAX_NESTING) {
			return { lines: [`> [Content nested deeper than ${MAX_NESTING} levels is left out]`], startsWithList: false };
		}
		this.depth++;
		try {
			return this.siblings(nodes, loose);
		} finally {
			this.depth--;
		}
	}

	private siblings(nodes: readonly BlockNode[], loose: boolean): RenderedSequence {
		const lines: string[] = [];
		let startsWithList = false;
		let previousList: ListKind | undefined;
		// The last list written, and its marker: kept across an omitted block, which ends the list.
		let lastList: { kind: ListKind; alternate: boolean } | undefined;
		let alternate = false;
		let ordinal = 0;
		let previousWasNumbered = false;
		for (const node of nodes) {
			const { block } = node;
			if (block.type === 'numbered_list_item') {
				ordinal = previousWasNumbered ? ordinal + 1 : (block.numbered_list_item.list_start_index ?? 1);
				previousWasNumbered = true;
			} else {
				previousWasNumbered = false;
			}
			const kind = listKindOf(block);
			if (kind !== undefined && kind !== previousList) {
				alternate = lastList !== undefined && lastList.kind === kind && previousList === undefined ? !lastList.alternate : false;
			}
			const rendered = this.block(node, { loose, ordinal, alternate });
			if (!rendered || rendered.lines.length === 0) {
				// An omitted block (an empty paragraph) still ends a list, as it does in Notion.
				previousList = undefined;
				continue;
			}
			if (lines.length === 0) startsWithList = rendered.list !== undefined;
			else if (!(rendered.list && rendered.list === previousList)) lines.push('');
			for (const line of rendered.lines) lines.push(line);
			previousList = rendered.list;
			lastList = rendered.list ? { kind: rendered.list, alternate } : undefined;
		}
		return { lines, startsWithList };
	}

	private block(node: BlockNode, position: Position): RenderedBlock | undefined {
		const { block } = node;
		switch (block.type) {
			case 'paragraph':
				return this.paragraph(block.paragraph.rich_text, node, position);
			case 'heading_1':
			case 'heading_2':
			case 'heading_3':
			case 'heading_4':
				return this.heading(block, node, position);
			case 'bulleted_list_item':
				return this.listItem(bullet(position), 2, this.lines(block.bulleted_list_item.rich_text), node, 'bullet');
			case 'numbered_list_item': {
				const marker = `${position.ordinal}${position.alternate ? ')' : '.'} `;
				return this.listItem(marker, marker.length, this.lines(block.numbered_list_item.rich_text), node, 'ordered');
			}
			case 'to_do':
				return this.listItem(`${bullet(position)}${block.to_do.checked ? '[x] ' : '[ ] '}`, 2, this.lines(block.to_do.rich_text), node, 'bullet');
			case 'toggle':
				// A toggle is its summary with the hidden content nested under it, as in Notion's own export.
				return this.listItem(bullet(position), 2, this.lines(block.toggle.rich_text), node, 'bullet');
			case 'quote':
				return this.quoted(this.lines(block.quote.rich_text), node);
			case 'callout':
				return this.callout(block, node);
			case 'divider':
				return this.withFollowing(['---'], node, position);
			case 'code':
				return this.withFollowing(this.code(block), node, position);
			case 'equation':
				return this.withFollowing(this.equation(block.equation.expression), node, position);
			case 'table':
				return this.table(block, node);
			case 'column_list':
			case 'column':
			case 'tab':
				// Columns render one after the other; tabs are a paragraph per tab with its content beneath.
				return this.container(node.children, position);
			case 'synced_block':
				return this.synced(block, node, position);
			case 'child_page':
				return this.childItem(block.id, block.child_page.title, this.childPages);
			case 'child_database':
				return this.childItem(block.id, block.child_database.title, this.childDatabases);
			case 'link_to_page':
				return this.withFollowing(this.linkToPage(block), node, position);
			case 'bookmark':
				return this.withFollowing(this.linkLine(block.bookmark.url, block.bookmark.caption), node, position);
			case 'embed':
				return this.withFollowing(this.linkLine(block.embed.url, block.embed.caption), node, position);
			case 'link_preview':
				return this.withFollowing(this.linkLine(block.link_preview.url, []), node, position);
			case 'image':
			case 'file':
			case 'pdf':
			case 'video':
			case 'audio':
				return this.withFollowing(this.media(block), node, position);
			case 'breadcrumb':
			case 'table_of_contents':
				// Navigation Notion draws from the page itself; Markdown viewers build their own.
				return this.withFollowing([], node, position);
			case 'template':
				// A template button holds content to duplicate on click, not content of the page.
				return undefined;
			case 'meeting_notes':
				return this.withFollowing(this.lines(block.meeting_notes.title ?? []), node, position);
			case 'transcription':
				return this.withFollowing(this.lines(block.transcription.title ?? []), node, position);
			case 'table_row':
				// Only meaningful inside a table, which renders its rows itself.
				return undefined;
			case 'unsupported':
				return this.unsupported(block.unsupported.block_type || 'unsupported', node, position);
			default:
				return this.unsupported(blockType(block), node, position);
		}
	}

	private lines(richText: readonly RichTextItemResponse[]): string[] {
		return renderRichTextLines(richText, { context: this.context });
	}

	/** Content of a block Markdown cannot nest into, placed after it at the same level. */
	private withFollowing(lines: string[], node: BlockNode, position: Position): RenderedBlock | undefined {
		if (node.children.length === 0) return lines.length ? { lines } : undefined;
		const children = this.sequence(node.children, position.loose).lines;
		if (lines.length === 0) return { lines: children };
		if (children.length === 0) return { lines };
		return { lines: [...lines, '', ...children] };
	}

	private paragraph(richText: readonly RichTextItemResponse[], node: BlockNode, position: Position): RenderedBlock | undefined {
		const lines = this.lines(richText);
		// Without text of its own, indented children would join a list item just above: keep them level.
		if (lines.length === 0) return this.container(node.children, position);
		if (node.children.length === 0) return { lines };
		const children = indent(this.sequence(node.children, true).lines, position.loose ? '' : '  ');
		return children.length ? { lines: [...lines, '', ...children] } : { lines };
	}

	private heading(block: HeadingBlock, node: BlockNode, position: Position): RenderedBlock | undefined {
		const text = renderRichText(headingContent(block).rich_text, { mode: 'heading', context: this.context });
		// Below the page title's `#` when there is one, so a chunker splitting on headings keeps the title on top.
		const level = Math.min(6, HEADING_LEVEL[block.type] + (this.context.headingShift ?? 0));
		// A toggleable heading's content follows it, unindented: it reads as that heading's section.
		return this.withFollowing(text ? [`${'#'.repeat(level)} ${escapeHeadingEnd(text)}`] : [], node, position);
	}

	/** `marker` text, continuation lines and children indented to the item's content column. */
	private listItem(marker: string, width: number, text: string[], node: BlockNode, list: ListKind): RenderedBlock {
		const pad = ' '.repeat(width);
		const lines = text.length ? [marker + text[0], ...indent(text.slice(1), pad)] : [marker.trimEnd()];
		if (node.children.length > 0) {
			const children = this.sequence(node.children, false);
			if (children.lines.length > 0) {
				// A nested list attaches directly, unless it starts with an empty item (`-` under text is a
				// setext underline); other content needs a blank line to start a new block, except after a
				// bare marker, since an item may start with only one blank line.
				const attaches = children.startsWithList && !BARE_MARKER.test(children.lines[0]);
				if (!attaches && !BARE_MARKER.test(lines[0])) lines.push('');
				for (const line of indent(children.lines, pad)) lines.push(line);
			}
		}
		return { lines, list };
	}

	private quoted(text: string[], node: BlockNode): RenderedBlock | undefined {
		const children = node.children.length ? this.sequence(node.children, false).lines : [];
		const lines = text.length && children.length ? [...text, '', ...children] : text.length ? text : children;
		return lines.length ? { lines: quote(lines) } : undefined;
	}

	private callout(block: BlockOf<'callout'>, node: BlockNode): RenderedBlock | undefined {
		const icon = block.callout.icon;
		// Emoji read as text; image icons (external or uploaded, which expire) are decoration and left out.
		const symbol = icon?.type === 'emoji' ? icon.emoji : icon?.type === 'custom_emoji' ? `:${icon.custom_emoji.name}:` : '';
		const text = this.lines(block.callout.rich_text);
		if (symbol) {
			if (text.length) text[0] = `${symbol} ${text[0]}`;
			else text.push(symbol);
		}
		return this.quoted(text, node);
	}

	private code(block: BlockOf<'code'>): string[] {
		const content = plainText(block.code.rich_text).replace(/\r\n?/g, '\n').replace(/\n+$/, '');
		// Longer than any backtick run inside, so ``` in the code cannot close the fence.
		const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
		const lines = [fence + codeFenceLanguage(block.code.language), ...(content === '' ? [] : content.split('\n')), fence];
		const caption = this.lines(block.code.caption);
		return caption.length ? [...lines, '', ...caption] : lines;
	}

	private equation(expression: string): string[] {
		const lines = expression
			.replace(/\r\n?/g, '\n')
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '');
		if (lines.length === 0) return [];
		// A line that would start a Markdown block (`- x`, `# x`) would end the math: keep it on one line then.
		const safe = lines.every((line, index) => index === 0 || escapeLineStart(line) === line);
		return ['$$', ...(safe ? lines : [lines.join(' ')]), '$$'];
	}

	private table(block: BlockOf<'table'>, node: BlockNode): RenderedBlock | undefined {
		const rows = node.children.flatMap((child) => (child.block.type === 'table_row' ? [child.block.table_row.cells] : []));
		const width = Math.max(block.table.table_width, ...rows.map((cells) => cells.length));
		if (rows.length === 0 || width === 0 || allCellsEmpty(rows)) return undefined;
		const { has_column_header: columnHeader, has_row_header: rowHeader } = block.table;
		const row = (cells: ReadonlyArray<readonly RichTextItemResponse[]>, isHeader: boolean): string => {
			let line = '|';
			for (let column = 0; column < width; column++) {
				const cell = renderRichText(cells[column] ?? [], {
					mode: 'tableCell',
					bold: rowHeader && column === 0 && !isHeader,
					context: this.context,
				});
				line += cell ? ` ${cell} |` : ' |';
			}
			return line;
		};
		// GFM needs a header row; without Notion's column header the first row is it rather than an empty one.
		const header = row(rows[0], columnHeader);
		const body = rows.slice(1).map((cells) => row(cells, false));
		return { lines: [header, `|${' --- |'.repeat(width)}`, ...body] };
	}

	private container(children: readonly BlockNode[], position: Position): RenderedBlock | undefined {
		const { lines } = this.sequence(children, position.loose);
		return lines.length ? { lines } : undefined;
	}

	private synced(block: BlockOf<'synced_block'>, node: BlockNode, position: Position): RenderedBlock | undefined {
		const source = block.synced_block.synced_from;
		if (source === null) {
			this.syncing.add(block.id);
			const rendered = this.container(node.children, position);
			this.syncing.delete(block.id);
			return rendered;
		}
		const originalId = source.block_id;
		const original = this.context.resolveSyncedBlock?.(originalId) ?? (node.children.length ? node.children : undefined);
		if (!original || this.syncing.has(originalId)) {
			return placeholder(`Synced block unavailable: its original (${originalId}) is not shared with this integration`);
		}
		this.syncing.add(originalId);
		const rendered = this.container(original, position);
		this.syncing.delete(originalId);
		return rendered;
	}

	/** A child page or database is its own exported item: here a link to it, and an entry in the list. */
	private childItem(id: string, title: string, list: ChildItemRef[]): RenderedBlock {
		const name = title || knownTitle(this.context, id) || 'Untitled';
		list.push({ id, title: name });
		return { lines: [markdownLink(name, knownUrl(this.context, id) ?? notionUrl(id))] };
	}

	private linkToPage(block: BlockOf<'link_to_page'>): string[] {
		const target = block.link_to_page;
		if (target.type === 'comment_id') return ['> [Unsupported Notion block: link_to_page (comment)]'];
		const id = target.type === 'page_id' ? target.page_id : target.database_id;
		const url = knownUrl(this.context, id) ?? notionUrl(id);
		return [markdownLink(knownTitle(this.context, id) ?? url, url)];
	}

	private linkLine(url: string, caption: readonly RichTextItemResponse[]): string[] {
		if (!url) return [];
		const plainCaption = singleLine(plainText(caption));
		const line = markdownLink(plainCaption || url, url);
		// A formatted caption keeps its formatting as the paragraph under the link.
		const formatted = this.lines(caption);
		return formatted.length && formatted.join(' ') !== escapeText(plainCaption) ? [line, '', ...formatted] : [line];
	}

	private media(block: MediaBlock): string[] {
		const media = mediaContent(block);
		const hosted = media.type === 'file';
		const url = hosted ? media.file.url : media.external.url;
		if (!url) return [];
		const givenName = block.type === 'file' ? block.file.name : '';
		const name = givenName || fileNameFromUrl(url) || block.type;
		this.files.push({
			blockId: block.id,
			url,
			name,
			kind: block.type,
			hosted,
			...(hosted ? { expiresAt: media.file.expiry_time } : {}),
		});
		// Notion's signed links expire within the hour: the index gets the block's place on its page instead.
		const href = hosted ? this.hostedFileLink(block.id) : url;
		const caption = this.lines(media.caption);
		const plainCaption = singleLine(plainText(media.caption));
		// The label is the file's name (an image's alt text its caption first); an external video or
		// embed URL names a player page, not a file, so the caption or the URL itself names it.
		const label = block.type === 'image' ? plainCaption || name : givenName || (hosted ? name : plainCaption || url);
		const line = block.type === 'image' ? markdownImage(label, href) : markdownLink(label, href);
		// A caption the label does not already say, or says without its formatting, follows as written.
		const said = label === plainCaption && caption.join(' ') === escapeText(plainCaption);
		return caption.length && !said ? [line, '', ...caption] : [line];
	}

	/** The stable address of a Notion-hosted file: its block on the page (the page itself when unknown). */
	private hostedFileLink(blockId: string): string {
		const anchor = blockId.replace(/-/g, '');
		const page = this.context.page;
		if (page === undefined) return notionUrl(blockId);
		// Enhanced Markdown names no blocks: then the page is the stable address.
		return anchor ? `${page.url ?? notionUrl(page.id)}#${anchor}` : (page.url ?? notionUrl(page.id));
	}

	private unsupported(type: string, node: BlockNode, position: Position): RenderedBlock | undefined {
		// Visible in rendered Markdown (an HTML comment would not be), so a reader knows content is missing.
		return this.withFollowing([`> [Unsupported Notion block: ${escapeText(type)}]`], node, position);
	}
}
