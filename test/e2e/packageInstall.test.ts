import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8nInstance } from './harness/n8n';
import { PACKAGE_NAME, REPO_ROOT } from './harness/paths';

interface LogLine {
	level: string;
	message: string;
	metadata?: Record<string, unknown>;
}

describe('the package installed the way n8n Community Nodes installs it', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create();
	});

	afterAll(async () => {
		await n8n.dispose();
	});

	it('arrives without dev dependencies, with the runtime dependencies and nothing built at install time', () => {
		const installed = path.join(n8n.userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME);
		const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
		expect(manifest.devDependencies).toBeUndefined();
		expect(manifest.peerDependencies).toBeUndefined();
		expect(fs.existsSync(path.join(installed, 'node_modules/@googleapis/drive'))).toBe(true);
		// No install script ran: better-sqlite3 has only the prebuilt binaries it ships.
		expect(fs.existsSync(path.join(installed, 'node_modules/better-sqlite3/build'))).toBe(false);
		expect(fs.existsSync(path.join(installed, 'node_modules/better-sqlite3/prebuilds/linux-x64.node'))).toBe(true);
	});

	it('loads every node and credential it declares, with no warning or error about it', async () => {
		const result = await n8n.cli(['list:workflow']);
		const lines = result.log
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as LogLine);
		const loaded = lines.find((l) => l.message === `Loaded all credentials and nodes from ${PACKAGE_NAME}`);
		const declared = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
		}).n8n;
		expect(loaded?.metadata).toMatchObject({ nodes: declared.nodes.length, credentials: declared.credentials.length });
		const aboutUs = lines.filter(
			(l) => (l.level === 'warn' || l.level === 'error') && JSON.stringify(l).includes(PACKAGE_NAME),
		);
		expect(aboutUs).toEqual([]);
	});
});
