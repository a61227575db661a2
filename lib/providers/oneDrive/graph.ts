/**
 * Plain requests to Microsoft Graph v1.0 over the signed, retried fetch: every request names its
 * fields (`$select`), paging follows `@odata.nextLink` on Graph's own origin only, and every
 * non-2xx answer becomes a GraphError.
 */
import { InvalidInputError } from '../../errors';
import { graphErrorOf } from './errors';

/** Every driveItem field the connector reads; Graph returns only what `$select` names. */
export const ITEM_SELECT = 'id,name,size,createdDateTime,lastModifiedDateTime,eTag,webUrl,parentReference,file,folder,package,root,deleted';

export const DRIVE_SELECT = 'id,name,driveType,webUrl,createdDateTime,owner';

export const SITE_SELECT = 'id,displayName,name,webUrl,createdDateTime';

/** Graph's largest page for drive items. */
export const PAGE_SIZE = 999;

export interface GraphItem {
	id: string;
	name?: string;
	size?: number;
	createdDateTime?: string;
	lastModifiedDateTime?: string;
	eTag?: string;
	webUrl?: string;
	parentReference?: { id?: string; driveId?: string; driveType?: string; path?: string; siteId?: string };
	file?: { mimeType?: string; hashes?: { quickXorHash?: string; sha256Hash?: string; sha1Hash?: string } };
	folder?: { childCount?: number };
	/** OneNote notebooks and other packages: a folder-like item with no bytes of its own. */
	package?: { type?: string };
	root?: Record<string, never>;
	deleted?: { state?: string };
}

export interface GraphDrive {
	id: string;
	name?: string;
	driveType?: string;
	webUrl?: string;
	createdDateTime?: string;
	owner?: { user?: { displayName?: string; email?: string } };
}

export interface GraphSite {
	id: string;
	displayName?: string;
	name?: string;
	webUrl?: string;
	createdDateTime?: string;
}

export interface GraphCollection<T> {
	value: T[];
	'@odata.nextLink'?: string;
	'@odata.deltaLink'?: string;
}

export type GraphQuery = Readonly<Record<string, string | number | undefined>>;

export class GraphClient {
	/** Requests sent, for the listing's count. */
	requests = 0;

	constructor(
		private readonly signedFetch: typeof fetch,
		/** e.g. https://graph.microsoft.com/v1.0, or a test server's. */
		readonly apiUrl: string,
	) {}

	/** A URL under the API for `path` (segments already encoded) with `query`. */
	url(path: string, query: GraphQuery = {}): string {
		const url = new URL(`${this.apiUrl}${path}`);
		for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
		return url.href;
	}

	async get<T>(path: string, query: GraphQuery, what: string, signal?: AbortSignal): Promise<T> {
		return await this.json<T>(this.url(path, query), what, signal);
	}

	/**
	 * A page from a link Graph handed out (`@odata.nextLink`, `@odata.deltaLink`), with `$select`
	 * set again: the link keeps Graph's paging state, the fields are the connector's.
	 */
	async follow<T>(link: string, select: string, what: string, signal?: AbortSignal): Promise<GraphCollection<T>> {
		const url = this.ownLink(link);
		url.searchParams.set('$select', select);
		return await this.json<GraphCollection<T>>(url.href, what, signal);
	}

	/** Every page of a collection, following `@odata.nextLink`. */
	async all<T>(path: string, query: GraphQuery, what: string, signal?: AbortSignal): Promise<T[]> {
		const values: T[] = [];
		const select = String(query.$select ?? '');
		let page = await this.get<GraphCollection<T>>(path, query, what, signal);
		values.push(...page.value);
		while (page['@odata.nextLink']) {
			page = await this.follow<T>(page['@odata.nextLink'], select, what, signal);
			values.push(...page.value);
		}
		return values;
	}

	/** The answer to a GET whose body the caller streams (downloads); redirects to the pre-authenticated URL are followed. */
	async open(url: string, what: string, signal?: AbortSignal): Promise<Response> {
		this.requests++;
		const response = await this.signedFetch(url, { signal, headers: { accept: '*/*' } });
		if (!response.ok) throw await graphErrorOf(response, what);
		return response;
	}

	private async json<T>(url: string, what: string, signal?: AbortSignal): Promise<T> {
		this.requests++;
		const response = await this.signedFetch(url, { signal, headers: { accept: 'application/json' } });
		if (!response.ok) throw await graphErrorOf(response, what);
		return (await response.json()) as T;
	}

	/** A link must point back at the API: the signed fetch would otherwise send the token elsewhere. */
	private ownLink(link: string): URL {
		const url = new URL(link);
		const api = new URL(this.apiUrl);
		if (url.origin !== api.origin) {
			throw new InvalidInputError(
				`Microsoft Graph handed out a link to ${url.origin}, not ${api.origin}`,
				'Check CONNECTORS_MICROSOFT_GRAPH_URL: it must be the address Graph answers on (a proxy must rewrite its links).',
			);
		}
		return url;
	}
}

/** A path segment, encoded (ids hold `!`, which stays as it is). */
export function segment(id: string): string {
	return encodeURIComponent(id).replace(/%21/g, '!');
}
