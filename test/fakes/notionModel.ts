/** In-memory state of the fake Notion workspace (API version 2025-09-03) and its JSON rendering. */
import { createHash } from 'node:crypto';
import { FakeClock } from './http';
import type { Annotations, BlockInput, FileInput, MentionInput, RichTextInput, TextInput } from './notionBlocks';

export type Json = Record<string, unknown>;

export type ParentRef =
	| { type: 'workspace'; workspace: true }
	| { type: 'page_id'; page_id: string }
	| { type: 'block_id'; block_id: string }
	| { type: 'data_source_id'; data_source_id: string; database_id: string };

interface StoredProperty {
	id: string;
	type: string;
	/** The value under `[type]` in the API's property value object. */
	value: unknown;
}

export interface NotionPage {
	kind: 'page';
	id: string;
	parent: ParentRef;
	properties: Record<string, StoredProperty>;
	/** Name of the title property (`title` outside databases). */
	titleProperty: string;
	icon: Json | null;
	cover: Json | null;
	created_time: string;
	last_edited_time: string;
	archived: boolean;
	in_trash: boolean;
	/** Published to the web (Share → Publish): the API then answers a `public_url`, else null. */
	published: boolean;
	/** Ids of child blocks, child pages and child databases, in order. */
	children: string[];
}

export interface NotionBlock {
	kind: 'block';
	id: string;
	/** Page or block that contains it. */
	parentId: string;
	type: string;
	payload: Json;
	children: string[];
	created_time: string;
	last_edited_time: string;
	archived: boolean;
}

export interface NotionDatabase {
	kind: 'database';
	id: string;
	parent: ParentRef;
	title: Json[];
	is_inline: boolean;
	icon: Json | null;
	created_time: string;
	last_edited_time: string;
	dataSourceIds: string[];
	archived: boolean;
	in_trash: boolean;
}

export interface PropertyConfig {
	id: string;
	name: string;
	type: string;
	config: Json;
}

export interface NotionDataSource {
	kind: 'data_source';
	id: string;
	databaseId: string;
	name: string;
	schema: Record<string, PropertyConfig>;
	rowIds: string[];
	created_time: string;
	last_edited_time: string;
}

type NotionObject = NotionPage | NotionBlock | NotionDatabase | NotionDataSource;

export interface NotionUser {
	id: string;
	name: string;
	email?: string;
	type: 'person' | 'bot';
}

export type IconInput = string | Json | null;

export interface PageInit {
	title?: TextInput;
	/** Page or block id, or `workspace` (default). Database rows go through `addRow`. */
	parent?: string;
	id?: string;
	icon?: IconInput;
	cover?: string | null;
	children?: BlockInput[];
	/** Shared with the integration; defaults to true for workspace-level pages (children inherit). */
	shared?: boolean;
}

export type PropertySchemaInput = string | { type: string; options?: string[] };

export interface RowInput {
	title?: TextInput;
	/** Values by property name: strings, numbers, booleans, arrays, or API-shaped values. */
	properties?: Record<string, unknown>;
	children?: BlockInput[];
	id?: string;
	icon?: IconInput;
}

export interface DatabaseInit {
	title: string;
	parent?: string;
	id?: string;
	inline?: boolean;
	icon?: IconInput;
	shared?: boolean;
	dataSources?: Array<{ name?: string; id?: string; properties?: Record<string, PropertySchemaInput> }>;
	/** Rows of the first data source. */
	rows?: RowInput[];
}

export interface NotionModelOptions {
	now?: string;
	workspaceName?: string;
	/** Who installed the integration; `workspace` for internal integrations owned by the workspace. */
	owner?: 'workspace' | { name: string; email: string };
	integrationName?: string;
}

/** Block types that may have children (headings only when toggleable). */
const PARENT_TYPES = new Set([
	'paragraph',
	'bulleted_list_item',
	'numbered_list_item',
	'to_do',
	'toggle',
	'quote',
	'callout',
	'synced_block',
	'column_list',
	'column',
	'table',
	'heading_1',
	'heading_2',
	'heading_3',
	'template',
]);
const TEXT_TYPES = new Set([
	'paragraph',
	'bulleted_list_item',
	'numbered_list_item',
	'to_do',
	'toggle',
	'quote',
	'callout',
	'heading_1',
	'heading_2',
	'heading_3',
	'code',
	'template',
]);
const MEDIA_TYPES = new Set(['image', 'file', 'pdf', 'video', 'audio']);
const SIMPLE_TYPES = new Set(['divider', 'column_list', 'column', 'breadcrumb', 'table_of_contents', 'unsupported']);
const SELECT_COLORS = ['default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'];
const MAX_TEXT_CONTENT = 2000;
const SIGNED_URL_LIFETIME_MS = 60 * 60 * 1000;

const DEFAULT_ANNOTATIONS: Annotations = {
	bold: false,
	italic: false,
	strikethrough: false,
	underline: false,
	code: false,
	color: 'default',
};

