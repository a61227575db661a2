/**
 * Small factories for Notion API block and rich-text objects, shaped exactly like
 * `@notionhq/client`'s response types, so tests read as the page they describe:
 * `bullet('Parent', bullet('Child'))`.
 */
import type {
	BlockObjectResponse,
	MentionRichTextItemResponse,
	RichTextItemResponse,
	UserObjectResponse,
} from '@notionhq/client';
import type { BlockNode } from '../../../../../lib/providers/notion/markdown';

export type Annotations = RichTextItemResponse['annotations'];
export type Rich = string | RichTextItemResponse | ReadonlyArray<string | RichTextItemResponse>;
type BlockOf<T extends BlockObjectResponse['type']> = Extract<BlockObjectResponse, { type: T }>;
type Common = Omit<BlockOf<'divider'>, 'type' | 'divider'>;
type Mention = MentionRichTextItemResponse['mention'];
type Media = BlockOf<'image'>['image'];

const PLAIN: Annotations = {
	bold: false,
	italic: false,
	strikethrough: false,
	underline: false,
	code: false,
	color: 'default',
};

const TIME = '2024-03-01T10:00:00.000Z';
export const PAGE_ID = '11111111-2222-4333-8444-555555555555';

let counter = 0;

/** Restart block ids at 1, so ids in expected output do not depend on test order. */
export function resetIds(): void {
	counter = 0;
}

function nextId(): string {
	counter += 1;
	return `b10c0000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

// Rich text

export function text(content: string, annotations: Partial<Annotations> = {}, url?: string): RichTextItemResponse {
	return {
		type: 'text',
		text: { content, link: url ? { url } : null },
		annotations: { ...PLAIN, ...annotations },
		plain_text: content,
		href: url ?? null,
	};
}

export const bold = (content: string): RichTextItemResponse => text(content, { bold: true });
export const italic = (content: string): RichTextItemResponse => text(content, { italic: true });
export const strike = (content: string): RichTextItemResponse => text(content, { strikethrough: true });
export const underline = (content: string): RichTextItemResponse => text(content, { underline: true });
export const code = (content: string): RichTextItemResponse => text(content, { code: true });
export const link = (content: string, url: string, annotations: Partial<Annotations> = {}): RichTextItemResponse =>
	text(content, annotations, url);

export function equationText(expression: string, annotations: Partial<Annotations> = {}): RichTextItemResponse {
	return {
		type: 'equation',
		equation: { expression },
		annotations: { ...PLAIN, ...annotations },
		plain_text: expression,
		href: null,
	};
}

function mention(value: Mention, plainText: string, href: string | null = null): RichTextItemResponse {
	return { type: 'mention', mention: value, annotations: { ...PLAIN }, plain_text: plainText, href };
}

export function userMention(name: string, email?: string): RichTextItemResponse {
	const user: UserObjectResponse = {
		object: 'user',
		id: 'a0000000-0000-4000-8000-00000000000a',
		name,
		avatar_url: null,
		type: 'person',
		person: email ? { email } : {},
	};
	return mention({ type: 'user', user }, `@${name}`);
}

export function pageMention(id: string, title: string): RichTextItemResponse {
	return mention({ type: 'page', page: { id } }, title, `https://www.notion.so/${id.replace(/-/g, '')}`);
}

export function databaseMention(id: string, title: string): RichTextItemResponse {
	return mention({ type: 'database', database: { id } }, title, `https://www.notion.so/${id.replace(/-/g, '')}`);
}

export function dateMention(start: string, end: string | null = null, timeZone: string | null = null): RichTextItemResponse {
	return mention({ type: 'date', date: { start, end, time_zone: timeZone } }, end ? `${start} → ${end}` : start);
}

export function linkPreviewMention(url: string): RichTextItemResponse {
	return mention({ type: 'link_preview', link_preview: { url } }, url, url);
}

export function linkMention(href: string, title?: string): RichTextItemResponse {
	return mention({ type: 'link_mention', link_mention: { href, ...(title ? { title } : {}) } }, title ?? href, href);
}

export function templateMention(kind: 'today' | 'now' | 'me'): RichTextItemResponse {
	const value: Mention =
		kind === 'me'
			? { type: 'template_mention', template_mention: { type: 'template_mention_user', template_mention_user: 'me' } }
			: { type: 'template_mention', template_mention: { type: 'template_mention_date', template_mention_date: kind } };
	return mention(value, `@${kind[0].toUpperCase()}${kind.slice(1)}`);
}

export function customEmojiMention(name: string): RichTextItemResponse {
	const emoji = { id: 'e0000000-0000-4000-8000-00000000000e', name, url: 'https://example.com/e.png' };
	return mention({ type: 'custom_emoji', custom_emoji: emoji }, `:${name}:`);
}

