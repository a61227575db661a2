import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { loadOptionsContext as editorContext, type LoggedCall } from '../support';

export { parameterContext } from '../support';

export const PAGE_ID = '0123456789abcdef0123456789abcdef';
export const DASHED_PAGE_ID = '01234567-89ab-cdef-0123-456789abcdef';

/** The Notion node in the editor, its requests signed with `token` as n8n signs a Bearer credential. */
export function loadOptionsContext(parameters: Record<string, unknown>, token: string, requests: LoggedCall[] = []): ILoadOptionsFunctions {
	return editorContext({
		node: { name: 'Notion Connector', credentials: { notionConnectorApi: { id: 'cred1', name: 'Notion' } } },
		parameters,
		token,
		calls: requests,
	});
}
