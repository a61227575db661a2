import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const PACKAGE_NAME = 'n8n-nodes-external-connectors';

/** Node types as n8n names them once the package is installed as a community package. */
export const NODE_TYPES = {
	googleDriveConnector: `${PACKAGE_NAME}.googleDriveConnector`,
	notionConnector: `${PACKAGE_NAME}.notionConnector`,
	connectorDedup: `${PACKAGE_NAME}.connectorDedup`,
	oneDriveConnector: `${PACKAGE_NAME}.oneDriveConnector`,
} as const;

export function runScript(script: string, args: string[] = []): string {
	const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', script), ...args], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`scripts/${script} failed with status ${result.status}`);
	return result.stdout.trim().split('\n').pop() ?? '';
}