/** Normalizes a Notion id (with or without dashes) to the dashed form; undefined when malformed. */
export function normalizeId(raw: string): string | undefined {
	const compact = /^[0-9a-f]{32}$/i.test(raw)
		? raw
		: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)
			? raw.replace(/-/g, '')
			: undefined;
	if (!compact) return undefined;
	const hex = compact.toLowerCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class NotionModel {
	readonly clock: FakeClock;
	readonly workspace: { id: string; name: string };
	readonly bot: NotionUser;
	readonly owner: { type: 'workspace' } | { type: 'user'; user: NotionUser };
	/** The person who "wrote" everything (`created_by`, `last_edited_by`). */
	readonly author: NotionUser;
	/** Base URL of the server, for signed file URLs; set once it listens. */
	baseUrl = 'http://127.0.0.1';

	protected readonly objects = new Map<string, NotionObject>();
	protected readonly users = new Map<string, NotionUser>();
	private readonly shared = new Set<string>();
	private readonly storedFiles = new Map<string, { name: string; content: Buffer; contentType: string }>();
	private readonly signedUrls = new Map<string, { key: string; expiresAt: number }>();
	private idCounter = 0;
	private signatureCounter = 0;
	private uniqueIdCounter = 0;

	constructor(options: NotionModelOptions = {}) {
		this.clock = new FakeClock(options.now ?? '2025-01-01T09:00:00.000Z');
		this.workspace = { id: this.newId(), name: options.workspaceName ?? 'Acme Docs' };
		const ownerInput = options.owner ?? { name: 'Alice Example', email: 'alice@example.com' };
		const personInput = ownerInput === 'workspace' ? { name: 'Alice Example', email: 'alice@example.com' } : ownerInput;
		this.author = this.addUser(personInput);
		this.owner = ownerInput === 'workspace' ? { type: 'workspace' } : { type: 'user', user: this.author };
		this.bot = { id: this.newId(), name: options.integrationName ?? 'External Connectors (fake)', type: 'bot' };
		this.users.set(this.bot.id, this.bot);
	}

	// --- clock -------------------------------------------------------------------------------

	setNow(iso: string): void {
		this.clock.set(iso);
	}

	advanceTime(ms: number): void {
		this.clock.advance(ms);
	}

	/** Notion timestamps have minute precision: seconds and milliseconds are always zero. */
	protected stamp(): string {
		const ms = this.clock.now();
		return new Date(ms - (ms % 60_000)).toISOString();
	}

	// --- building the workspace -----------------------------------------------------------------

	addUser(init: { name: string; email?: string }): NotionUser {
		const user: NotionUser = { id: this.newId(), name: init.name, email: init.email, type: 'person' };
		this.users.set(user.id, user);
		return user;
	}

	addPage(init: PageInit = {}): NotionPage {
		const parent = this.parentRef(init.parent);
		const page: NotionPage = {
			kind: 'page',
			id: this.claimId(init.id),
			parent,
			properties: {
				title: { id: 'title', type: 'title', value: this.richTextArray(init.title ?? '') },
			},
			titleProperty: 'title',
			icon: normalizeIcon(init.icon ?? null),
			cover: init.cover ? { type: 'external', external: { url: init.cover } } : null,
			created_time: this.stamp(),
			last_edited_time: this.stamp(),
			archived: false,
			in_trash: false,
			published: false,
			children: [],
		};
		this.objects.set(page.id, page);
		this.attachToContainer(parent, page.id);
		if (init.shared ?? parent.type === 'workspace') this.shared.add(page.id);
		if (init.children) this.appendBlocks(page.id, init.children);
		return page;
	}

	addDatabase(init: DatabaseInit): { database: NotionDatabase; dataSources: NotionDataSource[]; rows: NotionPage[] } {
		const parent = this.parentRef(init.parent);
		const database: NotionDatabase = {
			kind: 'database',
			id: this.claimId(init.id),
			parent,
			title: this.richTextArray(init.title),
			is_inline: init.inline ?? false,
			icon: normalizeIcon(init.icon ?? null),
			created_time: this.stamp(),
			last_edited_time: this.stamp(),
			dataSourceIds: [],
			archived: false,
			in_trash: false,
		};
		this.objects.set(database.id, database);
		this.attachToContainer(parent, database.id);
		if (init.shared ?? parent.type === 'workspace') this.shared.add(database.id);
		const specs = init.dataSources ?? [{ name: init.title }];
		const dataSources = specs.map((spec) => this.addDataSource(database.id, spec));
		const rows = (init.rows ?? []).map((row) => this.addRow(dataSources[0].id, row));
		return { database, dataSources, rows };
	}

	addDataSource(
		databaseId: string,
		spec: { name?: string; id?: string; properties?: Record<string, PropertySchemaInput> } = {},
	): NotionDataSource {
		const database = this.expect(databaseId, 'database');
		const schema: Record<string, PropertyConfig> = {};
		const properties = spec.properties ?? { Name: 'title' };
		if (!Object.values(properties).some((p) => (typeof p === 'string' ? p : p.type) === 'title')) {
			throw new Error('fake notion: a data source needs exactly one title property');
		}
		for (const [name, input] of Object.entries(properties)) {
			const type = typeof input === 'string' ? input : input.type;
			const options = typeof input === 'string' ? [] : (input.options ?? []);
			const config: Json =
				type === 'select' || type === 'multi_select' || type === 'status'
					? { options: options.map((option, index) => this.selectOption(option, index)) }
					: {};
			schema[name] = { id: type === 'title' ? 'title' : this.propertyId(name), name, type, config };
		}
		const dataSource: NotionDataSource = {
			kind: 'data_source',
			id: this.claimId(spec.id),
			databaseId,
			name: spec.name ?? plainText(database.title),
			schema,
			rowIds: [],
			created_time: this.stamp(),
			last_edited_time: this.stamp(),
		};
		this.objects.set(dataSource.id, dataSource);
		database.dataSourceIds.push(dataSource.id);
		return dataSource;
	}

	addRow(dataSourceId: string, row: RowInput = {}): NotionPage {
		const dataSource = this.expect(dataSourceId, 'data_source');
		const titleProperty = Object.values(dataSource.schema).find((config) => config.type === 'title') as PropertyConfig;
		const page: NotionPage = {
			kind: 'page',
			id: this.claimId(row.id),
			parent: { type: 'data_source_id', data_source_id: dataSource.id, database_id: dataSource.databaseId },
			properties: {},
			titleProperty: titleProperty.name,
			icon: normalizeIcon(row.icon ?? null),
			cover: null,
			created_time: this.stamp(),
			last_edited_time: this.stamp(),
			archived: false,
			in_trash: false,
			published: false,
			children: [],
		};
		for (const config of Object.values(dataSource.schema)) {
			page.properties[config.name] = { id: config.id, type: config.type, value: this.emptyPropertyValue(config) };
		}
		this.objects.set(page.id, page);
		dataSource.rowIds.push(page.id);
		this.setProperties(page, { ...(row.title !== undefined ? { [titleProperty.name]: row.title } : {}), ...row.properties });
		if (row.children) this.appendBlocks(page.id, row.children);
		return page;
	}

	/** Appends blocks (request shape, see `notionBlocks.ts`) to a page or block; returns their ids. */
	appendBlocks(parentId: string, blocks: BlockInput[]): string[] {
		const container = this.objects.get(parentId);
		if (!container || (container.kind !== 'page' && container.kind !== 'block')) {
			throw new Error(`fake notion: cannot append to ${parentId}`);
		}
		if (container.kind === 'block' && !this.mayHaveChildren(container)) {
			throw new Error(`fake notion: ${container.type} blocks cannot have children`);
		}
		const ids = blocks.map((input) => this.createBlock(parentId, input));
		this.touchContaining(parentId);
		return ids;
	}

	// --- mutations -----------------------------------------------------------------------------

	/** Edits a page's title/properties/icon and bumps its `last_edited_time`. */
	editPage(id: string, patch: { title?: TextInput; properties?: Record<string, unknown>; icon?: IconInput }): NotionPage {
		const page = this.expect(id, 'page');
		if (patch.title !== undefined) this.setProperties(page, { [page.titleProperty]: patch.title });
		if (patch.properties) this.setProperties(page, patch.properties);
		if (patch.icon !== undefined) page.icon = normalizeIcon(patch.icon);
		page.last_edited_time = this.stamp();
		return page;
	}

	/** Replaces fields of a block's payload (e.g. `{ rich_text: ['new text'] }`); bumps the page. */
	editBlock(id: string, patch: Json): NotionBlock {
		const block = this.expect(id, 'block');
		block.payload = this.normalizePayload(block.type, { ...this.rawPayloadFor(block), ...patch });
		block.last_edited_time = this.stamp();
		this.touchContaining(block.parentId);
		return block;
	}

	deleteBlock(id: string): void {
		const block = this.expect(id, 'block');
		block.archived = true;
		block.last_edited_time = this.stamp();
		this.touchContaining(block.parentId);
	}

	archivePage(id: string): NotionPage {
		return this.setPageState(id, { archived: true });
	}

	/** Moves to trash (the API reports both `in_trash` and `archived`). */
	trashPage(id: string): NotionPage {
		return this.setPageState(id, { archived: true, in_trash: true });
	}

	restorePage(id: string): NotionPage {
		return this.setPageState(id, { archived: false, in_trash: false });
	}

	/**
	 * Moves a page under another page or block, or to the workspace top level, as dragging it in
	 * the sidebar does. The move stamps the page's `last_edited_time` (`touch: false` models a
	 * move Notion does not stamp, which only a full re-walk notices).
	 */
	movePage(id: string, newParent: string, options: { touch?: boolean } = {}): NotionPage {
		const page = this.expect(id, 'page');
		if (page.parent.type === 'data_source_id') throw new Error('fake notion: moving database rows is not modelled');
		const target = this.parentRef(newParent);
		for (let current: string | undefined = newParent; current !== undefined; current = this.containerOf(current)) {
			if (current === page.id) throw new Error('fake notion: a page cannot move under itself');
		}
		const oldContainer = this.containerOf(page.id);
		if (oldContainer !== undefined) {
			const container = this.objects.get(oldContainer);
			if (container && (container.kind === 'page' || container.kind === 'block')) {
				container.children = container.children.filter((child) => child !== page.id);
			}
		}
		page.parent = target;
		this.attachToContainer(target, page.id);
		if (options.touch ?? true) page.last_edited_time = this.stamp();
		return page;
	}

	/**
	 * Publishes a page (or a database row) to the web, or takes it down (`published: false`): its
	 * `public_url` is set or null. Notion does not stamp this as an edit: `last_edited_time` stays,
	 * so search sorted by edit time and `last_edited_time` filters do not show it.
	 */
	publishPage(id: string, published = true): NotionPage {
		const page = this.expect(id, 'page');
		page.published = published;
		return page;
	}

	/** Shares a page or database (and so its subtree) with the integration. */
	share(id: string): void {
		this.expectAny(id);
		this.shared.add(id);
	}

	/** Stops sharing; descendants stay visible if an ancestor is still shared. */
	unshare(id: string): void {
		this.shared.delete(id);
	}

	// --- lookups -------------------------------------------------------------------------------

	page(id: string): NotionPage {
		return this.expect(id, 'page');
	}

	block(id: string): NotionBlock {
		return this.expect(id, 'block');
	}

	dataSource(id: string): NotionDataSource {
		return this.expect(id, 'data_source');
	}

	database(id: string): NotionDatabase {
		return this.expect(id, 'database');
	}

	/** Kind of object behind an id, if any. */
	kindOf(id: string): NotionObject['kind'] | undefined {
		return this.objects.get(id)?.kind;
	}

	/** Whether the integration can see the object (it or an ancestor is shared). */
	isVisible(id: string): boolean {
		let current: string | undefined = id;
		for (let depth = 0; current !== undefined && depth < 1000; depth += 1) {
			if (this.shared.has(current)) return true;
			current = this.containerOf(current);
		}
		return false;
	}

	/** Archived or trashed, itself or through an ancestor page. */
	isGone(id: string): boolean {
		let current: string | undefined = id;
		while (current !== undefined) {
			const object = this.objects.get(current);
			if (!object) return true;
			if ((object.kind === 'page' || object.kind === 'database') && (object.archived || object.in_trash)) return true;
			if (object.kind === 'block' && object.archived) return true;
			current = this.containerOf(current);
		}
		return false;
	}

	allPages(): NotionPage[] {
		return [...this.objects.values()].filter((object): object is NotionPage => object.kind === 'page');
	}

	allDataSources(): NotionDataSource[] {
		return [...this.objects.values()].filter((object): object is NotionDataSource => object.kind === 'data_source');
	}

	allUsers(): NotionUser[] {
		return [...this.users.values()];
	}

	pageTitle(page: NotionPage): string {
		return plainText(page.properties[page.titleProperty].value as Json[]);
	}

	/** Live child ids of a page or block (synced references show their original's children). */
	childIds(id: string): string[] {
		const object = this.objects.get(id);
		if (!object) return [];
		if (object.kind === 'block' && object.type === 'synced_block') {
			const from = (object.payload.synced_from as { block_id?: string } | null)?.block_id;
			if (from) return this.childIds(from);
		}
		if (object.kind !== 'page' && object.kind !== 'block') return [];
		return object.children.filter((childId) => {
			const child = this.objects.get(childId);
			if (!child || child.kind === 'data_source') return false;
			return child.kind === 'block' ? !child.archived : !child.archived && !child.in_trash;
		});
	}

	// --- rendering -----------------------------------------------------------------------------

	renderPage(page: NotionPage, propertyIds?: readonly string[]): Json {
		const properties: Json = {};
		for (const [name, property] of Object.entries(page.properties)) {
			if (propertyIds && !propertyIds.includes(property.id)) continue;
			properties[name] = { id: property.id, type: property.type, [property.type]: this.propertyValue(page, property) };
		}
		return {
			object: 'page',
			id: page.id,
			created_time: page.created_time,
			last_edited_time: page.last_edited_time,
			created_by: this.partialUser(this.author),
			last_edited_by: this.partialUser(this.author),
			cover: page.cover,
			icon: page.icon,
			parent: page.parent,
			archived: page.archived,
			in_trash: page.in_trash,
			is_locked: false,
			properties,
			url: pageUrl(this.pageTitle(page), page.id),
			public_url: page.published ? publicPageUrl(this.workspace.name, this.pageTitle(page), page.id) : null,
		};
	}

	renderDatabase(database: NotionDatabase): Json {
		return {
			object: 'database',
			id: database.id,
			title: database.title,
			description: [],
			parent: database.parent,
			is_inline: database.is_inline,
			archived: database.archived,
			in_trash: database.in_trash,
			is_locked: false,
			created_time: database.created_time,
			last_edited_time: database.last_edited_time,
			data_sources: database.dataSourceIds.map((id) => ({ id, name: this.dataSource(id).name })),
			icon: database.icon,
			cover: null,
			url: `https://www.notion.so/${database.id.replace(/-/g, '')}`,
			public_url: null,
		};
	}

	renderDataSource(dataSource: NotionDataSource): Json {
		const database = this.database(dataSource.databaseId);
		const properties: Json = {};
		for (const config of Object.values(dataSource.schema)) {
			properties[config.name] = { id: config.id, name: config.name, description: null, type: config.type, [config.type]: config.config };
		}
		return {
			object: 'data_source',
			id: dataSource.id,
			title: this.richTextArray(dataSource.name),
			description: [],
			parent: { type: 'database_id', database_id: database.id },
			database_parent: database.parent,
			is_inline: database.is_inline,
			archived: database.archived,
			in_trash: database.in_trash,
			created_time: dataSource.created_time,
			last_edited_time: dataSource.last_edited_time,
			created_by: this.partialUser(this.author),
			last_edited_by: this.partialUser(this.author),
			properties,
			icon: database.icon,
			cover: null,
			url: `https://www.notion.so/${database.id.replace(/-/g, '')}`,
			public_url: null,
		};
	}

	/** Any block-like object (block, child page, child database) as a block. */
	renderBlock(id: string): Json {
		const object = this.expectAny(id);
		const common = (parent: Json, type: string, payload: unknown, created: string, edited: string, archived: boolean): Json => ({
			object: 'block',
			id,
			parent,
			created_time: created,
			last_edited_time: edited,
			created_by: this.partialUser(this.author),
			last_edited_by: this.partialUser(this.author),
			has_children: this.childIds(id).length > 0,
			archived,
			in_trash: archived,
			type,
			[type]: payload,
		});
		switch (object.kind) {
			case 'page':
				return common(
					object.parent,
					'child_page',
					{ title: this.pageTitle(object) },
					object.created_time,
					object.last_edited_time,
					object.archived,
				);
			case 'database':
				return common(
					object.parent,
					'child_database',
					{ title: plainText(object.title) },
					object.created_time,
					object.last_edited_time,
					object.archived,
				);
			case 'block': {
				const parent = this.objects.get(object.parentId);
				const parentRef =
					parent?.kind === 'page' ? { type: 'page_id', page_id: parent.id } : { type: 'block_id', block_id: object.parentId };
				return common(
					parentRef,
					object.type,
					this.renderPayload(object),
					object.created_time,
					object.last_edited_time,
					object.archived,
				);
			}
			default:
				throw new Error(`fake notion: ${id} is not a block`);
		}
	}

	renderUser(user: NotionUser): Json {
		if (user.type === 'bot') {
			return {
				object: 'user',
				id: user.id,
				name: user.name,
				avatar_url: null,
				type: 'bot',
				bot: {
					owner: this.renderOwner(),
					workspace_name: this.workspace.name,
					workspace_id: this.workspace.id,
					workspace_limits: { max_file_upload_size_in_bytes: 5 * 1024 ** 3 },
				},
			};
		}
		return {
			object: 'user',
			id: user.id,
			name: user.name,
			avatar_url: null,
			type: 'person',
			person: user.email ? { email: user.email } : {},
		};
	}

	renderOwner(): Json {
		return this.owner.type === 'workspace'
			? { type: 'workspace', workspace: true }
			: { type: 'user', user: this.renderUser(this.owner.user) };
	}

	// --- signed file URLs ------------------------------------------------------------------------

	/** Resolves a signed URL's path and signature to the file, if still valid on the fake clock. */
	resolveSignedFile(
		key: string,
		signature: string,
	): { file: { name: string; content: Buffer; contentType: string } } | { error: 'expired' | 'invalid' } {
		const grant = this.signedUrls.get(signature);
		const file = this.storedFiles.get(key);
		if (!grant || !file || grant.key !== key) return { error: 'invalid' };
		if (this.clock.now() >= grant.expiresAt) return { error: 'expired' };
		return { file };
	}

	/** Keeps an uploaded file's bytes; its key is the stable part of every signed URL to it. */
	private storeFile(file: { content: Buffer | string; name: string; contentType?: string }): string {
		const key = this.newId();
		const content = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
		this.storedFiles.set(key, { name: file.name, content, contentType: file.contentType ?? guessContentType(file.name) });
		return key;
	}

	private signedFile(key: string): Json {
		const file = this.storedFiles.get(key);
		if (!file) throw new Error(`fake notion: no stored file ${key}`);
		this.signatureCounter += 1;
		const signature = createHash('sha256').update(`sig-${key}-${this.signatureCounter}`).digest('hex');
		const expiresAt = this.clock.now() + SIGNED_URL_LIFETIME_MS;
		this.signedUrls.set(signature, { key, expiresAt });
		const amzDate = new Date(this.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
		const query = new URLSearchParams({
			'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
			'X-Amz-Credential': 'FAKEACCESSKEY/us-west-2/s3/aws4_request',
			'X-Amz-Date': amzDate,
			'X-Amz-Expires': String(SIGNED_URL_LIFETIME_MS / 1000),
			'X-Amz-Signature': signature,
			'X-Amz-SignedHeaders': 'host',
			'x-id': 'GetObject',
		});
		return {
			url: `${this.baseUrl}/s3/${this.workspace.id}/${key}/${encodeURIComponent(file.name)}?${query}`,
			expiry_time: new Date(expiresAt).toISOString(),
		};
	}

	// --- internals -----------------------------------------------------------------------------

	protected newId(): string {
		this.idCounter += 1;
		const hex = createHash('sha256').update(`fake-notion-${this.idCounter}`).digest('hex');
		const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		return normalizeId(`${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`) as string;
	}

	private claimId(requested: string | undefined): string {
		if (requested === undefined) return this.newId();
		const id = normalizeId(requested);
		if (!id) throw new Error(`fake notion: malformed id ${requested}`);
		if (this.objects.has(id)) throw new Error(`fake notion: id ${id} already used`);
		return id;
	}

	private expectAny(id: string): NotionObject {
		const object = this.objects.get(normalizeId(id) ?? id);
		if (!object) throw new Error(`fake notion: no object ${id}`);
		return object;
	}

	private expect<K extends NotionObject['kind']>(id: string, kind: K): Extract<NotionObject, { kind: K }> {
		const object = this.expectAny(id);
		if (object.kind !== kind) throw new Error(`fake notion: ${id} is a ${object.kind}, not a ${kind}`);
		return object as Extract<NotionObject, { kind: K }>;
	}

	private parentRef(parent: string | undefined): ParentRef {
		if (parent === undefined || parent === 'workspace') return { type: 'workspace', workspace: true };
		const object = this.expectAny(parent);
		if (object.kind === 'page') return { type: 'page_id', page_id: object.id };
		if (object.kind === 'block') {
			if (!this.mayHaveChildren(object)) throw new Error(`fake notion: ${object.type} blocks cannot have children`);
			return { type: 'block_id', block_id: object.id };
		}
		throw new Error(`fake notion: use addRow to add pages to ${object.kind} ${object.id}`);
	}

	private attachToContainer(parent: ParentRef, childId: string): void {
		const containerId = parent.type === 'page_id' ? parent.page_id : parent.type === 'block_id' ? parent.block_id : undefined;
		if (containerId === undefined) return;
		const container = this.objects.get(containerId);
		if (container && (container.kind === 'page' || container.kind === 'block')) container.children.push(childId);
	}

	private containerOf(id: string): string | undefined {
		const object = this.objects.get(id);
		if (!object) return undefined;
		switch (object.kind) {
			case 'block':
				return object.parentId;
			case 'data_source':
				return object.databaseId;
			case 'page':
			case 'database': {
				const parent = object.parent;
				if (parent.type === 'page_id') return parent.page_id;
				if (parent.type === 'block_id') return parent.block_id;
				if (parent.type === 'data_source_id') return parent.data_source_id;
				return undefined;
			}
		}
	}

	/** Bumps `last_edited_time` of the page that contains `id`. */
	private touchContaining(id: string): void {
		let current: string | undefined = id;
		while (current !== undefined) {
			const object = this.objects.get(current);
			if (object?.kind === 'page') {
				object.last_edited_time = this.stamp();
				return;
			}
			current = this.containerOf(current);
		}
	}

	private setPageState(id: string, state: { archived: boolean; in_trash?: boolean }): NotionPage {
		const page = this.expect(id, 'page');
		page.archived = state.archived;
		page.in_trash = state.in_trash ?? false;
		page.last_edited_time = this.stamp();
		return page;
	}

	private mayHaveChildren(block: NotionBlock): boolean {
		if (!PARENT_TYPES.has(block.type)) return false;
		if (block.type.startsWith('heading_')) return block.payload.is_toggleable === true;
		if (block.type === 'synced_block') return block.payload.synced_from === null;
		return true;
	}

	private createBlock(parentId: string, input: BlockInput): string {
		if (input.type === 'child_page') {
			const title = (input.child_page as { title?: string } | undefined)?.title ?? '';
			return this.addPage({ title, parent: parentId, children: input.children, shared: false }).id;
		}
		if (input.type === 'child_database') {
			const title = (input.child_database as { title?: string } | undefined)?.title ?? '';
			return this.addDatabase({ title, parent: parentId, shared: false }).database.id;
		}
		const raw = input[input.type];
		const block: NotionBlock = {
			kind: 'block',
			id: this.claimId(typeof input.id === 'string' ? input.id : undefined),
			parentId,
			type: input.type,
			payload: this.normalizePayload(input.type, isJson(raw) ? raw : {}),
			children: [],
			created_time: this.stamp(),
			last_edited_time: this.stamp(),
			archived: false,
		};
		this.objects.set(block.id, block);
		const container = this.objects.get(parentId) as NotionPage | NotionBlock;
		container.children.push(block.id);
		if (input.children && input.children.length > 0) {
			if (!this.mayHaveChildren(block)) throw new Error(`fake notion: ${block.type} blocks cannot have children`);
			if (block.type === 'table' && input.children.some((child) => child.type !== 'table_row')) {
				throw new Error('fake notion: table children must be table_row blocks');
			}
			if (block.type === 'column_list' && input.children.some((child) => child.type !== 'column')) {
				throw new Error('fake notion: column_list children must be column blocks');
			}
			for (const child of input.children) this.createBlock(block.id, child);
		}
		return block.id;
	}

	private normalizePayload(type: string, raw: Json): Json {
		if (TEXT_TYPES.has(type)) {
			const payload: Json = { rich_text: this.richTextArray(raw.rich_text as TextInput | undefined) };
			if (type !== 'code') payload.color = typeof raw.color === 'string' ? raw.color : 'default';
			if (type.startsWith('heading_')) payload.is_toggleable = raw.is_toggleable === true;
			if (type === 'to_do') payload.checked = raw.checked === true;
			if (type === 'callout') payload.icon = normalizeIcon((raw.icon as IconInput | undefined) ?? '💡');
			if (type === 'code') {
				payload.caption = this.richTextArray(raw.caption as TextInput | undefined);
				payload.language = typeof raw.language === 'string' ? raw.language : 'plain text';
			}
			return payload;
		}
		if (MEDIA_TYPES.has(type)) {
			const caption = this.richTextArray(raw.caption as TextInput | undefined);
			if (raw.type === 'external') {
				const url = (raw.external as { url?: unknown } | undefined)?.url;
				if (typeof url !== 'string') throw new Error(`fake notion: ${type} needs external.url`);
				return { type: 'external', external: { url }, caption, ...(type === 'file' ? { name: url.split('/').pop() } : {}) };
			}
			const file = raw.file as FileInput | undefined;
			if (!file || !('content' in file)) throw new Error(`fake notion: ${type} needs file content or an external url`);
			const key = this.storeFile(file);
			return { type: 'file', fileKey: key, caption, ...(type === 'file' ? { name: file.name } : {}) };
		}
		switch (type) {
			case 'equation':
				return { expression: String(raw.expression ?? '') };
			case 'table':
				return {
					table_width: Number(raw.table_width ?? 0),
					has_column_header: raw.has_column_header === true,
					has_row_header: raw.has_row_header === true,
				};
			case 'table_row': {
				const cells = Array.isArray(raw.cells) ? (raw.cells as TextInput[]) : [];
				return { cells: cells.map((cell) => this.richTextArray(cell)) };
			}
			case 'synced_block': {
				const from = raw.synced_from as { block_id?: string } | null | undefined;
				if (!from?.block_id) return { synced_from: null };
				const original = this.expect(from.block_id, 'block');
				return { synced_from: { type: 'block_id', block_id: original.id } };
			}
			case 'link_to_page': {
				if (typeof raw.page_id === 'string') return { type: 'page_id', page_id: this.expectAny(raw.page_id).id };
				if (typeof raw.database_id === 'string') return { type: 'database_id', database_id: this.expectAny(raw.database_id).id };
				throw new Error('fake notion: link_to_page needs page_id or database_id');
			}
			case 'bookmark':
			case 'embed':
				return { url: String(raw.url ?? ''), caption: this.richTextArray(raw.caption as TextInput | undefined) };
			case 'table_of_contents':
				return { color: 'default' };
			default:
				if (SIMPLE_TYPES.has(type)) return {};
				throw new Error(`fake notion: unknown block type ${type}`);
		}
	}

	/** The stored payload in input form again, so `editBlock` can merge a patch into it. */
	private rawPayloadFor(block: NotionBlock): Json {
		if (!MEDIA_TYPES.has(block.type) || block.payload.type !== 'file') return { ...block.payload };
		const stored = this.storedFiles.get(block.payload.fileKey as string);
		return { ...block.payload, file: stored ? { content: stored.content, name: stored.name } : undefined };
	}

	private renderPayload(block: NotionBlock): Json {
		if (MEDIA_TYPES.has(block.type) && block.payload.type === 'file') {
			const { fileKey, ...rest } = block.payload;
			return { ...rest, file: this.signedFile(fileKey as string) };
		}
		return block.payload;
	}

	richTextArray(input: TextInput | undefined): Json[] {
		if (input === undefined) return [];
		const items = typeof input === 'string' ? (input === '' ? [] : [input]) : input;
		return items.flatMap((item) => this.richTextItems(item));
	}

	/** One input item; long text becomes several items of at most 2000 characters, as Notion returns them. */
	private richTextItems(input: RichTextInput): Json[] {
		if (typeof input === 'string') return this.richTextItems({ type: 'text', text: { content: input } });
		const annotations = { ...DEFAULT_ANNOTATIONS, ...input.annotations };
		if (input.type === 'equation') {
			return [{ type: 'equation', equation: { expression: input.equation.expression }, annotations, plain_text: input.equation.expression, href: null }];
		}
		if (input.type === 'mention') return [this.mentionItem(input.mention, annotations)];
		const link = input.text.link ?? null;
		const chunks: string[] = [];
		for (let i = 0; i < input.text.content.length; i += MAX_TEXT_CONTENT) {
			chunks.push(input.text.content.slice(i, i + MAX_TEXT_CONTENT));
		}
		return (chunks.length > 0 ? chunks : ['']).map((content) => ({
			type: 'text',
			text: { content, link },
			annotations,
			plain_text: content,
			href: link?.url ?? null,
		}));
	}

	private mentionItem(mention: MentionInput, annotations: Annotations): Json {
		const item = (payload: Json, plain: string, href: string | null): Json => ({
			type: 'mention',
			mention: payload,
			annotations,
			plain_text: plain,
			href,
		});
		switch (mention.type) {
			case 'user': {
				const user = this.users.get(normalizeId(mention.user.id) ?? mention.user.id);
				return item({ type: 'user', user: { object: 'user', id: user?.id ?? mention.user.id } }, `@${user?.name ?? 'Anonymous'}`, null);
			}
			case 'page': {
				const id = normalizeId(mention.page.id) ?? mention.page.id;
				const page = this.objects.get(id);
				const title = page?.kind === 'page' ? this.pageTitle(page) : 'Untitled';
				return item({ type: 'page', page: { id } }, title, `https://www.notion.so/${id.replace(/-/g, '')}`);
			}
			case 'database': {
				const id = normalizeId(mention.database.id) ?? mention.database.id;
				const database = this.objects.get(id);
				const title = database?.kind === 'database' ? plainText(database.title) : 'Untitled';
				return item({ type: 'database', database: { id } }, title, `https://www.notion.so/${id.replace(/-/g, '')}`);
			}
			case 'date': {
				const { start, end = null, time_zone = null } = mention.date;
				return item({ type: 'date', date: { start, end, time_zone } }, end ? `${start} → ${end}` : start, null);
			}
		}
	}

	private setProperties(page: NotionPage, values: Record<string, unknown>): void {
		for (const [name, input] of Object.entries(values)) {
			const property = page.properties[name];
			if (!property) throw new Error(`fake notion: page ${page.id} has no property ${name}`);
			property.value = this.normalizePropertyValue(page, property, input);
		}
	}

	private emptyPropertyValue(config: PropertyConfig): unknown {
		switch (config.type) {
			case 'title':
			case 'rich_text':
			case 'multi_select':
			case 'people':
			case 'files':
			case 'relation':
				return [];
			case 'checkbox':
				return false;
			case 'unique_id':
				this.uniqueIdCounter += 1;
				return { prefix: null, number: this.uniqueIdCounter };
			case 'formula':
				return { type: 'string', string: null };
			default:
				return null;
		}
	}

	private normalizePropertyValue(page: NotionPage, property: StoredProperty, input: unknown): unknown {
		const schemaOptions = (): Json[] => {
			if (page.parent.type !== 'data_source_id') return [];
			const config = Object.values(this.dataSource(page.parent.data_source_id).schema).find((c) => c.id === property.id);
			if (!config) return [];
			const options = (config.config.options ?? []) as Json[];
			config.config.options = options;
			return options;
		};
		const option = (name: unknown): Json => {
			const options = schemaOptions();
			let found = options.find((candidate) => candidate.name === name);
			if (!found) {
				found = this.selectOption(String(name), options.length);
				options.push(found);
			}
			return found;
		};
		if (isJson(input) && property.type in input) return input[property.type];
		switch (property.type) {
			case 'title':
			case 'rich_text':
				return this.richTextArray(input as TextInput);
			case 'number':
				return typeof input === 'number' ? input : null;
			case 'checkbox':
				return input === true;
			case 'select':
			case 'status':
				return input === null || input === undefined ? null : option(input);
			case 'multi_select':
				return (Array.isArray(input) ? input : [input]).map(option);
			case 'date':
				if (input === null || input === undefined) return null;
				if (typeof input === 'string') return { start: input, end: null, time_zone: null };
				return { end: null, time_zone: null, ...(input as Json) };
			case 'url':
			case 'email':
			case 'phone_number':
				return typeof input === 'string' ? input : null;
			case 'people':
				return (Array.isArray(input) ? input : [input]).map((id) => ({ object: 'user', id: String(id) }));
			case 'relation':
				return (Array.isArray(input) ? input : [input]).map((id) => ({ id: normalizeId(String(id)) ?? String(id) }));
			case 'files':
				// A URL is an external file; `{ content, name }` is uploaded to Notion and served from signed URLs.
				return (Array.isArray(input) ? input : [input]).map((file: unknown) => {
					if (isJson(file) && 'content' in file) {
						const upload = file as { content: Buffer | string; name: string; contentType?: string };
						return { name: upload.name, type: 'file', fileKey: this.storeFile(upload) };
					}
					return { name: String(file).split('/').pop(), type: 'external', external: { url: String(file) } };
				});
			case 'formula':
				return typeof input === 'number' ? { type: 'number', number: input } : { type: 'string', string: String(input) };
			default:
				throw new Error(`fake notion: cannot set ${property.type} properties`);
		}
	}

	private propertyValue(page: NotionPage, property: StoredProperty): unknown {
		switch (property.type) {
			case 'created_time':
				return page.created_time;
			case 'last_edited_time':
				return page.last_edited_time;
			case 'created_by':
			case 'last_edited_by':
				return this.renderUser(this.author);
			case 'files':
				return (property.value as Json[]).map((file) => {
					if (typeof file.fileKey !== 'string') return file;
					return { name: file.name, type: 'file', file: this.signedFile(file.fileKey) };
				});
			default:
				return property.value;
		}
	}

	private selectOption(name: string, index: number): Json {
		return {
			id: createHash('sha1').update(`opt-${name}`).digest('hex').slice(0, 8),
			name,
			color: SELECT_COLORS[index % SELECT_COLORS.length],
			description: null,
		};
	}

	private propertyId(name: string): string {
		return encodeURIComponent(createHash('sha1').update(`prop-${name}`).digest('base64').slice(0, 4));
	}

	private partialUser(user: NotionUser): Json {
		return { object: 'user', id: user.id };
	}
}

export function plainText(items: readonly Json[]): string {
	return items.map((item) => String(item.plain_text ?? '')).join('');
}

function isJson(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function normalizeIcon(icon: IconInput): Json | null {
	if (icon === null) return null;
	if (typeof icon === 'string') return /^https?:/.test(icon) ? { type: 'external', external: { url: icon } } : { type: 'emoji', emoji: icon };
	return icon;
}

function pageUrl(title: string, id: string): string {
	const slug = title
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '');
	const hex = id.replace(/-/g, '');
	return `https://www.notion.so/${slug ? `${slug}-` : ''}${hex}`;
}

/** Where a published page is served: the workspace's `notion.site` domain, then the page's slug and id. */
function publicPageUrl(workspaceName: string, title: string, id: string): string {
	const domain = workspaceName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace';
	return pageUrl(title, id).replace('https://www.notion.so/', `https://${domain}.notion.site/`);
}

function guessContentType(name: string): string {
	const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
	const types: Record<string, string> = {
		png: 'image/png',
		jpg: 'image/jpeg',
		jpeg: 'image/jpeg',
		gif: 'image/gif',
		svg: 'image/svg+xml',
		pdf: 'application/pdf',
		mp4: 'video/mp4',
		txt: 'text/plain',
		csv: 'text/csv',
	};
	return types[ext] ?? 'application/octet-stream';
}
