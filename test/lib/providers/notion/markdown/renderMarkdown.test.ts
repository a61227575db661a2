import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from '../../../../../lib/providers/notion/markdown';
import {
	heading,
	image,
	paragraph,
	resetIds,
	signedUrl,
	withId,
} from './blocks.fixtures';
import { everyPropertyType, page, ROW_ID } from './pages.fixtures';

const GOLDEN_DIR = join(__dirname, 'golden');

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
function expectGolden(name: string, actual: string): void {
	const path = join(GOLDEN_DIR, name);
	if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
	expect(actual).toBe(readFileSync(path, 'utf8'));
}

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

import {
	context,
	kitchenSink,
} from './goldenPages.fixtures';

beforeEach(resetIds);

describe('renderMarkdown', () => {
	it('renders a page with front-matter, its title and every kind of block (golden)', () => {
		const result = renderMarkdown(page({ title: 'Kitchen sink: all "blocks"' }), kitchenSink(), context);
		expectGolden('kitchen-sink.md', result.markdown);
		expect(result.childPages).toEqual([{ id: 'c0c00000-0000-4000-8000-000000000001', title: 'Child page: notes' }]);
		expect(result.childDatabases).toEqual([{ id: 'dbdb0000-0000-4000-8000-000000000001', title: 'Tasks' }]);
		expect(result.files.map((entry) => [entry.kind, entry.name, entry.hosted])).toEqual([
			['image', 'diagram.png', true],
			['file', 'report.pdf', true],
		]);
	});

	it("renders a database row's properties as front-matter (golden)", () => {
		const row = page({ id: ROW_ID, parent: 'database', properties: everyPropertyType() });
		const result = renderMarkdown(row, [paragraph('Row body.')]);
		expectGolden('database-row.md', result.markdown);
		expect(result.frontMatter).toMatchObject({ title: 'Launch: "v2" plan', id: ROW_ID, properties: { Priority: 'High' } });
	});

	it("gives a plain page's front-matter its identity and times, without properties", () => {
		const result = renderMarkdown(page({ title: 'Notes' }), [paragraph('Body')]);
		expect(result.markdown).toBe(
			[
				'---',
				'title: "Notes"',
				'id: "9a9e0000-0000-4000-8000-000000000001"',
				'url: "https://www.notion.so/Page-9a9e0000000040008000000000000001"',
				'created_time: "2024-02-01T08:30:00.000Z"',
				'last_edited_time: "2024-03-01T10:00:00.000Z"',
				'---',
				'',
				'# Notes',
				'',
				'Body',
				'',
			].join('\n'),
		);
	});

	it('escapes Markdown in the title heading and quotes it in the front-matter', () => {
		const result = renderMarkdown({ id: 'p1', title: '*Draft*: [v2] #' }, []);
		expect(result.markdown).toBe('---\ntitle: "*Draft*: [v2] #"\nid: "p1"\n---\n\n# \\*Draft\\*: \\[v2\\] \\#\n');
	});

	it('can leave out the front-matter and the title heading', () => {
		const result = renderMarkdown(page({ title: 'T' }), [paragraph('Only the body')], { frontMatter: false, titleHeading: false });
		expect(result.markdown).toBe('Only the body\n');
		expect(result.frontMatter.title).toBe('T');
	});

	it('renders an empty page as its front-matter and title', () => {
		expect(renderMarkdown({ id: 'p1', title: 'Empty' }, []).markdown).toBe('---\ntitle: "Empty"\nid: "p1"\n---\n\n# Empty\n');
	});

	it('names a page without a title "Untitled"', () => {
		expect(renderMarkdown(page({ properties: {} }), [], { frontMatter: false }).markdown).toBe('# Untitled\n');
	});

	describe('content hash stability', () => {
		it('keeps the Markdown and its hash input identical when only the signed file URLs changed', () => {
			const first = renderMarkdown(page({ title: 'Files' }), kitchenSink('sig-first'), context);
			resetIds();
			const second = renderMarkdown(page({ title: 'Files' }), kitchenSink('sig-second'), context);
			expect(first.markdown).toBe(second.markdown);
			expect(sha256(first.hashInput)).toBe(sha256(second.hashInput));
			expect(first.hashInput).not.toContain('X-Amz-');
			expect(first.files.some((file) => file.url.includes('X-Amz-Signature=sig-first'))).toBe(true);
		});

		it('keeps the hash input identical when the signed URLs in file properties changed', () => {
			const row = (signature: string) => page({ id: ROW_ID, parent: 'database', properties: everyPropertyType(signature) });
			const first = renderMarkdown(row('sig-first'), []);
			const second = renderMarkdown(row('sig-second'), []);
			expect(first.markdown).toBe(second.markdown);
			expect(first.markdown).not.toContain('X-Amz-');
			expect(first.hashInput).toBe(second.hashInput);
		});

		it('changes the hash input when a file is replaced by another upload', () => {
			const withFile = (fileId: string) => [image({ hosted: signedUrl('photo.png', 'sig', fileId) })];
			const before = renderMarkdown({ id: 'p1' }, withFile('f1e00000-0000-4000-8000-000000000001'));
			const after = renderMarkdown({ id: 'p1' }, withFile('f1e00000-0000-4000-8000-000000000009'));
			expect(before.hashInput).not.toBe(after.hashInput);
		});

		it('changes the hash input when the text changed', () => {
			const before = renderMarkdown({ id: 'p1' }, [paragraph('v1')]);
			const after = renderMarkdown({ id: 'p1' }, [paragraph('v2')]);
			expect(sha256(before.hashInput)).not.toBe(sha256(after.hashInput));
		});

		it('links a hosted file to its block on the page, a link that does not expire', () => {
			const result = renderMarkdown(
				{ id: '11111111-2222-4333-8444-555555555555', url: 'https://www.notion.so/Files-11111111222243338444555555555555' },
				[withId(image({ hosted: signedUrl('photo.png', 'sig-live') }), 'b1b10000-0000-4000-8000-000000000001')],
				{ frontMatter: false },
			);
			expect(result.markdown).toBe(
				'# Untitled\n\n![photo.png](https://www.notion.so/Files-11111111222243338444555555555555#b1b10000000040008000000000000001)\n',
			);
			expect(result.files[0].url).toContain('X-Amz-Signature=sig-live');
		});

		it('takes the Markdown itself as the hash input when the page has no hosted files', () => {
			const result = renderMarkdown({ id: 'p1' }, [paragraph('text'), image({ external: 'https://e.com/a.png?sig=1' })]);
			expect(result.hashInput).toBe(result.markdown);
		});
	});

	describe('headings and properties', () => {
		it('shifts body headings one level below the page title', () => {
			const result = renderMarkdown({ id: 'p1', title: 'Guide' }, [heading(1, 'Part'), heading(2, 'Step'), heading(3, 'Detail')], {
				frontMatter: false,
			});
			expect(result.markdown).toBe('# Guide\n\n## Part\n\n### Step\n\n#### Detail\n');
		});

		it('keeps heading levels when the page has no title heading', () => {
			const result = renderMarkdown({ id: 'p1', title: 'Guide' }, [heading(1, 'Part')], { frontMatter: false, titleHeading: false });
			expect(result.markdown).toBe('# Part\n');
		});

		it('renders a page with a malformed property value, noting the property it could not read', () => {
			const properties = { ...everyPropertyType('sig'), Broken: { id: 'x', type: 'people', people: 7 } } as unknown as ReturnType<typeof everyPropertyType>;
			const result = renderMarkdown(page({ id: ROW_ID, parent: 'database', properties }), [paragraph('Body text')]);
			expect(result.markdown).toContain('> [Property "Broken" could not be read]');
			expect(result.markdown).toContain('Body text');
			expect((result.frontMatter.properties as Record<string, unknown>).Attachments).toHaveLength(2);
		});
	});
});
