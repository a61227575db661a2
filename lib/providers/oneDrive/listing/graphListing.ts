import { InvalidInputError, NotFoundError } from '../../../errors';
import type { ConnectorItem } from '../../../items';
import { GraphError } from '../errors';
import { ITEM_SELECT, PAGE_SIZE, segment, type GraphClient, type GraphCollection, type GraphItem } from '../graph';
import { isShareUrl, MY_DRIVE, shareIdOf } from '../ids';

/** Media type of a OneNote notebook, which Graph lists as a `package` with no `file` facet and no bytes. */
export const ONENOTE_MIME = 'application/msonenote';

export interface DeltaFeed {
	/** Each changed item once, in its latest state (a later page wins). */
	items: GraphItem[];
	deltaLink: string;
}

/** The Graph calls a listing makes; `requests` counts them. */
export class GraphListingApi {
	private readonly startedAt: number;

	constructor(
		private readonly graph: GraphClient,
		private readonly signal?: AbortSignal,
	) {
		this.startedAt = graph.requests;
	}

	get requests(): number {
		return this.graph.requests - this.startedAt;
	}

	/** The source's root folder: its drive's real id and the item id children name as their parent. */
	async root(driveId: string, folderId: string | null): Promise<{ driveId: string; rootId: string }> {
		const item = await this.rootItem(driveId, folderId);
		if (item.folder === undefined && item.root === undefined) {
			throw new InvalidInputError(
				`"${item.name ?? folderId}" is a file, not a folder`,
				'Pick a folder, a document library or My OneDrive as the source.',
			);
		}
		const realDrive = item.parentReference?.driveId;
		if (!realDrive) throw new GraphError(500, 'missingDriveId', `Microsoft Graph did not say which drive "${item.name ?? item.id}" is in`);
		return { driveId: realDrive, rootId: item.id };
	}

	private async rootItem(driveId: string, folderId: string | null): Promise<GraphItem> {
		const what = folderId === null ? `drive ${driveId}` : `folder ${folderId}`;
		try {
			if (folderId === null && isShareUrl(driveId)) {
				// A library's or site's address: the item it names tells the drive, whose root is the source.
				const named = await this.graph.get<GraphItem>(`/shares/${shareIdOf(driveId)}/driveItem`, { $select: ITEM_SELECT }, what, this.signal);
				return await this.graph.get<GraphItem>(`/drives/${segment(named.parentReference?.driveId ?? '')}/root`, { $select: ITEM_SELECT }, what, this.signal);
			}
			const path =
				folderId !== null && isShareUrl(folderId)
					? `/shares/${shareIdOf(folderId)}/driveItem`
					: `${drivePath(driveId)}/${folderId === null || folderId === 'root' ? 'root' : `items/${segment(folderId)}`}`;
			return await this.graph.get<GraphItem>(path, { $select: ITEM_SELECT }, what, this.signal);
		} catch (error) {
			if (error instanceof GraphError && (error.status === 404 || error.status === 403)) {
				throw new NotFoundError(
					`The ${what} was not found or is not shared with the connected Microsoft account`,
					'Check the id or link, or share the folder with the account of this credential.',
					{ cause: error },
				);
			}
			throw error;
		}
	}

	/**
	 * The drive's latest delta link, taken before a full listing so changes made during it are read
	 * next time; null when Graph refuses the account the drive's change feed (403/404: a folder
	 * shared from a drive the account cannot read as a whole).
	 */
	async latestDeltaLink(driveId: string): Promise<string | null> {
		let page: GraphCollection<GraphItem>;
		try {
			page = await this.graph.get<GraphCollection<GraphItem>>(
				`/drives/${segment(driveId)}/root/delta`,
				{ token: 'latest', $select: ITEM_SELECT },
				`the change feed of drive ${driveId}`,
				this.signal,
			);
		} catch (error) {
			if (error instanceof GraphError && (error.status === 403 || error.status === 404)) return null;
			throw error;
		}
		if (!page['@odata.deltaLink']) throw new GraphError(500, 'missingDeltaLink', 'Microsoft Graph answered the delta request without a delta link');
		return page['@odata.deltaLink'];
	}

	/**
	 * Every change since `deltaLink` that `keep` keeps (asked as each page arrives, so the rest is
	 * never held; a later version of a kept item is kept too), every page; null when Graph wants a
	 * resync (410: expired or reset token).
	 */
	async changesSince(deltaLink: string, keep: (item: GraphItem) => boolean = () => true): Promise<DeltaFeed | null> {
		const byId = new Map<string, GraphItem>();
		let link = deltaLink;
		for (;;) {
			let page: GraphCollection<GraphItem>;
			try {
				page = await this.graph.follow<GraphItem>(link, ITEM_SELECT, 'the change feed', this.signal);
			} catch (error) {
				if (error instanceof GraphError && error.status === 410) return null;
				throw error;
			}
			for (const item of page.value) {
				if (!byId.delete(item.id) && !keep(item)) continue;
				byId.set(item.id, item);
			}
			if (page['@odata.deltaLink']) return { items: [...byId.values()], deltaLink: page['@odata.deltaLink'] };
			if (!page['@odata.nextLink']) throw new GraphError(500, 'missingDeltaLink', 'Microsoft Graph returned a change page with neither a next nor a delta link');
			link = page['@odata.nextLink'];
		}
	}

	/** A folder's children, every page. */
	async children(driveId: string, folderId: string): Promise<GraphItem[]> {
		return await this.graph.all<GraphItem>(
			`/drives/${segment(driveId)}/items/${segment(folderId)}/children`,
			{ $select: ITEM_SELECT, $top: PAGE_SIZE },
			`the children of folder ${folderId}`,
			this.signal,
		);
	}
}

export function drivePath(driveId: string): string {
	return driveId === MY_DRIVE ? '/me/drive' : `/drives/${segment(driveId)}`;
}

export function isFolder(item: GraphItem): boolean {
	return item.folder !== undefined || item.root !== undefined;
}

export function mimeOf(item: GraphItem): string | null {
	if (item.package?.type === 'oneNote') return ONENOTE_MIME;
	return item.file?.mimeType ?? null;
}

/** The ingestion-ready item (docs/architecture.md, "Items") for a drive item at `path` in the source. */
export function itemOf(item: GraphItem, path: string, sourceKey: string, parent: string, driveId: string): ConnectorItem {
	const hashes = item.file?.hashes;
	return {
		provider: 'onedrive',
		external_id: item.id,
		source_key: sourceKey,
		name: item.name ?? '',
		path,
		parents: [parent],
		mime: mimeOf(item),
		size: typeof item.size === 'number' ? item.size : null,
		modified_at: item.lastModifiedDateTime ?? null,
		created_at: item.createdDateTime ?? null,
		version: item.eTag ?? null,
		hash: hashes?.quickXorHash ?? hashes?.sha256Hash ?? null,
		url: item.webUrl ?? null,
		change: 'upsert',
		// Graph's item ids are unique within their drive: export downloads from it.
		drive_id: driveId,
	};
}