export function richText(content: Rich): RichTextItemResponse[] {
	const items = typeof content === 'string' || !Array.isArray(content) ? [content as string | RichTextItemResponse] : content;
	return items.map((item) => (typeof item === 'string' ? text(item) : item));
}

// Blocks

function common(children: readonly BlockNode[]): Common {
	const user = { object: 'user' as const, id: 'a0000000-0000-4000-8000-00000000000a' };
	return {
		object: 'block',
		id: nextId(),
		parent: { type: 'page_id', page_id: PAGE_ID },
		created_time: TIME,
		created_by: user,
		last_edited_time: TIME,
		last_edited_by: user,
		has_children: children.length > 0,
		in_trash: false,
		archived: false,
	};
}

function node(block: BlockObjectResponse, children: BlockNode[] = []): BlockNode {
	return { block, children };
}

/** Gives a block a known id (for synced blocks, files, child pages). */
export function withId(blockNode: BlockNode, id: string): BlockNode {
	blockNode.block.id = id;
	return blockNode;
}

export function paragraph(content: Rich, ...children: BlockNode[]): BlockNode {
	return node(
		{ ...common(children), type: 'paragraph', paragraph: { rich_text: richText(content), color: 'default', icon: null } },
		children,
	);
}

export function heading(
	level: 1 | 2 | 3 | 4,
	content: Rich,
	options: { toggleable?: boolean } = {},
	...children: BlockNode[]
): BlockNode {
	const body = { rich_text: richText(content), color: 'default' as const, is_toggleable: options.toggleable ?? false };
	const base = common(children);
	if (level === 1) return node({ ...base, type: 'heading_1', heading_1: body }, children);
	if (level === 2) return node({ ...base, type: 'heading_2', heading_2: body }, children);
	if (level === 3) return node({ ...base, type: 'heading_3', heading_3: body }, children);
	return node({ ...base, type: 'heading_4', heading_4: body }, children);
}

export function bullet(content: Rich, ...children: BlockNode[]): BlockNode {
	return node(
		{ ...common(children), type: 'bulleted_list_item', bulleted_list_item: { rich_text: richText(content), color: 'default' } },
		children,
	);
}

export function numbered(content: Rich, ...children: BlockNode[]): BlockNode {
	return node(
		{ ...common(children), type: 'numbered_list_item', numbered_list_item: { rich_text: richText(content), color: 'default' } },
		children,
	);
}

export function numberedFrom(start: number, content: Rich, ...children: BlockNode[]): BlockNode {
	return node(
		{
			...common(children),
			type: 'numbered_list_item',
			numbered_list_item: { rich_text: richText(content), color: 'default', list_start_index: start },
		},
		children,
	);
}

export function todo(content: Rich, checked: boolean, ...children: BlockNode[]): BlockNode {
	return node(
		{ ...common(children), type: 'to_do', to_do: { rich_text: richText(content), color: 'default', checked } },
		children,
	);
}

export function toggle(content: Rich, ...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'toggle', toggle: { rich_text: richText(content), color: 'default' } }, children);
}

export function quote(content: Rich, ...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'quote', quote: { rich_text: richText(content), color: 'default' } }, children);
}

export type CalloutIcon = string | { external: string } | null;

export function callout(content: Rich, icon: CalloutIcon, ...children: BlockNode[]): BlockNode {
	const pageIcon =
		icon === null
			? null
			: typeof icon === 'string'
				? { type: 'emoji' as const, emoji: icon }
				: { type: 'external' as const, external: { url: icon.external } };
	return node(
		{ ...common(children), type: 'callout', callout: { rich_text: richText(content), color: 'gray_background', icon: pageIcon } },
		children,
	);
}

export function divider(): BlockNode {
	return node({ ...common([]), type: 'divider', divider: {} });
}

export function codeBlock(source: string, language: BlockOf<'code'>['code']['language'], caption: Rich = []): BlockNode {
	return node({
		...common([]),
		type: 'code',
		code: { rich_text: richText(source), language, caption: richText(caption) },
	});
}

export function equation(expression: string): BlockNode {
	return node({ ...common([]), type: 'equation', equation: { expression } });
}

export function table(options: { columnHeader?: boolean; rowHeader?: boolean }, rows: Rich[][]): BlockNode {
	const width = Math.max(0, ...rows.map((row) => row.length));
	const children = rows.map((row) =>
		node({ ...common([]), type: 'table_row', table_row: { cells: row.map((cell) => richText(cell)) } }),
	);
	return node(
		{
			...common(children),
			type: 'table',
			table: { has_column_header: options.columnHeader ?? false, has_row_header: options.rowHeader ?? false, table_width: width },
		},
		children,
	);
}

