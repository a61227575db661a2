import type { Client } from '@notionhq/client';
import type { IExecuteFunctions } from 'n8n-workflow';

import { notionAccount, type NotionAccount } from '../../../lib/providers/notion';
import { credentialIdentity, credentialType } from '../transport';

const KEPT_ENTRIES = 64;
const accounts = new Map<string, Promise<NotionAccount>>();

/**
 * The integration's bot, workspace and owner, asked once per credential and execution
 * (one `users/me`), however many items or sources the execution lists.
 */
export async function accountFor(ctx: IExecuteFunctions, client: Client): Promise<NotionAccount> {
	const key = `${ctx.getExecutionId()}|${credentialIdentity(ctx, credentialType(ctx))}`;
	const known = accounts.get(key);
	if (known) return await known;
	const account = notionAccount(client);
	accounts.set(key, account);
	// A failed lookup is not remembered: the next item or run asks again.
	account.catch(() => accounts.delete(key));
	while (accounts.size > KEPT_ENTRIES) accounts.delete(accounts.keys().next().value as string);
	return await account;
}

/** What identifies the account in source keys: the workspace, which outlives a reconnected OAuth2 credential's bot. */
export function accountIdOf(account: NotionAccount): string {
	return account.workspaceId ?? account.botId;
}
