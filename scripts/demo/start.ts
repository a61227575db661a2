/**
 * `npm start`: n8n with this package (installed by scripts/dev.sh), the example workflows and
 * their credentials, pointed at the sandbox — a fake Drive, Notion and OneDrive and the document index —
 * so a person can open the editor and click through. Runs until Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { examples, withIngestionUrl } from './examples';
import { N8nCli, n8nEnvironment } from './n8nCli';
import { DEFAULT_INGESTION_PORT, startSandbox } from './sandbox';

export async function main(n8nBin: string): Promise<number> {
	const userFolder = process.env.N8N_USER_FOLDER;
	if (!userFolder) throw new Error('N8N_USER_FOLDER is not set (scripts/dev.sh start sets it)');
	const port = process.env.N8N_PORT ?? '5678';
	const indexPort = Number(process.env.CONNECTORS_SANDBOX_INDEX_PORT ?? DEFAULT_INGESTION_PORT);
	const sandbox = await startSandbox({ indexPort });
	// The sandbox starts over on every start (fresh fakes, an empty index), so does the connectors' cache.
	const sessionFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-start-'));
	const env = n8nEnvironment(userFolder, {
		...sandbox.env,
		N8N_PORT: port,
		CONNECTORS_CACHE_PATH: path.join(sessionFolder, 'external-connectors.sqlite'),
	});
	const cli = new N8nCli(n8nBin, userFolder, env);
	const loaded = examples();
	// Tokens and ports are new on every start: the same credential ids are imported again.
	await cli.importCredentials(sandbox.credentials());
	// The workflows only when the examples changed, so edits made in the editor survive a restart.
	const workflows = loaded.map((example) => withIngestionUrl(example.workflow, sandbox.index.url));
	const stamp = path.join(userFolder, '.n8n', 'connectors-examples.sha256');
	const digest = createHash('sha256').update(JSON.stringify(workflows)).digest('hex');
	if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== digest) {
		await cli.importWorkflows(workflows);
		fs.writeFileSync(stamp, digest);
	}

	const log = (line: string) => process.stderr.write(`${line}\n`);
	log('');
	log(`n8n:      http://localhost:${port} (data in ${userFolder}/.n8n; on the first visit, create the owner account)`);
	log(`Sandbox:  fake Google Drive ${sandbox.env.CONNECTORS_GOOGLE_API_URL}, fake Notion ${sandbox.env.CONNECTORS_NOTION_API_URL}`);
	log(`          fake Dropbox ${sandbox.env.CONNECTORS_DROPBOX_API_URL} (team folder "${sandbox.dropbox.seed.folderName}")`);
	log(`          fake Microsoft Graph (OneDrive, SharePoint) ${sandbox.env.CONNECTORS_MICROSOFT_GRAPH_URL}`);
	log(`Index:    ${sandbox.index.url} — GET it to see what the workflows ingested`);
	log('Open:     Workflows → ' + loaded.map((example) => `"${example.workflow.name}"`).join(', ') + ', then "Execute workflow".');
	log('Stop with Ctrl+C.');
	log('');

	const n8n = spawn(n8nBin, ['start'], { env, stdio: 'inherit' });
	const stop = () => n8n.kill('SIGTERM');
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	const code = await new Promise<number>((resolve) => n8n.on('exit', (exitCode) => resolve(exitCode ?? 0)));
	await sandbox.close();
	fs.rmSync(sessionFolder, { recursive: true, force: true });
	return code;
}
