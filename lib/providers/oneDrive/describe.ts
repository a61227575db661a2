/** A OneDrive or SharePoint file by id as Graph describes it now, with its path from the drive's root (Export IDs Directly). */
import type { ConnectorItem } from '../../items';
import type { DescribedItem } from '../types';
import type { OneDriveConnection } from './connection';
import { GraphError } from './errors';
import { ITEM_SELECT, segment, type GraphItem } from './graph';
import { MY_DRIVE } from './ids';
import { drivePath, isFolder, itemOf } from './listing/graphListing';

/** `/drive/root:/A%20B/C` (percent-encoded, as Graph writes parentReference.path) → `/A B/C`; null when the item is not below a drive root. */
function pathBelowRoot(parentPath: string | undefined): string | null {
	const at = parentPath?.indexOf('root:') ?? -1;
	if (parentPath === undefined || at === -1) return null;
	return parentPath
		.slice(at + 'root:'.length)
		.split('/')
		.filter((name) => name !== '')
		.map((name) => `/${decodeURIComponent(name)}`)
		.join('');
}

/** `drive_id` of the item says which drive holds the id (Graph ids are unique per drive); without it, the user's own OneDrive. */
export async function describeOneDriveItem({ graph }: OneDriveConnection, given: ConnectorItem): Promise<DescribedItem | null> {
	const driveId = typeof given.drive_id === 'string' && given.drive_id !== '' ? given.drive_id : MY_DRIVE;
	let item: GraphItem;
	try {
		item = await graph.get<GraphItem>(`${drivePath(driveId)}/items/${segment(given.external_id)}`, { $select: ITEM_SELECT }, `item ${given.external_id}`);
	} catch (error) {
		if (error instanceof GraphError && (error.status === 404 || error.status === 403)) return null;
		throw error;
	}
	if (item.deleted !== undefined || isFolder(item)) return null;
	const folder = pathBelowRoot(item.parentReference?.path) ?? '';
	return itemOf(item, `${folder}/${item.name ?? ''}`, '', item.parentReference?.id ?? '', driveId);
}
