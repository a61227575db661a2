import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { InvalidInputError } from '../../../lib/errors';
import { perItem, route, type OperationHandler } from '../../../nodes/shared/router';
import { executeContext } from '../support';

const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, index) => ({ json: { index } }));

/** An operation that answers one item per input item, and fails on the items listed in `failOn`. */
function echo(failOn: Record<number, unknown> = {}) {
	const ran: number[] = [];
	const execute = async function (this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
		ran.push(itemIndex);
		if (itemIndex in failOn) throw failOn[itemIndex];
		return [{ json: { echoed: this.getInputData()[itemIndex].json.index }, pairedItem: { item: itemIndex } }];
	};
	return { handler: perItem(execute), ran };
}

describe('node router', () => {
	describe('route', () => {
		it('hands the execution to the operation the parameter names, as `this`', async () => {
			const ctx = executeContext({ parameters: { operation: 'list' } });
			const list: OperationHandler = async function () {
				return [[{ json: { listed: true, called: this === ctx } }]];
			};
			const other: OperationHandler = async () => {
				throw new Error('not this one');
			};
			expect(await route(ctx, { list, other })).toEqual([[{ json: { listed: true, called: true } }]]);
		});

		it.each(['upload', 'constructor', 'toString', '__proto__', ''])('fails the operation %p naming the operations there are', async (operation) => {
			const ctx = executeContext({ parameters: { operation } });
			const run = route(ctx, { browse: async () => [[]], export: async () => [[]] });
			await expect(run).rejects.toBeInstanceOf(NodeOperationError);
			await expect(run).rejects.toMatchObject({
				message: `Unknown operation "${operation}"`,
				description: "This node's operations are browse, export.",
			});
		});

		it("turns an engine error into the node's error, with what to do next", async () => {
			const ctx = executeContext({ parameters: { operation: 'list' } });
			const run = route(ctx, {
				list: async () => {
					throw new InvalidInputError('"x" is not a valid Google Drive folder id', 'Paste the folder URL.');
				},
			});
			await expect(run).rejects.toBeInstanceOf(NodeOperationError);
			await expect(run).rejects.toMatchObject({ message: '"x" is not a valid Google Drive folder id', description: 'Paste the folder URL.' });
		});

		it('keeps an n8n error as n8n made it', async () => {
			const ctx = executeContext({ parameters: { operation: 'list' } });
			const original = new NodeApiError(ctx.getNode(), { message: 'The credential needs to be reconnected' });
			await expect(route(ctx, { list: async () => Promise.reject(original) })).rejects.toBe(original);
		});
	});

	describe('perItem', () => {
		it('runs once per input item, into one output, in order', async () => {
			const { handler, ran } = echo();
			const outputs = await handler.call(executeContext({ items: items(3) }));
			expect(outputs).toEqual([
				[0, 1, 2].map((index) => ({ json: { echoed: index }, pairedItem: { item: index } })),
			]);
			expect(ran).toEqual([0, 1, 2]);
		});

		it('turns a failing item into an item with its error, paired to it, when the node continues on failure', async () => {
			const { handler, ran } = echo({ 1: new InvalidInputError('"x" is not a valid Google Drive folder id') });
			const [output] = await handler.call(executeContext({ items: items(3), continueOnFail: true }));
			expect(output).toEqual([
				{ json: { echoed: 0 }, pairedItem: { item: 0 } },
				{ json: { error: '"x" is not a valid Google Drive folder id' }, pairedItem: { item: 1 } },
				{ json: { echoed: 2 }, pairedItem: { item: 2 } },
			]);
			expect(ran).toEqual([0, 1, 2]);
		});

		it('fails the node with the first failure otherwise, naming the item, and runs no later item', async () => {
			const { handler, ran } = echo({ 1: new Error('socket hang up'), 2: new Error('second failure') });
			const run = handler.call(executeContext({ items: items(4) }));
			await expect(run).rejects.toBeInstanceOf(NodeOperationError);
			await expect(run).rejects.toMatchObject({ message: 'socket hang up', context: { itemIndex: 1 } });
			expect(ran).toEqual([0, 1]);
		});
	});
});
