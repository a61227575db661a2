import { assertAccountAllowed, type OrgPolicy } from '../policy';
import type { ConnectorProvider, ProviderAccount } from '../providers/types';

const MAX_REMEMBERED_ACCOUNTS = 200;
const accounts = new Map<string, Promise<ProviderAccount>>();

export interface AccountScope {
	executionId: string;
	/** The n8n credential in use (type and id): one credential's verdict never answers for another's. */
	credentialKey: string;
}

/**
 * The connected account, asked once per credential and execution and checked against the policy
 * on every call: a disallowed account fails with a message naming it and the allowed domains or
 * workspaces.
 */
export async function checkAccount<Connection>(
	policy: OrgPolicy,
	provider: Pick<ConnectorProvider<Connection>, 'id' | 'account'>,
	connection: Connection,
	scope: AccountScope,
): Promise<ProviderAccount> {
	const key = [provider.id, scope.executionId, scope.credentialKey].join('\u0000');
	let account = accounts.get(key);
	if (account === undefined) {
		account = provider.account(connection);
		accounts.set(key, account);
		const asked = account;
		// A failed lookup is not remembered (unless a newer lookup has taken its place since).
		asked.catch(() => {
			if (accounts.get(key) === asked) accounts.delete(key);
		});
		if (accounts.size > MAX_REMEMBERED_ACCOUNTS) accounts.delete(accounts.keys().next().value as string);
	}
	const facts = await account;
	assertAccountAllowed(policy, provider.id, facts);
	return facts;
}

/** Whether the policy has account rules for the provider at all (else export need not ask who the account is). */
export function hasAccountRules(policy: OrgPolicy, provider: Pick<ConnectorProvider, 'workspaceRule'>): boolean {
	return policy.allowedAccountDomains !== null || (provider.workspaceRule && policy.allowedNotionWorkspaces !== null);
}
