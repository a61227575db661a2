import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const CACHE_FILE_NAME = 'external-connectors.sqlite';

function expandHome(path: string, home: string): string {
	if (path === '~') return home;
	if (path.startsWith('~/')) return join(home, path.slice(2));
	return path;
}

/**
 * Where the cache lives: `CONNECTORS_CACHE_PATH` when set, else beside n8n's own data
 * (`<N8N_USER_FOLDER>/.n8n`, or `~/.n8n` when n8n uses its default user folder).
 */
export function resolveCachePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
	const explicit = env.CONNECTORS_CACHE_PATH?.trim();
	if (explicit) {
		const expanded = expandHome(explicit, home);
		return isAbsolute(expanded) ? expanded : resolve(expanded);
	}
	const userFolder = env.N8N_USER_FOLDER?.trim();
	return join(userFolder ? resolve(userFolder) : home, '.n8n', CACHE_FILE_NAME);
}
