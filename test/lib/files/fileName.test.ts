import { safeFileName } from '../../../lib/files/fileName';

describe('safeFileName', () => {
	it('replaces path separators, characters Windows forbids and control characters, keeps the rest', () => {
		expect(safeFileName('a/b\\c\u0001d: plan', 'txt')).toBe('a_b_c_d_ plan.txt');
		expect(safeFileName('q<1>|"2"?*', 'csv')).toBe('q_1___2___.csv');
		expect(safeFileName('bell\u0085next\u009b', 'md')).toBe('bell_next_.md');
		expect(safeFileName('Résumé – été', 'pdf')).toBe('Résumé – été.pdf');
	});

	it('drops bidi overrides and zero-width characters, so a name cannot disguise its extension', () => {
		expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
		expect(safeFileName('re\u200Bport\u2066x\u2069\uFEFF', 'txt')).toBe('reportx.txt');
	});

	it('does not repeat an extension the name already has', () => {
		expect(safeFileName('notes.TXT', 'txt')).toBe('notes.TXT');
	});

	it('prefixes names Windows reserves and names empty ones', () => {
		expect(safeFileName('CON', 'pdf')).toBe('_CON.pdf');
		expect(safeFileName('  ', 'csv')).toBe('untitled.csv');
	});

	it('caps the name at 255 UTF-8 bytes with its extension, never splitting a character', () => {
		expect(safeFileName('x'.repeat(300), 'md')).toBe(`${'x'.repeat(252)}.md`);
		const wide = safeFileName('表'.repeat(300), 'pdf');
		expect(Buffer.byteLength(wide, 'utf8')).toBeLessThanOrEqual(255);
		expect(wide).toBe(`${'表'.repeat(83)}.pdf`);
		expect(Buffer.byteLength(safeFileName('😀'.repeat(200)), 'utf8')).toBe(252);
	});
});
