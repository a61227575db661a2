import { renderProperties, renderPropertiesChecked } from '../../../../../lib/providers/notion/markdown';
import { signedUrl } from './blocks.fixtures';
import { everyPropertyType, type Properties } from './pages.fixtures';

describe('renderProperties', () => {
	it('turns every property type into a plain JSON value', () => {
		expect(renderProperties(everyPropertyType())).toEqual({
			Attachments: [
				{ name: 'brief.pdf', url: signedUrl('brief.pdf').split('?')[0] },
				{ name: 'Mock-up', url: 'https://figma.com/file/abc' },
			],
			Author: { id: 'a0000000-0000-4000-8000-00000000000a', name: 'Ada Lovelace', email: 'ada@example.com' },
			Created: '2024-02-01T08:30:00.000Z',
			Done: false,
			Due: { start: '2024-04-01', end: '2024-04-05', time_zone: null },
			Edited: '2024-03-01T10:00:00.000Z',
			Editor: { id: 'b0000000-0000-4000-8000-00000000000b' },
			Email: 'team@example.com',
			Estimate: 3.5,
			ID: 'TASK-42',
			Label: '#1: ready',
			Latest: { start: '2024-03-30', end: null, time_zone: null },
			Meeting: { start: '2024-04-02T09:00:00.000+02:00', end: null, time_zone: 'Europe/Paris' },
			Name: 'Launch: "v2" plan',
			Next: { start: '2024-05-01', end: null, time_zone: null },
			'Not set': null,
			Notes: 'Line one\nLine two',
			Overdue: true,
			Owner: [
				{ id: 'a0000000-0000-4000-8000-00000000000a', name: 'Ada Lovelace', email: 'ada@example.com' },
				{ id: 'b0000000-0000-4000-8000-00000000000b' },
			],
			Phone: '+1 555 0100',
			Priority: 'High',
			Related: ['ae1a0000-0000-4000-8000-000000000001', 'ae1a0000-0000-4000-8000-000000000002'],
			Score: 42,
			Status: 'In progress',
			Tags: ['backend', 'yes'],
			Titles: ['Sub A', 7],
			Total: 12,
			Verified: {
				state: 'verified',
				verified_by: { id: 'a0000000-0000-4000-8000-00000000000a', name: 'Ada Lovelace', email: 'ada@example.com' },
				date: { start: '2024-03-01', end: '2024-06-01', time_zone: null },
			},
			Website: 'https://example.com/launch?x=1#top',
		});
	});

	it('leaves out buttons, which hold no data', () => {
		expect(renderProperties(everyPropertyType())).not.toHaveProperty('Action');
	});

	it('orders properties by name whatever order Notion returns them in', () => {
		const properties = everyPropertyType();
		const reversed: Properties = Object.fromEntries(Object.entries(properties).reverse());
		expect(Object.keys(renderProperties(reversed))).toEqual(Object.keys(renderProperties(properties)));
		expect(Object.keys(renderProperties(properties)).slice(0, 4)).toEqual(['Attachments', 'Author', 'Created', 'Done']);
	});

	it('writes empty values as null or an empty list, never leaving the property out', () => {
		const empty: Properties = {
			Select: { id: 's', type: 'select', select: null },
			Status: { id: 'st', type: 'status', status: null },
			Number: { id: 'n', type: 'number', number: null },
			Url: { id: 'u', type: 'url', url: null },
			Tags: { id: 't', type: 'multi_select', multi_select: [] },
			People: { id: 'p', type: 'people', people: [] },
			Verification: { id: 'v', type: 'verification', verification: { state: 'unverified', date: null, verified_by: null } },
			Formula: { id: 'f', type: 'formula', formula: { type: 'string', string: null } },
			Unsupported: { id: 'r', type: 'rollup', rollup: { type: 'unsupported', unsupported: {}, function: 'count' } },
			Id: { id: 'i', type: 'unique_id', unique_id: { prefix: null, number: 7 } },
		};
		expect(renderProperties(empty)).toEqual({
			Formula: null,
			Id: 7,
			Number: null,
			People: [],
			Select: null,
			Status: null,
			Tags: [],
			Unsupported: null,
			Url: null,
			Verification: { state: 'unverified', verified_by: null, date: null },
		});
	});

	it('links Notion-hosted files in file properties to the page, never to their expiring signed URL', () => {
		const files = renderProperties(everyPropertyType('sig-A'), { hostedFileUrl: 'https://www.notion.so/Row-1' }).Attachments;
		expect(files).toEqual([
			{ name: 'brief.pdf', url: 'https://www.notion.so/Row-1' },
			{ name: 'Mock-up', url: 'https://figma.com/file/abc' },
		]);
		expect(renderProperties(everyPropertyType('sig-B'), { hostedFileUrl: 'https://www.notion.so/Row-1' }).Attachments).toEqual(files);
	});

	it('strips the signature from hosted file URLs when no page URL is given', () => {
		const [brief] = renderProperties(everyPropertyType('sig-A')).Attachments as Array<{ url: string }>;
		expect(brief.url).toBe(
			'https://prod-files-secure.s3.us-west-2.amazonaws.com/5e5e0000-0000-4000-8000-000000000005/f1e00000-0000-4000-8000-000000000001/brief.pdf',
		);
	});

	it('renders the other properties when one value is malformed, naming the one it could not read', () => {
		const properties = { ...everyPropertyType('sig-A'), Broken: { id: 'x', type: 'multi_select', multi_select: null } } as unknown as Parameters<
			typeof renderPropertiesChecked
		>[0];
		const { values, unreadable } = renderPropertiesChecked(properties);
		expect(unreadable).toEqual(['Broken']);
		expect(values.Attachments).toHaveLength(2);
		expect(Object.keys(values)).not.toContain('Broken');
	});
});
