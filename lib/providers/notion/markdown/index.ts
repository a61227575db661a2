/**
 * Notion page → Markdown, as exported by the Notion provider. Pure: no HTTP, no n8n;
 * the provider fetches the block tree (and synced originals, titles of linked pages)
 * and hands it over.
 */
import type { PageObjectResponse } from '@notionhq/client';
import { renderBlocks } from './blocks';
import { escapeHeadingEnd, escapeText, singleLine } from './escape';
import { renderProperties, titleOf } from './properties';
import type { BlockNode, PageLike, RenderedPage, RenderOptions } from './types';
import { frontMatterBlock } from './yaml';

export { renderBlocks } from './blocks';
export { codeFenceLanguage } from './codeLanguages';
export { stableFileUrl } from './fileUrls';
export { renderProperties } from './properties';
export { formatDate, plainText, renderRichText, type InlineMode, type InlineOptions } from './richText';
export { frontMatterBlock, toYaml } from './yaml';
export type * from './types';

/**
 * Renders a page: YAML front-matter (id, url, times; a database row's properties),
 * `# Title`, then the blocks. `stableMarkdown` is the same document with Notion's
 * expiring file URLs made stable — hash it for `content_hash`; with `forHashing`,
 * `markdown` is that stable form too.
 */
export function renderMarkdown(
	page: PageObjectResponse | PageLike,
	blocks: readonly BlockNode[],
	options: RenderOptions = {},
): RenderedPage {
	const body = renderBlocks(blocks, options);
	const frontMatter = pageFrontMatter(page, options.forHashing ?? false);
	const markdown = assemble(page, frontMatter, body.markdown, options);
	let stableMarkdown = markdown;
	if (!options.forHashing) {
		// Render again only when there is something to stabilise: most pages have no uploaded files.
		const stableBody = body.hasExpiringUrls ? renderBlocks(blocks, { ...options, forHashing: true }).markdown : body.markdown;
		stableMarkdown = assemble(page, pageFrontMatter(page, true), stableBody, options);
	}
	return {
		markdown,
		stableMarkdown,
		frontMatter,
		files: body.files,
		childPages: body.childPages,
		childDatabases: body.childDatabases,
	};
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

function pageFrontMatter(page: PageLike, forHashing: boolean): Record<string, unknown> {
	const frontMatter: Record<string, unknown> = { title: pageTitle(page), id: page.id };
	if (page.url) frontMatter.url = page.url;
	if (page.created_time) frontMatter.created_time = page.created_time;
	if (page.last_edited_time) frontMatter.last_edited_time = page.last_edited_time;
	if (page.properties && isDatabaseRow(page)) frontMatter.properties = renderProperties(page.properties, { forHashing });
	return frontMatter;
}

function assemble(page: PageLike, frontMatter: Record<string, unknown>, body: string, options: RenderOptions): string {
	const parts: string[] = [];
	if (options.frontMatter !== false) parts.push(frontMatterBlock(frontMatter));
	if (options.titleHeading !== false) parts.push(`# ${escapeHeadingEnd(escapeText(singleLine(pageTitle(page))))}`);
	if (body !== '') parts.push(body.replace(/\n$/, ''));
	return parts.length ? parts.join('\n\n') + '\n' : '';
}
