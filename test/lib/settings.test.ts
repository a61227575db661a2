import { retryBudgetMs } from '../../lib/settings';

describe('retryBudgetMs', () => {
	it('gives requests two minutes of retries by default', () => {
		expect(retryBudgetMs({})).toBe(120_000);
		expect(retryBudgetMs({ CONNECTORS_RETRY_BUDGET_SECONDS: ' ' })).toBe(120_000);
	});

	it('reads CONNECTORS_RETRY_BUDGET_SECONDS in seconds, decimals and zero allowed', () => {
		expect(retryBudgetMs({ CONNECTORS_RETRY_BUDGET_SECONDS: '300' })).toBe(300_000);
		expect(retryBudgetMs({ CONNECTORS_RETRY_BUDGET_SECONDS: '1.5' })).toBe(1500);
		expect(retryBudgetMs({ CONNECTORS_RETRY_BUDGET_SECONDS: '0' })).toBe(0);
	});

	it.each(['-1', 'two minutes', 'Infinity'])('refuses %s, naming the variable', (value) => {
		expect(() => retryBudgetMs({ CONNECTORS_RETRY_BUDGET_SECONDS: value })).toThrow(/CONNECTORS_RETRY_BUDGET_SECONDS must be a number of seconds/);
	});
});
