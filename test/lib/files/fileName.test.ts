import { safeFileName } from '../../../lib/files/fileName';

describe('safeFileName', () => {
	it('replaces path separators and control characters, keeps the rest', () => {
		expect(safeFileName('a/b\\c\u0001d: plan', 'txt')).toBe('a_b_c_d: plan.txt');
	});

	it('does not repeat an extension the name already has', () => {
		expect(safeFileName('notes.TXT', 'txt')).toBe('notes.TXT');
	});

	it('prefixes names Windows reserves and names empty ones', () => {
		expect(safeFileName('CON', 'pdf')).toBe('_CON.pdf');
		expect(safeFileName('  ', 'csv')).toBe('untitled.csv');
	});

	it('trims the name to 200 characters before adding the extension', () => {
		expect(safeFileName('x'.repeat(300), 'md')).toBe(`${'x'.repeat(200)}.md`);
	});
});
