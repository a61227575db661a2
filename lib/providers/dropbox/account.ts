import type { DropboxConnection } from './api';

/** What users/get_current_account says of the account: who it is and where its team space is. */
export interface DropboxAccount {
	account_id: string;
	email: string;
	name?: { display_name?: string };
	/** `team` (a team with a shared root) or `user`; the root namespace is the team space when it differs from home. */
	root_info: { '.tag': 'team' | 'user'; root_namespace_id: string; home_namespace_id: string; home_path?: string };
	team?: { id: string; name: string };
}

export async function currentAccount(connection: DropboxConnection, signal?: AbortSignal): Promise<DropboxAccount> {
	return await connection.rpc<DropboxAccount>('users/get_current_account', null, { signal });
}

/** Whether the account has a team space above its home folder (root and home namespaces differ). */
export function hasTeamSpace(account: DropboxAccount): boolean {
	return account.root_info.root_namespace_id !== account.root_info.home_namespace_id;
}
