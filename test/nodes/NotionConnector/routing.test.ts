import { NodeOperationError, type INode, type INodeExecutionData } from 'n8n-workflow';

import { routeExportResults } from '../../../nodes/shared/exportOutputs';

const node = { name: 'Notion Connector', type: 'notionConnector', typeVersion: 1, parameters: {} } as unknown as INode;
const items: INodeExecutionData[] = ['a', 'b', 'c', 'd'].map((external_id) => ({ json: { external_id, change: 'upsert' } }));
const exported = (itemIndex: number): INodeExecutionData => ({
	json: { ...items[itemIndex].json, export_format: 'md' },
	pairedItem: { item: itemIndex },
});

describe('Notion Connector export output routing', () => {
	const settled = [
		{ output: 0 as const, item: exported(0) },
		{ output: 1 as const, item: { json: { external_id: 'b', skip_reason: 'policy_path' }, pairedItem: { item: 1 } } },
		{ error: new NodeOperationError(node, 'Notion page c was not found or is not shared with this integration'), itemIndex: 2 },
		{ output: 0 as const, item: exported(3) },
	];

	it('sends exported pages to main and refused ones to Skipped, in input order', () => {
		const [main, skipped] = routeExportResults(settled.filter((r) => !('error' in r)), items, { continueOnFail: false, errorOutput: false });
		expect(main.map((i) => i.json.external_id)).toEqual(['a', 'd']);
		expect(skipped.map((i) => i.json.external_id)).toEqual(['b']);
	});

	it('turns a failed page into an item with its error on main when the node continues on failure', () => {
		const [main, skipped] = routeExportResults(settled, items, { continueOnFail: true, errorOutput: false });
		expect(main.map((i) => [i.json.external_id, i.json.error ?? null])).toEqual([
			['a', null],
			['c', 'Notion page c was not found or is not shared with this integration'],
			['d', null],
		]);
		expect(main[1].pairedItem).toEqual({ item: 2 });
		expect(skipped).toHaveLength(1);
	});

	it('fails the node with the first failure otherwise', () => {
		expect(() => routeExportResults(settled, items, { continueOnFail: false, errorOutput: false })).toThrow(/page c was not found/);
	});

	it('leaves only the error in a failed item when n8n routes it to the error output', () => {
		const [main] = routeExportResults(settled, items, { continueOnFail: true, errorOutput: true });
		expect(main[1]).toEqual({
			json: { error: 'Notion page c was not found or is not shared with this integration' },
			pairedItem: { item: 2 },
		});
		expect(main[0].json.export_format).toBe('md');
	});
});
