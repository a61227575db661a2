import { PolicyViolationError } from '../../../lib/policy';
import { checkAccount, hasAccountRules } from '../../../lib/sync';
import { FakeProvider } from './fakeProvider';
import { policyWith } from './support';

describe('checkAccount', () => {
	const onlyExample = policyWith({ allowedAccountDomains: ['example.com'] });
	let fake: FakeProvider;
	// The memo outlives a test: each test is its own execution.
	let executionId: string;
	let executions = 0;

	beforeEach(() => {
		fake = new FakeProvider();
		fake.accounts = {
			'cred-alice': { accountId: 'alice@example.com', email: 'alice@example.com' },
			'cred-bob': { accountId: 'bob@other.com', email: 'bob@other.com' },
		};
		executionId = `exec-accounts-${++executions}`;
	});

	const checkAs = async (credentialKey: string, policy = onlyExample) =>
		await checkAccount(policy, fake, { credentialKey }, { executionId, credentialKey });

	it('asks the provider for each credential of an execution, and each gets its own verdict', async () => {
		await expect(checkAs('cred-alice')).resolves.toMatchObject({ email: 'alice@example.com' });
		await expect(checkAs('cred-bob')).rejects.toThrow(PolicyViolationError);
		await expect(checkAs('cred-bob')).rejects.toThrow(/bob@other\.com is not in a domain the org policy allows \(allowed: example\.com\)/);
		await expect(checkAs('cred-alice')).resolves.toMatchObject({ email: 'alice@example.com' });
		expect(fake.accountCalls).toEqual(['cred-alice', 'cred-bob']);
	});

	it('asks once per credential and execution, however often it is checked', async () => {
		await Promise.all([checkAs('cred-alice'), checkAs('cred-alice')]);
		await checkAs('cred-alice');
		expect(fake.accountCalls).toEqual(['cred-alice']);
	});

	it('asks again in another execution', async () => {
		await checkAs('cred-alice');
		executionId = `${executionId}-next`;
		await checkAs('cred-alice');
		expect(fake.accountCalls).toEqual(['cred-alice', 'cred-alice']);
	});

	it('checks the remembered account against the policy of each call', async () => {
		await checkAs('cred-alice');
		await expect(checkAs('cred-alice', policyWith({ allowedAccountDomains: ['corp.example.org'] }))).rejects.toThrow(PolicyViolationError);
		expect(fake.accountCalls).toEqual(['cred-alice']);
	});

	it('does not remember a lookup that failed', async () => {
		fake.failAccountOnce(new Error('Fake Drive answered 503'));
		await expect(checkAs('cred-alice')).rejects.toThrow('Fake Drive answered 503');
		await expect(checkAs('cred-alice')).resolves.toMatchObject({ email: 'alice@example.com' });
		expect(fake.accountCalls).toEqual(['cred-alice', 'cred-alice']);
	});
});

describe('hasAccountRules', () => {
	it('is true with allowed domains, or allowed workspaces for a provider they apply to', () => {
		const workspaces = policyWith({ allowedNotionWorkspaces: ['3f1c2b0e-9d8a-4c7b-8e6f-5a4b3c2d1e0f'] });
		expect(hasAccountRules(policyWith(), { workspaceRule: true })).toBe(false);
		expect(hasAccountRules(policyWith({ allowedAccountDomains: ['example.com'] }), { workspaceRule: false })).toBe(true);
		expect(hasAccountRules(workspaces, { workspaceRule: true })).toBe(true);
		expect(hasAccountRules(workspaces, { workspaceRule: false })).toBe(false);
	});
});
