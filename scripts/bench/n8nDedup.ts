/**
 * n8n-level comparison, in one real n8n: Connector Dedup (Check → Commit) against n8n's
 * built-in Remove Duplicates ("Remove Items Processed in Previous Executions") on the same
 * keys. Each workflow runs twice: a first run where every key is new, a second where every key
 * was seen. Times are the nodes' own execution times as n8n records them (n8n's start-up is
 * not counted).
 *
 *   npm run bench -- n8n-dedup [--items=100000]
 *   node --import tsx scripts/bench/n8nDedup.ts [--items=100000]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { numberArg, runFromLog, runScript, type N8nEnvironment, type RunData } from './support';

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
}

function node(name: string, type: string, parameters: Record<string, unknown>, typeVersion = 1): WorkflowNode {
	return { id: name, name, type, typeVersion, position: [0, 0], parameters };
}

function chain(id: string, nodes: WorkflowNode[], extraConnections: Record<string, unknown> = {}) {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: id, active: false, settings: {}, nodes, connections: { ...connections, ...extraConnections } };
}

function itemsCode(count: number): string {
	return `const items = [];
for (let i = 0; i < ${count}; i++) {
  items.push({ json: { key: 'doc-' + i, provider: 'google_drive', external_id: 'doc-' + i,
    source_key: 'google_drive:bench@example.com:root', name: 'doc ' + i, path: '/doc ' + i,
    parents: [], mime: 'text/plain', size: 100, modified_at: '2026-11-01T10:00:00.000Z',
    created_at: null, version: '1', hash: null, url: null, change: 'upsert' } });
}
return items;`;
}

function execute(n8n: string, env: N8nEnvironment, id: string): RunData {
	const logFile = path.join(env.N8N_USER_FOLDER, `bench-${id}-${Date.now()}.log`);
	const result = spawnSync(n8n, ['execute', `--id=${id}`, '--rawOutput'], {
		env: { ...env, N8N_LOG_FILE_LOCATION: logFile, N8N_LOG_OUTPUT: 'file' },
		encoding: 'utf8',
		maxBuffer: 1024 * 1024 * 1024,
	});
	return runFromLog(logFile, id, `exit ${result.status}: ${result.stderr}`);
}

function time(runData: RunData, nodeName: string): number {
	const runs = runData[nodeName];
	if (!runs) throw new Error(`${nodeName} did not run`);
	return runs[0].executionTime;
}

export function benchN8nDedup({ items = 100_000 }: { items?: number } = {}): string {
	const n8n = runScript('ensure-n8n.sh');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-bench-n8n-'));
	try {
		runScript('install-package.sh', [userFolder]);
		const env: N8nEnvironment = { ...process.env, N8N_USER_FOLDER: userFolder, N8N_ENCRYPTION_KEY: 'bench',
			N8N_DIAGNOSTICS_ENABLED: 'false', N8N_RUNNERS_BROKER_PORT: '5731',
			CONNECTORS_CACHE_PATH: path.join(userFolder, 'cache.sqlite'),
			N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024), N8N_PAYLOAD_SIZE_MAX: '1024' };
		delete env.NODE_ENV;
		const code = node('Items', 'n8n-nodes-base.code', { jsCode: itemsCode(items) }, 2);
		const trigger = node('Start', 'n8n-nodes-base.manualTrigger', {});
		const workflows = [
			chain('benchRemoveDupes', [
				trigger,
				code,
				node('Remove Duplicates', 'n8n-nodes-base.removeDuplicates', {
					operation: 'removeItemsSeenInPreviousExecutions',
					logic: 'removeItemsWithAlreadySeenKeyValues',
					dedupeValue: '={{ $json.key }}',
					options: { historySize: items * 2 },
				}, 2),
			]),
			chain('benchConnectorDedup', [
				trigger,
				code,
				node('Check', 'n8n-nodes-external-connectors.connectorDedup', { operation: 'check' }),
				node('Commit', 'n8n-nodes-external-connectors.connectorDedup', { operation: 'commit' }),
			]),
		];
		const file = path.join(userFolder, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows));
		const imported = spawnSync(n8n, ['import:workflow', `--input=${file}`], { env, encoding: 'utf8' });
		if (imported.status !== 0) throw new Error(`import failed: ${imported.stdout}${imported.stderr}`);

		const rows = [];
		for (const pass of ['first run (all new)', 'second run (all seen)']) {
			const builtIn = time(execute(n8n, env, 'benchRemoveDupes'), 'Remove Duplicates');
			const ours = execute(n8n, env, 'benchConnectorDedup');
			const oursMs = time(ours, 'Check') + (ours.Commit ? time(ours, 'Commit') : 0);
			rows.push({ pass, builtIn, ours: oursMs });
		}
		const lines = [`n8n ${items.toLocaleString('en')} keys, node execution time in one n8n 2.41.1:`];
		lines.push('| pass | Remove Duplicates (ms) | items/s | Connector Dedup check+commit (ms) | items/s | speed-up |');
		lines.push('|---|---:|---:|---:|---:|---:|');
		for (const row of rows) {
			const rate = (ms: number) => Math.round(items / (ms / 1000)).toLocaleString('en');
			lines.push(`| ${row.pass} | ${row.builtIn} | ${rate(row.builtIn)} | ${row.ours} | ${rate(row.ours)} | ${(row.builtIn / row.ours).toFixed(1)}× |`);
		}
		return lines.join('\n');
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

/** The options given on the command line; absent ones keep their defaults. */
export function n8nDedupBenchOptions(): { items: number } {
	return { items: numberArg('items', 100_000) };
}

if (require.main === module) console.log(benchN8nDedup(n8nDedupBenchOptions()));
