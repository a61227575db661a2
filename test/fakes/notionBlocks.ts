/**
 * Authoring helpers for the fake Notion workspace. They produce blocks in the shape of Notion's
 * "append block children" request (plus `children`), which `FakeNotion.appendBlocks` stores:
 *
 *   notion.appendBlocks(page.id, [
 *     b.heading(1, 'Plan'),
 *     b.bulleted([rt.text('bold', { bold: true }), ' and plain'], [b.bulleted('nested')]),
 *     b.code('const a = 1;', 'typescript'),
 *     b.image({ content: pngBytes, name: 'chart.png' }),
 *   ]);
 */

export interface Annotations {
	bold: boolean;
	italic: boolean;
	strikethrough: boolean;
	underline: boolean;
	code: boolean;
	color: string;
}

export type MentionInput =
	| { type: 'user'; user: { id: string } }
	| { type: 'page'; page: { id: string } }
	| { type: 'database'; database: { id: string } }
	| { type: 'date'; date: { start: string; end?: string | null; time_zone?: string | null } };

/** A rich text item as Notion accepts it; a bare string is plain text. */
export type RichTextInput =
	| string
	| {
			type?: 'text';
			text: { content: string; link?: { url: string } | null };
			annotations?: Partial<Annotations>;
	  }
	| { type: 'mention'; mention: MentionInput; annotations?: Partial<Annotations> }
	| { type: 'equation'; equation: { expression: string }; annotations?: Partial<Annotations> };

export type TextInput = string | RichTextInput[];

/** File content hosted by the fake (served from expiring signed URLs) or an external URL. */
export type FileInput = { external: string } | { content: Buffer | string; name: string; contentType?: string };

/** One block in request shape: `{ type, [type]: payload, children? }`. */
export interface BlockInput {
	type: string;
	children?: BlockInput[];
	[payload: string]: unknown;
}

export const rt = {
	text(content: string, annotations: Partial<Annotations> = {}, link?: string): RichTextInput {
		return { type: 'text', text: { content, link: link ? { url: link } : null }, annotations };
	},
	link(content: string, url: string): RichTextInput {
		return { type: 'text', text: { content, link: { url } } };
	},
	mentionPage(id: string): RichTextInput {
		return { type: 'mention', mention: { type: 'page', page: { id } } };
	},
	mentionDatabase(id: string): RichTextInput {
		return { type: 'mention', mention: { type: 'database', database: { id } } };
	},
	mentionUser(id: string): RichTextInput {
		return { type: 'mention', mention: { type: 'user', user: { id } } };
	},
	mentionDate(start: string, end?: string): RichTextInput {
		return { type: 'mention', mention: { type: 'date', date: { start, end: end ?? null } } };
	},
	equation(expression: string): RichTextInput {
		return { type: 'equation', equation: { expression } };
	},
};

const richText = (text: TextInput): RichTextInput[] => (typeof text === 'string' ? [text] : text);

function textBlock(type: string, text: TextInput, extra: Record<string, unknown>, children?: BlockInput[]): BlockInput {
	return { type, [type]: { rich_text: richText(text), ...extra }, ...(children ? { children } : {}) };
}

function media(type: 'image' | 'file' | 'pdf' | 'video' | 'audio', file: FileInput, caption?: TextInput): BlockInput {
	const hosted = 'external' in file ? { type: 'external', external: { url: file.external } } : { type: 'file', file };
	return { type, [type]: { ...hosted, caption: caption ? richText(caption) : [] } };
}

export const b = {
	paragraph: (text: TextInput, children?: BlockInput[]): BlockInput => textBlock('paragraph', text, {}, children),
	heading: (level: 1 | 2 | 3, text: TextInput, options: { toggleable?: boolean; children?: BlockInput[] } = {}): BlockInput =>
		textBlock(`heading_${level}`, text, { is_toggleable: options.toggleable ?? false }, options.children),
	bulleted: (text: TextInput, children?: BlockInput[]): BlockInput => textBlock('bulleted_list_item', text, {}, children),
	numbered: (text: TextInput, children?: BlockInput[]): BlockInput => textBlock('numbered_list_item', text, {}, children),
	todo: (text: TextInput, checked = false, children?: BlockInput[]): BlockInput =>
		textBlock('to_do', text, { checked }, children),
	toggle: (text: TextInput, children?: BlockInput[]): BlockInput => textBlock('toggle', text, {}, children),
	quote: (text: TextInput, children?: BlockInput[]): BlockInput => textBlock('quote', text, {}, children),
	callout: (text: TextInput, emoji = '💡', children?: BlockInput[]): BlockInput =>
		textBlock('callout', text, { icon: { type: 'emoji', emoji } }, children),
	code: (source: string, language = 'plain text', caption?: TextInput): BlockInput =>
		textBlock('code', source, { language, caption: caption ? richText(caption) : [] }),
	equation: (expression: string): BlockInput => ({ type: 'equation', equation: { expression } }),
	divider: (): BlockInput => ({ type: 'divider', divider: {} }),
	/** `rows[0]` is the header row when `columnHeader` is set. */
	table: (rows: TextInput[][], options: { columnHeader?: boolean; rowHeader?: boolean } = {}): BlockInput => ({
		type: 'table',
		table: {
			table_width: rows[0]?.length ?? 0,
			has_column_header: options.columnHeader ?? false,
			has_row_header: options.rowHeader ?? false,
		},
		children: rows.map((cells) => ({ type: 'table_row', table_row: { cells: cells.map(richText) } })),
	}),
	columns: (...columns: BlockInput[][]): BlockInput => ({
		type: 'column_list',
		column_list: {},
		children: columns.map((children) => ({ type: 'column', column: {}, children })),
	}),
	/** An original synced block; reference it from elsewhere with `syncedReference(id)`. */
	syncedOriginal: (children: BlockInput[]): BlockInput => ({ type: 'synced_block', synced_block: { synced_from: null }, children }),
	syncedReference: (originalBlockId: string): BlockInput => ({
		type: 'synced_block',
		synced_block: { synced_from: { type: 'block_id', block_id: originalBlockId } },
	}),
	/** Creates a child page (a real page with its own id) in place. */
	childPage: (title: string, children?: BlockInput[]): BlockInput => ({
		type: 'child_page',
		child_page: { title },
		...(children ? { children } : {}),
	}),
	linkToPage: (pageId: string): BlockInput => ({ type: 'link_to_page', link_to_page: { type: 'page_id', page_id: pageId } }),
	bookmark: (url: string, caption?: TextInput): BlockInput => ({
		type: 'bookmark',
		bookmark: { url, caption: caption ? richText(caption) : [] },
	}),
	embed: (url: string): BlockInput => ({ type: 'embed', embed: { url, caption: [] } }),
	image: (file: FileInput, caption?: TextInput): BlockInput => media('image', file, caption),
	file: (file: FileInput, caption?: TextInput): BlockInput => media('file', file, caption),
	pdf: (file: FileInput, caption?: TextInput): BlockInput => media('pdf', file, caption),
	video: (file: FileInput, caption?: TextInput): BlockInput => media('video', file, caption),
	/** What the API returns for block types it cannot expose (e.g. some embeds, AI blocks). */
	unsupported: (): BlockInput => ({ type: 'unsupported', unsupported: {} }),
};
