/** Notion page objects and database-row properties, shaped like `@notionhq/client`'s responses. */
import type { PageObjectResponse } from '@notionhq/client';
import { signedUrl, text } from './blocks.fixtures';

export type Properties = PageObjectResponse['properties'];

export const ROW_ID = '7a5c0000-0000-4000-8000-00000000a001';
const ADA = {
	object: 'user' as const,
	id: 'a0000000-0000-4000-8000-00000000000a',
	name: 'Ada Lovelace',
	avatar_url: null,
	type: 'person' as const,
	person: { email: 'ada@example.com' },
};
const BOT = { object: 'user' as const, id: 'b0000000-0000-4000-8000-00000000000b' };

export function page(options: {
	id?: string;
	title?: string;
	parent?: 'page' | 'database';
	properties?: Properties;
}): PageObjectResponse {
	const id = options.id ?? '9a9e0000-0000-4000-8000-000000000001';
	return {
		object: 'page',
		id,
		created_time: '2024-02-01T08:30:00.000Z',
		last_edited_time: '2024-03-01T10:00:00.000Z',
		in_trash: false,
		archived: false,
		is_archived: false,
		is_locked: false,
		url: `https://www.notion.so/Page-${id.replace(/-/g, '')}`,
		public_url: null,
		parent:
			options.parent === 'database'
				? {
						type: 'data_source_id',
						data_source_id: 'd5d50000-0000-4000-8000-000000000001',
						database_id: 'dbdb0000-0000-4000-8000-000000000001',
					}
				: { type: 'page_id', page_id: '11111111-2222-4333-8444-555555555555' },
		properties: options.properties ?? { title: { id: 'title', type: 'title', title: [text(options.title ?? 'Untitled')] } },
		icon: null,
		cover: null,
		created_by: BOT,
		last_edited_by: BOT,
	};
}

/** A database row with one property of every type Notion returns. */
export function everyPropertyType(fileSignature = 'sig1'): Properties {
	return {
		Name: { id: 'title', type: 'title', title: [text('Launch: "v2" '), text('plan', { bold: true })] },
		Notes: { id: 'n', type: 'rich_text', rich_text: [text('Line one\nLine two')] },
		Estimate: { id: 'e', type: 'number', number: 3.5 },
		Priority: { id: 'p', type: 'select', select: { id: 's1', name: 'High', color: 'red' } },
		Tags: {
			id: 't',
			type: 'multi_select',
			multi_select: [
				{ id: 'm1', name: 'backend', color: 'blue' },
				{ id: 'm2', name: 'yes', color: 'gray' },
			],
		},
		Status: { id: 'st', type: 'status', status: { id: 'st1', name: 'In progress', color: 'yellow' } },
		Due: { id: 'd', type: 'date', date: { start: '2024-04-01', end: '2024-04-05', time_zone: null } },
		Meeting: { id: 'mt', type: 'date', date: { start: '2024-04-02T09:00:00.000+02:00', end: null, time_zone: 'Europe/Paris' } },
		'Not set': { id: 'ns', type: 'date', date: null },
		Done: { id: 'c', type: 'checkbox', checkbox: false },
		Website: { id: 'u', type: 'url', url: 'https://example.com/launch?x=1#top' },
		Email: { id: 'em', type: 'email', email: 'team@example.com' },
		Phone: { id: 'ph', type: 'phone_number', phone_number: '+1 555 0100' },
		Owner: { id: 'o', type: 'people', people: [ADA, BOT] },
		Related: {
			id: 'r',
			type: 'relation',
			relation: [{ id: 'ae1a0000-0000-4000-8000-000000000001' }, { id: 'ae1a0000-0000-4000-8000-000000000002' }],
		},
		Score: { id: 'f1', type: 'formula', formula: { type: 'number', number: 42 } },
		Label: { id: 'f2', type: 'formula', formula: { type: 'string', string: '#1: ready' } },
		Overdue: { id: 'f3', type: 'formula', formula: { type: 'boolean', boolean: true } },
		Next: { id: 'f4', type: 'formula', formula: { type: 'date', date: { start: '2024-05-01', end: null, time_zone: null } } },
		Total: { id: 'r1', type: 'rollup', rollup: { type: 'number', number: 12, function: 'sum' } },
		Latest: {
			id: 'r2',
			type: 'rollup',
			rollup: { type: 'date', date: { start: '2024-03-30', end: null, time_zone: null }, function: 'latest_date' },
		},
		Titles: {
			id: 'r3',
			type: 'rollup',
			rollup: {
				type: 'array',
				array: [
					{ type: 'title', title: [text('Sub A')] },
					{ type: 'number', number: 7 },
				],
				function: 'show_original',
			},
		},
		Created: { id: 'ct', type: 'created_time', created_time: '2024-02-01T08:30:00.000Z' },
		Author: { id: 'cb', type: 'created_by', created_by: ADA },
		Edited: { id: 'lt', type: 'last_edited_time', last_edited_time: '2024-03-01T10:00:00.000Z' },
		Editor: { id: 'lb', type: 'last_edited_by', last_edited_by: BOT },
		Attachments: {
			id: 'fl',
			type: 'files',
			files: [
				{ name: 'brief.pdf', type: 'file', file: { url: signedUrl('brief.pdf', fileSignature), expiry_time: '2024-03-01T11:00:00.000Z' } },
				{ name: 'Mock-up', type: 'external', external: { url: 'https://figma.com/file/abc' } },
			],
		},
		ID: { id: 'ui', type: 'unique_id', unique_id: { prefix: 'TASK', number: 42 } },
		Verified: {
			id: 'v',
			type: 'verification',
			verification: { state: 'verified', verified_by: ADA, date: { start: '2024-03-01', end: '2024-06-01', time_zone: null } },
		},
		Action: { id: 'b', type: 'button', button: {} },
	};
}
