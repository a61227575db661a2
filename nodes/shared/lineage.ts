import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

/**
 * The item a given upstream node emitted for each input item, found through
 * n8n's item lineage (paired items), so a node can recover data that nodes in
 * between replaced (an HTTP Request node replaces the whole JSON). `null` for an
 * item whose lineage does not lead there.
 */
export function pairedItemsFrom(
	ctx: IExecuteFunctions,
	ancestorName: string,
	items: INodeExecutionData[],
): Array<INodeExecutionData | null> {
	const proxy = ctx.getWorkflowDataProxy(0);
	const source = ctx.getInputSourceData(0);
	return items.map((item, index) => {
		const paired = firstPairedItem(item.pairedItem, index);
		try {
			return proxy.$getPairedItem(ancestorName, source, paired) ?? null;
		} catch {
			// n8n throws when the lineage breaks; the caller names the item and says how to fix it.
			return null;
		}
	});
}

function firstPairedItem(pairedItem: INodeExecutionData['pairedItem'], index: number): IPairedItemData {
	if (pairedItem === undefined) return { item: index };
	if (typeof pairedItem === 'number') return { item: pairedItem };
	if (Array.isArray(pairedItem)) return pairedItem[0] ?? { item: index };
	return pairedItem;
}
