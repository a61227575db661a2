import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

/**
 * The item a given upstream node emitted for each input item, found through
 * n8n's item lineage (paired items), so a node can recover data that nodes in
 * between replaced (an HTTP Request node replaces the whole JSON).
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
		return proxy.$getPairedItem(ancestorName, source, paired);
	});
}

function firstPairedItem(pairedItem: INodeExecutionData['pairedItem'], index: number): IPairedItemData {
	if (pairedItem === undefined) return { item: index };
	if (typeof pairedItem === 'number') return { item: pairedItem };
	if (Array.isArray(pairedItem)) return pairedItem[0] ?? { item: index };
	return pairedItem;
}
