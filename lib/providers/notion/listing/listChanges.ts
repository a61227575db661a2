import type { Client } from '@notionhq/client';

import type { ListChangesInput, ListChangesResult } from '../../types';
import type { NotionListOptions, NotionSource } from './source';

export async function listNotionChanges(
	input: ListChangesInput<NotionSource> & { client: Client; accountId: string; notion?: NotionListOptions },
): Promise<ListChangesResult> {
	void input;
	throw new Error('listNotionChanges: not implemented yet');
}
