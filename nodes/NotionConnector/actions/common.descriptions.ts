import type { INodeProperties } from 'n8n-workflow';

import { COMPACT_ID_PATTERN as HEX_ID, DASHED_ID_PATTERN as DASHED_ID } from '../../../lib/providers/notion';

/** A page or database id as Notion shows it: 32 hex digits, with or without dashes. */
export const NOTION_ID_REGEX = `^(?:${HEX_ID}|${DASHED_ID})$`;

/**
 * A notion.so or <workspace>.notion.site link to a page or database: the id ends the path (after
 * an optional title slug). The node reads the id out of the whole URL (parseNotionId), which
 * also knows `?p=` (a page opened over a database) and ignores `?v=` views and `#block` anchors.
 */
export const NOTION_URL_REGEX = `^https?://(?:[\\w-]+\\.)*notion\\.(?:so|site)/(?:[^?#\\s]*[/-])?(${HEX_ID}|${DASHED_ID})(?:[?#]\\S*)?$`;

function notionLocator(what: 'page' | 'database', name: string, searchListMethod: string): INodeProperties {
	const Title = what === 'page' ? 'Page' : 'Database';
	return {
		displayName: Title,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: `The ${what}; it must be shared with the integration (directly or through a parent page)`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder:
					what === 'page'
						? 'https://www.notion.so/acme/Handbook-0123456789abcdef0123456789abcdef'
						: 'https://www.notion.so/0123456789abcdef0123456789abcdef?v=…',
				validation: [
					{ type: 'regex', properties: { regex: NOTION_URL_REGEX, errorMessage: `Not a Notion ${what} URL` } },
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '0123456789abcdef0123456789abcdef',
				validation: [
					{ type: 'regex', properties: { regex: NOTION_ID_REGEX, errorMessage: `Not a Notion ${what} ID` } },
				],
			},
		],
	};
}

export const pageLocator = (name: string): INodeProperties => notionLocator('page', name, 'searchPages');

export const databaseLocator = (name: string): INodeProperties => notionLocator('database', name, 'searchDatabases');
