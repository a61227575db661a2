import { commaList, positiveNumber } from '../../../nodes/shared/parameters';

describe('node parameter parsing', () => {
	it('splits a comma-separated parameter into trimmed, non-empty entries', () => {
		expect(commaList(' pdf, text/* ,,  /HR/** ')).toEqual(['pdf', 'text/*', '/HR/**']);
		expect(commaList('')).toEqual([]);
		expect(commaList(undefined)).toEqual([]);
	});

	it('treats 0, blanks and nonsense as not set', () => {
		expect(positiveNumber(12.5)).toBe(12.5);
		expect(positiveNumber('3')).toBe(3);
		expect(positiveNumber(0)).toBeUndefined();
		expect(positiveNumber(-1)).toBeUndefined();
		expect(positiveNumber('many')).toBeUndefined();
		expect(positiveNumber(undefined)).toBeUndefined();
	});
});
