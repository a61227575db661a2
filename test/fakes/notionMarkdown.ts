/**
 * The fake Notion's `GET /v1/pages/{id}/markdown`: enhanced Markdown ("Notion-flavored Markdown",
 * developers.notion.com "Enhanced markdown format") written from the block model, as the real
 * endpoint does: tab-indented children, XML-like tags for Notion-only blocks, `<unknown>` for
 * what it leaves out (a truncated answer lists those ids in `unknown_block_ids`).
 */
import type { BlockObjectResponse, RichTextItemResponse } from '@notionhq/client';

export interface MarkdownBlock {
	block: BlockObjectResponse;
	children: MarkdownBlock[];
}

export interface EnhancedMarkdownOptions {
	/** Blocks written before the rest become `<unknown>` placeholders (Infinity: never truncated). */
	maxBlocks?: number;
	/** The page the blocks are on, for the `<unknown url>` of left-out blocks. */
	pageUrl: string;
}

export interface EnhancedMarkdownResult {
	markdown: string;
	truncated: boolean;
	unknownBlockIds: string[];
}

const compact = (id: string): string => id.replace(/-/g, '');
const notionUrl = (id: string): string => `https://www.notion.so/${compact(id)}`;

/** The characters the format says to escape outside code. */
function escape(text: string): string {
	return text.replace(/[\\*~`$[\]<>{}|^]/g, (char) => `\\${char}`);
}

function escapeAttribute(text: string): string {
	return text.replace(/["\\]/g, (char) => `\\${char}`);
}

function wrap(text: string, open: string, close = open): string {
	// Whitespace at the edges stays outside the delimiters, or they would not open/close.
	const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
	if (!match || match[2] === '') return text;
	return `${match[1]}${open}${match[2]}${close}${match[3]}`;
}

export function richTextToEnhanced(items: readonly RichTextItemResponse[]): string {
	let out = '';
	for (const item of items) {
		let text: string;
		if (item.type === 'equation') text = `$${item.equation.expression}$`;
		else if (item.type === 'mention') text = mentionToEnhanced(item);
		else if (item.annotations.code) text = `\`${item.text.content}\``;
		else text = escape(item.text.content).replace(/\n/g, '<br>');
		const { annotations } = item;
		if (item.type === 'text') {
			const link = item.text.link?.url ?? item.href;
			if (annotations.strikethrough) text = wrap(text, '~~');
			if (annotations.italic) text = wrap(text, '*');
			if (annotations.bold) text = wrap(text, '**');
			if (annotations.underline) text = `<span underline="true">${text}</span>`;
			if (annotations.color && annotations.color !== 'default') text = `<span color="${annotations.color}">${text}</span>`;
			if (link) text = `[${text}](${link})`;
		}
		out += text;
	}
	return out;
}

function mentionToEnhanced(item: Extract<RichTextItemResponse, { type: 'mention' }>): string {
	const { mention } = item;
	switch (mention.type) {
		case 'page':
			return `<mention-page url="${notionUrl(mention.page.id)}">${escape(item.plain_text)}</mention-page>`;
		case 'database':
			return `<mention-database url="${notionUrl(mention.database.id)}">${escape(item.plain_text)}</mention-database>`;
		case 'user':
			return `<mention-user url="user://${mention.user.id}">${escape(('name' in mention.user && mention.user.name) || item.plain_text.replace(/^@/, ''))}</mention-user>`;
		case 'date':
			return `<mention-date start="${mention.date.start}"${mention.date.end ? ` end="${mention.date.end}"` : ''}${mention.date.time_zone ? ` timezone="${mention.date.time_zone}"` : ''}/>`;
		default:
			return item.href ? `[${escape(item.plain_text)}](${item.href})` : escape(item.plain_text);
	}
}

type Writer = (line: string) => void;

class EnhancedWriter {
	readonly lines: string[] = [];
	written = 0;
	readonly unknown: string[] = [];

	constructor(private readonly options: EnhancedMarkdownOptions) {}

	blocks(nodes: readonly MarkdownBlock[], depth: number): void {
		for (const node of nodes) this.block(node, depth);
	}

	private out(depth: number): Writer {
		return (line) => this.lines.push('\t'.repeat(depth) + line);
	}

	private color(color: string | undefined): string {
		return color && color !== 'default' ? ` {color="${color}"}` : '';
	}

	block(node: MarkdownBlock, depth: number): void {
		const write = this.out(depth);
		const { block } = node;
		if (this.written >= (this.options.maxBlocks ?? Infinity)) {
			this.unknown.push(block.id);
			write(`<unknown url="${this.options.pageUrl}#${compact(block.id)}" alt="${block.type}"/>`);
			return;
		}
		this.written++;
		const children = (): void => this.blocks(node.children, depth + 1);
		switch (block.type) {
			case 'paragraph':
				if (block.paragraph.rich_text.length === 0 && node.children.length === 0) write('<empty-block/>');
				// A paragraph that would read as a heading or list keeps its first character escaped.
				else write(richTextToEnhanced(block.paragraph.rich_text).replace(/^(#|[-+]\s|\d+\.\s|>)/, '\\$1') + this.color(block.paragraph.color));
				return children();
			case 'heading_1':
			case 'heading_2':
			case 'heading_3':
			case 'heading_4': {
				const level = Number(block.type.slice(-1));
				const content = (block as Extract<BlockObjectResponse, { type: 'heading_1' }>).heading_1 ?? Reflect.get(block, block.type);
				write(`${'#'.repeat(level)} ${richTextToEnhanced(content.rich_text)}${this.color(content.color)}`);
				return children();
			}
			case 'bulleted_list_item':
				write(`- ${richTextToEnhanced(block.bulleted_list_item.rich_text)}`.trimEnd());
				return children();
			case 'numbered_list_item':
				write(`1. ${richTextToEnhanced(block.numbered_list_item.rich_text)}`.trimEnd());
				return children();
			case 'to_do':
				write(`- [${block.to_do.checked ? 'x' : ' '}] ${richTextToEnhanced(block.to_do.rich_text)}`.trimEnd());
				return children();
			case 'quote':
				write(`> ${richTextToEnhanced(block.quote.rich_text).replace(/\n/g, '<br>')}`.trimEnd());
				return children();
			case 'toggle':
				write('<details>');
				write(`<summary>${richTextToEnhanced(block.toggle.rich_text)}</summary>`);
				children();
				write('</details>');
				return;
			case 'callout': {
				const icon = block.callout.icon?.type === 'emoji' ? ` icon="${escapeAttribute(block.callout.icon.emoji)}"` : '';
				write(`<callout${icon} color="${block.callout.color}">`);
				const text = richTextToEnhanced(block.callout.rich_text);
				if (text) this.out(depth + 1)(text);
				children();
				write('</callout>');
				return;
			}
			case 'code': {
				const code = block.code.rich_text.map((item) => item.plain_text).join('');
				const fence = '```';
				write(fence + (block.code.language === 'plain text' ? '' : block.code.language));
				for (const line of code.split('\n')) write(line);
				write(fence);
				return;
			}
			case 'equation':
				write('$$');
				write(block.equation.expression);
				write('$$');
				return;
			case 'divider':
				write('---');
				return;
			case 'table': {
				const header = `header-row="${block.table.has_column_header}" header-column="${block.table.has_row_header}"`;
				write(`<table ${header}>`);
				for (const row of node.children) {
					if (row.block.type !== 'table_row') continue;
					this.written++;
					this.out(depth + 1)('<tr>');
					for (const cell of row.block.table_row.cells) this.out(depth + 2)(`<td>${richTextToEnhanced(cell)}</td>`);
					this.out(depth + 1)('</tr>');
				}
				write('</table>');
				return;
			}
			case 'column_list':
				write('<columns>');
				for (const column of node.children) {
					this.written++;
					this.out(depth + 1)('<column>');
					this.blocks(column.children, depth + 2);
					this.out(depth + 1)('</column>');
				}
				write('</columns>');
				return;
			case 'child_page':
				write(`<page url="${notionUrl(block.id)}">${escape(block.child_page.title)}</page>`);
				return;
			case 'child_database':
				write(`<database url="${notionUrl(block.id)}">${escape(block.child_database.title)}</database>`);
				return;
			case 'image': {
				const url = block.image.type === 'file' ? block.image.file.url : block.image.external.url;
				write(`![${richTextToEnhanced(block.image.caption)}](${url})`);
				return;
			}
			case 'file':
			case 'pdf':
			case 'video':
			case 'audio': {
				const media = Reflect.get(block, block.type) as { type: 'file' | 'external'; file?: { url: string }; external?: { url: string }; caption: RichTextItemResponse[] };
				const url = media.type === 'file' ? media.file?.url : media.external?.url;
				write(`<${block.type} src="${escapeAttribute(url ?? '')}">${richTextToEnhanced(media.caption)}</${block.type}>`);
				return;
			}
			case 'synced_block':
				write('<synced_block>');
				children();
				write('</synced_block>');
				return;
			case 'bookmark':
			case 'embed': {
				const target = Reflect.get(block, block.type) as { url: string; caption: RichTextItemResponse[] };
				const caption = richTextToEnhanced(target.caption);
				write(caption ? `<${block.type} url="${escapeAttribute(target.url)}">${caption}</${block.type}>` : `<${block.type} url="${escapeAttribute(target.url)}"/>`);
				return;
			}
			case 'unsupported':
				write(`<unknown url="${this.options.pageUrl}#${compact(block.id)}" alt="${block.unsupported.block_type}"/>`);
				return;
			case 'table_of_contents':
				write('<table_of_contents/>');
				return;
			default:
				write(`<unknown url="${this.options.pageUrl}#${compact(block.id)}" alt="${block.type}"/>`);
		}
	}
}

/** The enhanced Markdown of `blocks`, cut after `maxBlocks` blocks like a large page. */
export function blocksToEnhancedMarkdown(blocks: readonly MarkdownBlock[], options: EnhancedMarkdownOptions): EnhancedMarkdownResult {
	const writer = new EnhancedWriter(options);
	writer.blocks(blocks, 0);
	return { markdown: writer.lines.join('\n'), truncated: writer.unknown.length > 0, unknownBlockIds: writer.unknown };
}

/** One block with its subtree, as the endpoint answers for an id from `unknown_block_ids`. */
export function blockToEnhancedMarkdown(node: MarkdownBlock, options: EnhancedMarkdownOptions): EnhancedMarkdownResult {
	return blocksToEnhancedMarkdown([node], options);
}
