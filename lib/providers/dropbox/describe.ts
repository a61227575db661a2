/** A Dropbox file by id as Dropbox describes it now, with its path from the root of its space (Export IDs Directly). */
import type { ConnectorItem } from '../../items';
import type { DescribedItem } from '../types';
import { DropboxApiError, type DropboxConnection } from './api';
import { pathRootOf } from './listing';
import { mimeOf, webUrlOf, type Metadata } from './metadata';

/**
 * `namespace_id` of the item says which space the id lives in (the team space's root namespace);
 * without one, the account's own. Dropbox's path_display is the path from that space's root.
 */
export async function describeDropboxItem(connection: DropboxConnection, given: ConnectorItem): Promise<DescribedItem | null> {
	const namespaceId = typeof given.namespace_id === 'string' && given.namespace_id !== '' ? given.namespace_id : null;
	let metadata: Metadata;
	try {
		metadata = await connection.rpc<Metadata>('files/get_metadata', { path: given.external_id }, { pathRoot: pathRootOf(namespaceId) });
	} catch (error) {
		if (error instanceof DropboxApiError && error.is('path', 'not_found')) return null;
		throw error;
	}
	if (metadata['.tag'] !== 'file') return null;
	const path = metadata.path_display ?? metadata.path_lower ?? `/${metadata.name}`;
	return {
		external_id: metadata.id,
		name: metadata.name,
		path,
		mime: mimeOf(metadata),
		size: metadata.size,
		modified_at: metadata.server_modified,
		created_at: null,
		version: metadata.rev,
		hash: metadata.content_hash ?? null,
		url: namespaceId === null ? webUrlOf(metadata.path_display) : null,
		namespace_id: namespaceId,
	};
}
