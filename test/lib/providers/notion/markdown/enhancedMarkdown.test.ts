import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderMarkdown, type BlockNode } from '../../../../../lib/providers/notion/markdown';
import { fillUnknown, parseEnhancedMarkdown, parseRichText } from '../../../../../lib/providers/notion/markdown/enhanced';
import { blockToEnhancedMarkdown, blocksToEnhancedMarkdown } from '../../../../fakes/notionMarkdown';
import { bullet, paragraph, resetIds } from './blocks.fixtures';
import { context, kitchenSink, SYNCED_ORIGINAL } from './goldenPages.fixtures';
import { everyPropertyType, page, ROW_ID } from './pages.fixtures';

const golden = (name: string): string => readFileSync(join(__dirname, 'golden', name), 'utf8');

/** What the endpoint answers for a page: synced references show their original's content in place. */
function asServed(blocks: readonly BlockNode[]): BlockNode[] {
	return blocks.map((node) => {
		if (node.block.type === 'synced_block' && node.block.synced_block.synced_from !== null) {
			const original = node.block.synced_block.synced_from.block_id === SYNCED_ORIGINAL ? context.resolveSyncedBlock?.(SYNCED_ORIGINAL) : undefined;
			return { block: { ...node.block, synced_block: { synced_from: null, children: [] } } as BlockNode['block'], children: original ?? [] };
		}
		return { block: node.block, children: asServed(node.children) };
	});
}

beforeEach(resetIds);

describe('enhanced Markdown → the block renderer', () => {
	it('gives the golden Markdown of the kitchen-sink page, except the differences the README lists', () => {
		const kitchen = page({ title: 'Kitchen sink: all "blocks"' });
		const served = blocksToEnhancedMarkdown(asServed(kitchenSink()), { pageUrl: kitchen.url });
		const parsed = parseEnhancedMarkdown(served.markdown);
		const viaEndpoint = renderMarkdown(kitchen, parsed.blocks, context).markdown;
		// The two differences the README lists: the format names no blocks (a hosted file links to its
		// page, without the block anchor) and has no code caption.
		const expected = golden('kitchen-sink.md')
			.replace(/(\(https:\/\/www\.notion\.so\/Page-[0-9a-f]{32})#[0-9a-z]+\)/g, '$1)')
			.replace('Fence inside code\n\n', '');
		expect(viaEndpoint).toBe(expected);
		expect(golden('kitchen-sink.md')).not.toBe(expected);
	});

	it("gives the golden Markdown of a database row (its properties come from the page, not the endpoint)", () => {
		const row = page({ id: ROW_ID, parent: 'database', properties: everyPropertyType() });
		const served = blocksToEnhancedMarkdown([paragraph('Row body.')], { pageUrl: row.url });
		expect(renderMarkdown(row, parseEnhancedMarkdown(served.markdown).blocks).markdown).toBe(golden('database-row.md'));
	});

	it('leaves <unknown> placeholders for a truncated answer and completes the page from their subtrees', () => {
		const blocks = [bullet('one'), bullet('two', bullet('nested')), paragraph('three')];
		const served = blocksToEnhancedMarkdown(blocks, { pageUrl: 'https://www.notion.so/p', maxBlocks: 1 });
		expect(served.truncated).toBe(true);
		const parsed = parseEnhancedMarkdown(served.markdown);
		expect(parsed.unknown.map((ref) => ref.id)).toEqual(served.unknownBlockIds);
		for (const [index, ref] of parsed.unknown.entries()) {
			const subtree = blockToEnhancedMarkdown(blocks[index + 1], { pageUrl: 'https://www.notion.so/p' });
			fillUnknown(ref, parseEnhancedMarkdown(subtree.markdown).blocks);
		}
		const complete = renderMarkdown(page({ title: 'T' }), parsed.blocks).markdown;
		expect(complete).toBe(renderMarkdown(page({ title: 'T' }), blocks).markdown);
		expect(complete).toContain('  - nested');
	});

	it('reads inline marks, links, math, mentions and escapes as Notion rich text', () => {
		const items = parseRichText('a **b *c*** \\* [l](https://x.y) $x^2$ <span underline="true">u</span> <mention-page url="https://www.notion.so/0123456789abcdef0123456789abcdef">P</mention-page><br>n');
		expect(items.map((item) => [item.type, item.plain_text, item.annotations.bold, item.annotations.italic])).toEqual([
			['text', 'a ', false, false],
			['text', 'b ', true, false],
			['text', 'c', true, true],
			['text', ' * ', false, false],
			['text', 'l', false, false],
			['text', ' ', false, false],
			['equation', 'x^2', false, false],
			['text', ' ', false, false],
			['text', 'u', false, false],
			['text', ' ', false, false],
			['mention', 'P', false, false],
			['text', '\nn', false, false],
		]);
		expect(items[4].href).toBe('https://x.y');
		expect(items[8].annotations.underline).toBe(true);
	});
});