export function columnList(...columns: BlockNode[][]): BlockNode {
	const children = columns.map((blocks) => node({ ...common(blocks), type: 'column', column: {} }, blocks));
	return node({ ...common(children), type: 'column_list', column_list: {} }, children);
}

/** Tabs: each child paragraph is a tab's label, its children the tab's content. */
export function tabs(...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'tab', tab: {} }, children);
}

export function syncedOriginal(...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'synced_block', synced_block: { synced_from: null } }, children);
}

/** A synced block reference; the API lists no children for it unless given. */
export function syncedReference(originalId: string, ...children: BlockNode[]): BlockNode {
	return node(
		{ ...common(children), type: 'synced_block', synced_block: { synced_from: { type: 'block_id', block_id: originalId } } },
		children,
	);
}

export function childPage(title: string, id?: string): BlockNode {
	const blockNode = node({ ...common([]), type: 'child_page', child_page: { title } });
	return id ? withId(blockNode, id) : blockNode;
}

export function childDatabase(title: string, id?: string): BlockNode {
	const blockNode = node({ ...common([]), type: 'child_database', child_database: { title } });
	return id ? withId(blockNode, id) : blockNode;
}

export function linkToPage(pageId: string): BlockNode {
	return node({ ...common([]), type: 'link_to_page', link_to_page: { type: 'page_id', page_id: pageId } });
}

export function linkToDatabase(databaseId: string): BlockNode {
	return node({ ...common([]), type: 'link_to_page', link_to_page: { type: 'database_id', database_id: databaseId } });
}

export function bookmark(url: string, caption: Rich = []): BlockNode {
	return node({ ...common([]), type: 'bookmark', bookmark: { url, caption: richText(caption) } });
}

export function embed(url: string, caption: Rich = []): BlockNode {
	return node({ ...common([]), type: 'embed', embed: { url, caption: richText(caption) } });
}

export function linkPreview(url: string): BlockNode {
	return node({ ...common([]), type: 'link_preview', link_preview: { url } });
}

/** A Notion-hosted file URL: signed, expiring, different on every read (`signature`). */
export function signedUrl(fileName: string, signature = 'sig1', fileId = 'f1e00000-0000-4000-8000-000000000001'): string {
	return (
		`https://prod-files-secure.s3.us-west-2.amazonaws.com/5e5e0000-0000-4000-8000-000000000005/${fileId}/${encodeURIComponent(fileName)}` +
		`?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIA%2F20240301%2Fus-west-2%2Fs3%2Faws4_request` +
		`&X-Amz-Date=20240301T100000Z&X-Amz-Expires=3600&X-Amz-Signature=${signature}&X-Amz-SignedHeaders=host&x-id=GetObject`
	);
}

export interface MediaSource {
	/** A Notion-hosted upload (signed URL) when given; otherwise `external`. */
	hosted?: string;
	external?: string;
	caption?: Rich;
}

function media(source: MediaSource): Media {
	const caption = richText(source.caption ?? []);
	if (source.hosted !== undefined) {
		return { type: 'file', file: { url: source.hosted, expiry_time: '2024-03-01T11:00:00.000Z' }, caption };
	}
	return { type: 'external', external: { url: source.external ?? '' }, caption };
}

export function image(source: MediaSource): BlockNode {
	return node({ ...common([]), type: 'image', image: media(source) });
}

export function pdf(source: MediaSource): BlockNode {
	return node({ ...common([]), type: 'pdf', pdf: media(source) });
}

export function video(source: MediaSource): BlockNode {
	return node({ ...common([]), type: 'video', video: media(source) });
}

export function audio(source: MediaSource): BlockNode {
	return node({ ...common([]), type: 'audio', audio: media(source) });
}

export function file(source: MediaSource & { name?: string }): BlockNode {
	return node({ ...common([]), type: 'file', file: { ...media(source), name: source.name ?? '' } });
}

export function breadcrumb(): BlockNode {
	return node({ ...common([]), type: 'breadcrumb', breadcrumb: {} });
}

export function tableOfContents(): BlockNode {
	return node({ ...common([]), type: 'table_of_contents', table_of_contents: { color: 'default' } });
}

export function template(content: Rich, ...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'template', template: { rich_text: richText(content) } }, children);
}

/** A block the API reports as `unsupported` (an AI block, a form…). */
export function unsupported(blockType: string, ...children: BlockNode[]): BlockNode {
	return node({ ...common(children), type: 'unsupported', unsupported: { block_type: blockType } }, children);
}

/** A block type this SDK version does not know yet, as a newer API would send it. */
export function futureBlock(type: string): BlockNode {
	const block = { ...common([]), type, [type]: {} };
	return node(block as unknown as BlockObjectResponse);
}
