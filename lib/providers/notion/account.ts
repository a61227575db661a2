import type { Client, GetSelfResponse } from '@notionhq/client';

export interface NotionAccount {
	botId: string;
	workspaceId: string | null;
	workspaceName: string | null;
	ownerEmail: string | null;
	ownerType: 'user' | 'workspace';
}

/** The integration's bot user (`users.me`): who installed it and in which workspace. */
export async function notionAccount(client: Client): Promise<NotionAccount> {
	return notionAccountOf(await client.users.me({}));
}

/** What `users.me` says of the integration's bot: its workspace and the owner's e-mail. */
export function notionAccountOf(me: GetSelfResponse): NotionAccount {
	const bot = me.type === 'bot' ? me.bot : undefined;
	const owner = bot !== undefined && 'owner' in bot ? bot.owner : undefined;
	let ownerEmail: string | null = null;
	if (owner?.type === 'user') {
		const user = owner.user;
		if ('type' in user && user.type === 'person') ownerEmail = user.person.email ?? null;
	}
	return {
		botId: me.id,
		workspaceId: bot !== undefined && 'workspace_id' in bot ? ((bot.workspace_id as string | undefined) ?? null) : null,
		workspaceName: bot !== undefined && 'workspace_name' in bot ? (bot.workspace_name ?? null) : null,
		ownerEmail,
		ownerType: owner?.type === 'user' ? 'user' : 'workspace',
	};
}
