import { isInWindow, windowStart } from '../../../../../lib/providers/notion/listing/window';

describe('the incremental read window', () => {
	it('starts at the minute the last read began, minus the overlap', () => {
		expect(windowStart('2025-01-01T10:05:45.123Z', 2)).toBe('2025-01-01T10:03:00.000Z');
		expect(windowStart('2025-01-01T10:05:00.000Z', 2)).toBe('2025-01-01T10:03:00.000Z');
		expect(windowStart('2025-01-01T00:00:30.000Z', 5)).toBe('2024-12-31T23:55:00.000Z');
	});

	it('with no overlap still re-reads an edit stamped in the minute of the last read', () => {
		const since = windowStart('2025-01-01T10:05:30.000Z', 0);
		// Edited at 10:05:50, after the read: Notion stamps it 10:05.
		expect(isInWindow('2025-01-01T10:05:00.000Z', since)).toBe(true);
		expect(isInWindow('2025-01-01T10:04:00.000Z', since)).toBe(false);
	});

	it('compares instants, not strings', () => {
		expect(isInWindow('2025-01-01T10:03:00Z', '2025-01-01T10:03:00.000Z')).toBe(true);
		expect(isInWindow('2025-01-01T10:02:59.999Z', '2025-01-01T10:03:00.000Z')).toBe(false);
	});
});
