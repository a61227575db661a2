import { frontMatterBlock, toYaml } from '../../../../../lib/providers/notion/markdown';

describe('toYaml', () => {
	it.each([
		['Plain title', '"Plain title"'],
		['Ratio: 3:1', '"Ratio: 3:1"'],
		['Say "hi"', '"Say \\"hi\\""'],
		['- leading dash', '"- leading dash"'],
		['# not a comment', '"# not a comment"'],
		['first\nsecond', '"first\\nsecond"'],
		['yes', '"yes"'],
		['2024-01-01', '"2024-01-01"'],
		['0x1F', '"0x1F"'],
		['back\\slash', '"back\\\\slash"'],
		['tab\there', '"tab\\there"'],
		['line\u2028separator', '"line\\u2028separator"'],
		['del\u007f', '"del\\u007f"'],
		['émoji 💡', '"émoji 💡"'],
		['', '""'],
	])('double-quotes the string %j so it reads back unchanged', (value, yaml) => {
		expect(toYaml({ title: value })).toBe(`title: ${yaml}`);
	});

	it('writes numbers, booleans and null as YAML scalars', () => {
		expect(toYaml({ count: 3.5, zero: -0, yes: true, no: false, none: null })).toBe(
			'count: 3.5\nzero: 0\n"yes": true\n"no": false\nnone: null',
		);
	});

	it('quotes keys that are not simple words', () => {
		expect(toYaml({ 'Due date': 1, 'a: b': 2, '#tag': 3, simple_key: 4, '2024': 5 })).toBe(
			'"2024": 5\n"Due date": 1\n"a: b": 2\n"#tag": 3\nsimple_key: 4',
		);
	});

	it('writes lists and maps in block style, empty ones inline', () => {
		expect(
			toYaml({
				tags: ['a', 'b'],
				people: [{ id: '1', name: 'Ada' }, { id: '2' }],
				nested: { date: { start: '2024-01-01', end: null } },
				matrix: [[1, 2], []],
				empty: [],
				blank: {},
			}),
		).toBe(
			[
				'tags:',
				'  - "a"',
				'  - "b"',
				'people:',
				'  - id: "1"',
				'    name: "Ada"',
				'  - id: "2"',
				'nested:',
				'  date:',
				'    start: "2024-01-01"',
				'    end: null',
				'matrix:',
				'  - - 1',
				'    - 2',
				'  - []',
				'empty: []',
				'blank: {}',
			].join('\n'),
		);
	});

	it('wraps front-matter in --- fences', () => {
		expect(frontMatterBlock({ title: 'T' })).toBe('---\ntitle: "T"\n---');
	});
});
