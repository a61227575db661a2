/**
 * Notion page → Markdown, as exported by the Notion provider. Pure: no HTTP, no n8n;
 * the provider fetches the block tree (and synced originals, titles of linked pages)
 * and hands it over.
 */
import type { PageObjectResponse } from '@notionhq/client';
import { notionUrl } from '../ids';
import { renderBlocks } from './blocks';
import { escapeHeadingEnd, escapeText, singleLine } from './escape';
import { stableFileUrl } from './fileUrls';
import { renderPropertiesChecked, titleOf } from './properties';
import type { BlockNode, PageLike, RenderedFile, RenderedPage, RenderOptions } from './types';
import { frontMatterBlock } from './yaml';

export { MAX_NESTING, renderBlocks } from './blocks';
export { codeFenceLanguage } from './codeLanguages';
export { stableFileUrl } from './fileUrls';
export { renderProperties, renderPropertiesChecked } from './properties';
export { formatDate, plainText, renderRichText, type InlineMode, type InlineOptions } from './richText';
export { frontMatterBlock, toYaml } from './yaml';
export type * from './types';

/**
 * Renders a page: YAML front-matter (id, url, times; a database row's properties),
 * `# Title`, then the blocks (their headings one level below the title). Files Notion hosts
 * are linked by their block on the page, never by their signed URL, which expires within the
 * hour; `hashInput` adds the files' stable paths, so a replaced upload still changes the hash.
 */
export function renderMarkdown(
	page: PageObjectResponse | PageLike,
	blocks: readonly BlockNode[],
	options: RenderOptions = {},
): RenderedPage {
	const titled = options.titleHeading !== false;
	const body = renderBlocks(blocks, { headingShift: titled ? 1 : 0, ...options, page: { id: page.id, ...(page.url ? { url: page.url } : {}) } });
	const { properties, notes } = pageProperties(page);
	const frontMatter = pageFrontMatter(page, properties);
	const markdown = assemble(page, frontMatter, body.markdown, notes, options);
	return {
		markdown,
		hashInput: hashInputOf(markdown, body.files, page),
		frontMatter,
		files: body.files,
		childPages: body.childPages,
		childDatabases: body.childDatabases,
	};
}

/** The Markdown, then one line per hosted file: its URL without the signature (workspace, file id, name). */
export function hashInputOf(markdown: string, files: readonly RenderedFile[], page: PageObjectResponse | PageLike): string {
	const paths = files.filter((file) => file.hosted).map((file) => stableFileUrl(file.url));
	for (const property of Object.values(page.properties ?? {})) {
		if (property.type !== 'files') continue;
		for (const file of property.files) if (file.type === 'file') paths.push(stableFileUrl(file.file.url));
	}
	return paths.length ? `${markdown}\n${paths.join('\n')}\n` : markdown;
}

export function pageTitle(page: PageLike): string {
	return page.title ?? (titleOf(page.properties) || 'Untitled');
}

/** A database row (its parent is a database or data source) carries its properties as front-matter. */
function isDatabaseRow(page: PageLike): boolean {
	const parent = page.parent?.type;
	if (parent) return parent === 'database_id' || parent === 'data_source_id';
	return Object.keys(page.properties ?? {}).length > 1;
}

/** A database row's properties, each read on its own: one value Notion sent malformed is noted, not fatal. */
function pageProperties(page: PageLike): { properties?: Record<string, unknown>; notes: string[] } {
	if (!page.properties || !isDatabaseRow(page)) return { notes: [] };
	const { values, unreadable } = renderPropertiesChecked(page.properties, { hostedFileUrl: page.url ?? notionUrl(page.id) });
	return { properties: values, notes: unreadable.map((name) => `> [Property "${escapeText(singleLine(name))}" could not be read]`) };
}

function pageFrontMatter(page: PageLike, properties: Record<string, unknown> | undefined): Record<string, unknown> {
	const frontMatter: Record<string, unknown> = { title: pageTitle(page), id: page.id };
	if (page.url) frontMatter.url = page.url;
	if (page.created_time) frontMatter.created_time = page.created_time;
	if (page.last_edited_time) frontMatter.last_edited_time = page.last_edited_time;
	if (properties) frontMatter.properties = properties;
	return frontMatter;
}

function assemble(page: PageLike, frontMatter: Record<string, unknown>, body: string, notes: readonly string[], options: RenderOptions): string {
	const parts: string[] = [];
	if (options.frontMatter !== false) parts.push(frontMatterBlock(frontMatter));
	if (options.titleHeading !== false) parts.push(`# ${escapeHeadingEnd(escapeText(singleLine(pageTitle(page))))}`);
	if (notes.length) parts.push(notes.join('\n>\n'));
	if (body !== '') parts.push(body.replace(/\n$/, ''));
	return parts.length ? parts.join('\n\n') + '\n' : '';
}
