import type { BlockObjectResponse, PageObjectResponse } from '@notionhq/client';

/** One block with its children, already fetched past every 100-block page by the provider. */
export interface BlockNode {
	block: BlockObjectResponse;
	children: BlockNode[];
}

/** A page or database row known to the provider, used to title and link child items and mentions. */
export interface KnownItem {
	title?: string;
	url?: string;
}

/** What the renderer may ask the provider about; everything is pre-fetched, so lookups are synchronous. */
export interface RenderContext {
	/** The original's children for a synced_block reference, or undefined when the original is not readable. */
	resolveSyncedBlock?(blockId: string): BlockNode[] | undefined;
	pageTitle?(pageId: string): string | undefined;
	pageUrl?(pageId: string): string | undefined;
	/** Child pages, databases and linked pages the provider already listed, by id. */
	childItems?: ReadonlyMap<string, KnownItem>;
	/** Markdown has no underline: 'text' keeps the words only (default), 'html' wraps them in `<u>`. */
	underline?: 'text' | 'html';
	/** The page being rendered: Notion-hosted files link to their block on it, not to their expiring signed URL. */
	page?: { id: string; url?: string };
	/** Levels added to every heading (1 under a `# Title`, so body headings start at `##`). */
	headingShift?: number;
}

export interface RenderOptions extends RenderContext {
	/** YAML front-matter with the page's id, url, times and (for database rows) properties. Default true. */
	frontMatter?: boolean;
	/** Start the body with `# <page title>`. Default true. */
	titleHeading?: boolean;
}

/** The fields of a page the renderer reads; a full `PageObjectResponse` is one. */
export type PageLike = Pick<PageObjectResponse, 'id'> &
	Partial<Pick<PageObjectResponse, 'url' | 'created_time' | 'last_edited_time' | 'properties' | 'parent'>> & {
		/** Overrides the title read from the page's title property. */
		title?: string;
	};

export type RenderedFileKind = 'image' | 'file' | 'pdf' | 'video' | 'audio';

/** A file or media block met while rendering, so the caller can download or list attachments. */
export interface RenderedFile {
	blockId: string;
	/** The URL as Notion returned it (signed and expiring when `hosted`). */
	url: string;
	name: string;
	kind: RenderedFileKind;
	/** Uploaded to Notion: the URL is signed and expires (see `expiresAt`); otherwise an external link. */
	hosted: boolean;
	expiresAt?: string;
}

export interface ChildItemRef {
	id: string;
	title: string;
}

export interface RenderedBlocks {
	markdown: string;
	files: RenderedFile[];
	childPages: ChildItemRef[];
	childDatabases: ChildItemRef[];
}

export interface RenderedPage {
	/** The export: front-matter and body; Notion-hosted files are linked by their place on the page, which does not expire. */
	markdown: string;
	/**
	 * What `content_hash` is taken of: the Markdown and the stable paths of the hosted files
	 * (a re-signed link leaves it alone, a replaced upload changes it).
	 */
	hashInput: string;
	frontMatter: Record<string, unknown>;
	files: RenderedFile[];
	childPages: ChildItemRef[];
	childDatabases: ChildItemRef[];
}
