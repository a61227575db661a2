import { withPolicyCap } from '../../../nodes/shared/connectorOperations';

describe('connector operations', () => {
	describe('withPolicyCap', () => {
		const options = { includeMimeTypes: ['pdf'], excludeGlobs: ['/Archive/**'] };

		it.each([
			[undefined, null, undefined],
			[50, null, 50],
			[undefined, 20, 20],
			[50, 20, 20],
			[10, 20, 10],
			[20, 20, 20],
		])('caps items per run at the smaller of the node (%p) and the policy (%p): %p', (maxItems, maxFilesPerRun, expected) => {
			expect(withPolicyCap({ ...options, maxItems }, { maxFilesPerRun })).toEqual({ ...options, maxItems: expected });
		});

		it("keeps the node's filters and leaves the options it was given alone", () => {
			const given = { ...options, maxItems: 50 };
			const capped = withPolicyCap(given, { maxFilesPerRun: 5 });
			expect(capped).toEqual({ ...options, maxItems: 5 });
			expect(given.maxItems).toBe(50);
		});
	});
});
