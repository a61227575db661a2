import { performance } from 'node:perf_hooks';

import { compilePathGlob, MAX_GLOB_ALTERNATIVES, PathGlobError } from '../../../lib/files/pathGlob';
import { itemFilterFor } from '../../../lib/files/itemFilter';
import { matchingPathGlob } from '../../../lib/policy/values';

const matches = (glob: string, path: string, nocase = false) => compilePathGlob(glob, { nocase }).matches(path);

describe('path globs', () => {
	it.each([
		['/HR/**', '/HR/payroll.pdf', true],
		['/HR/**', '/HR/2024/q1/payroll.pdf', true],
		['/HR/**', '/HR', true],
		['/HR/**', '/HRIS/report.pdf', false],
		['**/drafts/**', '/a/b/drafts/c.md', true],
		['**/drafts/**', '/drafts/c.md', true],
		['**/*.tmp', '/x/y/z.tmp', true],
		['**/*.tmp', '/z.tmp', true],
		['/Engineering/*.md', '/Engineering/a.md', true],
		['/Engineering/*.md', '/Engineering/sub/a.md', false],
		['/Shared/?.md', '/Shared/a.md', true],
		['/Shared/?.md', '/Shared/ab.md', false],
		['/Shared/[ab].md', '/Shared/b.md', true],
		['/Shared/[!ab].md', '/Shared/b.md', false],
		['/Shared/[a-c]x', '/Shared/bx', true],
		['/{HR,Legal}/**', '/Legal/contract.pdf', true],
		['/{HR,Legal}/**', '/Finance/contract.pdf', false],
		['/a/**/**/b', '/a/b', true],
		['/*', '/.hidden', true],
		['/Archive\\*', '/Archive*', true],
		['/Archive\\*', '/Archives', false],
	])('%s matching %s: %s', (glob, path, expected) => {
		expect(matches(glob, path)).toBe(expected);
	});

	it('matches NFC and NFD spellings of the same name alike (macOS uploads are NFD)', () => {
		const nfc = '/Rh\u00f4ne/Cr\u00e8me/**';
		const nfd = '/Rho\u0302ne/Cre\u0300me/notes.pdf';
		expect(matches(nfc, nfd)).toBe(true);
		expect(matches(nfd.replace('notes.pdf', '**'), nfc.replace('**', 'notes.pdf'))).toBe(true);
		expect(matchingPathGlob(['/R\u00c9SUM\u00c9S/**'], '/re\u0301sume\u0301s/a.pdf')).toBe('/R\u00c9SUM\u00c9S/**');
	});

	it('ignores case only when asked, as the org policy does', () => {
		expect(matches('/hr/**', '/HR/a.pdf')).toBe(false);
		expect(matches('/hr/**', '/HR/a.pdf', true)).toBe(true);
	});

	it.each([
		['/a/{b,c', 'Missing closing: "}"'],
		['/a/[bc', 'Missing closing: "]"'],
		['/a/@(b|c)', 'extended globs'],
		[`/${'{a,b}'.repeat(7)}`, `more than ${MAX_GLOB_ALTERNATIVES} patterns`],
		[`/${'a'.repeat(1_100)}`, 'longer than 1024 characters'],
	])('refuses %s with a clear reason', (glob, reason) => {
		const error = (() => {
			try {
				compilePathGlob(glob);
			} catch (caught) {
				return caught;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(PathGlobError);
		expect((error as PathGlobError).message).toContain(reason);
	});

	describe('in time proportional to pattern and path, whatever the pattern', () => {
		const name = `${'a'.repeat(60)}`;
		const longSegment = 'a'.repeat(1_000);
		const deepPath = `/${Array.from({ length: 40 }, () => longSegment).join('/')}`;
		const timed = (run: () => unknown) => {
			const started = performance.now();
			run();
			return performance.now() - started;
		};

		it.each(['**/*a*a*a*a*a*a*b', '**/*a*a*a*a*a*a*a*a*b', '/**/*a*a*b/**/*a*a*a*b/**/*a*b'])(
			'matches %s against long paths in well under a second',
			(glob) => {
				expect(timed(() => matches(glob, `/${name}`))).toBeLessThan(100);
				expect(timed(() => matches(glob, deepPath))).toBeLessThan(500);
				expect(matches(glob, deepPath)).toBe(false);
			},
		);

		it("holds for the org policy's deny paths and listing's Exclude Paths", () => {
			const glob = '**/*a*a*a*a*a*a*a*a*b';
			expect(timed(() => matchingPathGlob([glob], deepPath))).toBeLessThan(500);
			expect(timed(() => itemFilterFor({ excludeGlobs: [glob] })(deepPath, null))).toBeLessThan(500);
		});
	});
});
