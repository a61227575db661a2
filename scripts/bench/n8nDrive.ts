/**
 * Drive's first run through a real n8n: List Changes → Export of a folder of small files against
 * the fake Drive at 50 ms latency per request, at the node's default of 16 parallel downloads and
 * at 1, side by side. Reports the Export node's execution time from n8n's run data (n8n's own
 * start-up excluded) and the whole `n8n execute` wall time.
 *
 *   npm run bench -- n8n-drive [--files=500] [--latency=50] [--cpu-prof-dir=/tmp/prof] [--repeat=1] [--baseline=<packed tarball>]
 *   node --import tsx scripts/bench/n8nDrive.ts [the same options]
 *
 * `--baseline` runs another build of the package (`npm pack` of it) beside this one, alternating
 * run by run; the CPU column is the `n8n execute` process's user + system time, from /proc.
 *
 * The fake Drive (test/fakes/googleApi.ts) runs in this process; each run gets a fresh n8n user
 * folder and cache, with the package installed as n8n's installer does. With `--cpu-prof-dir`,
 * the `n8n execute` processes write V8 CPU profiles there (open them in Chrome's DevTools).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/googleApi';
import { freePort, numberArg, runFromLog, runScript, stringArg, type N8nEnvironment } from './support';

const PACKAGE = 'n8n-nodes-external-connectors';
const CREDENTIAL = { id: 'driveCredential01', name: 'Drive (fake)' };
const DOC = 'application/vnd.google-apps.document';

function workflow(id: string, folderId: string, concurrency: number) {
	const credentials = { googleDriveConnectorOAuth2Api: CREDENTIAL };
	const node = (name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: `${id}-${name}`, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra });
	return {
		id,
		name: id,
		active: false,
		settings: {},
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', {}),
			node('List Changes', `${PACKAGE}.googleDriveConnector`, { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folderId } }, { credentials }),
			node('Export', `${PACKAGE}.googleDriveConnector`, { operation: 'export', exportOptions: { concurrency } }, { credentials }),
		],
		connections: {
			Start: { main: [[{ node: 'List Changes', type: 'main', index: 0 }]] },
			'List Changes': { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
		},
	};
}

function seed(google: FakeGoogle, files: number): string {
	const root = google.addFolder({ name: 'Bench' });
	const folders = Array.from({ length: 10 }, (_, index) => google.addFolder({ name: `Folder ${index}`, parent: root.id }));
	for (let index = 0; index < files; index++) {
		const parent = folders[index % folders.length].id;
		if (index % 2 === 0) google.addFile({ name: `Doc ${index}`, parent, mimeType: DOC, content: `Document ${index}\n`.repeat(20) });
		else google.addFile({ name: `blob-${index}.bin`, parent, mimeType: 'application/octet-stream', content: `binary ${index} `.repeat(64) });
	}
	return root.id;
}

/** NODE_OPTIONS that make the execute process write a CPU profile, when asked for. */
function profiling(concurrency: number): NodeJS.ProcessEnv {
	const dir = stringArg('cpu-prof-dir');
	if (!dir) return {};
	return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${path.join(dir, `c${concurrency}`)}`.trim() };
}

/** User + system CPU seconds of a live process so far, from /proc/<pid>/stat; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

async function runOnce(n8n: string, files: number, latencyMs: number, concurrency: number, tarball?: string) {
	const google = await startFakeGoogle();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-bench-drive-'));
	try {
		const folderId = seed(google, files);
		runScript('install-package.sh', tarball ? [userFolder, tarball] : [userFolder]);
		const env: N8nEnvironment = {
			...process.env,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: 'bench',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			CONNECTORS_GOOGLE_API_URL: google.origin,
			CONNECTORS_CACHE_PATH: path.join(userFolder, 'cache.sqlite'),
		};
		delete env.NODE_ENV;
		const credFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(credFile, JSON.stringify([{ ...CREDENTIAL, type: 'googleDriveConnectorOAuth2Api', data: { clientId: google.clientId, clientSecret: google.clientSecret, oauthTokenData: { ...google.issueTokens() } } }]));
		const id = 'benchDriveRun000';
		const wfFile = path.join(userFolder, 'workflow.json');
		fs.writeFileSync(wfFile, JSON.stringify([workflow(id, folderId, concurrency)]));
		for (const [command, file] of [['import:credentials', credFile], ['import:workflow', wfFile]]) {
			const imported = spawnSync(n8n, [command, `--input=${file}`], { env, encoding: 'utf8' });
			if (imported.status !== 0) throw new Error(`${command} failed: ${imported.stdout}${imported.stderr}`);
		}
		google.setLatency(latencyMs);
		google.resetRequestLog();
		const logFile = path.join(userFolder, 'bench.log');
		const started = performance.now();
		const child = spawn(n8n, ['execute', `--id=${id}`, '--rawOutput'], {
			env: { ...env, ...profiling(concurrency), N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_LOG_FILE_LOCATION: logFile, N8N_LOG_OUTPUT: 'file' },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-20000);
		});
		let cpu = 0;
		const timer = setInterval(() => (cpu = Math.max(cpu, cpuSeconds(child.pid))), 100);
		const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
		clearInterval(timer);
		const wallMs = performance.now() - started;
		const runData = runFromLog(logFile, id, `exit ${code}: ${stderr}`);
		const exported = runData.Export?.[0]?.data?.main?.[0]?.length ?? 0;
		if (exported !== files) throw new Error(`exported ${exported} of ${files}`);
		return {
			concurrency,
			exported,
			listMs: runData['List Changes']?.[0]?.executionTime ?? 0,
			exportMs: runData.Export?.[0]?.executionTime ?? 0,
			wallMs,
			cpu,
			requests: google.driveRequests().length,
		};
	} finally {
		await google.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

export async function benchN8nDrive({ files = 500, latencyMs = 50, repeat = 1, baseline }: { files?: number; latencyMs?: number; repeat?: number; baseline?: string } = {}): Promise<string> {
	const n8n = runScript('ensure-n8n.sh');
	const builds: { name: string; tarball?: string }[] = [{ name: 'this build' }];
	if (baseline) builds.unshift({ name: `baseline ${path.basename(baseline)}`, tarball: baseline });
	const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const lines = [`n8n 2.41.1 execute, Google Drive Connector List Changes → Export of ${files} small files, fake Drive at ${latencyMs} ms per request:`];
	lines.push('| build | parallel downloads | exported | List Changes | Export | List + Export | n8n execute wall | n8n execute CPU | Drive requests |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (let round = 1; round <= repeat; round++) {
		for (const build of builds) {
			const c16 = await runOnce(n8n, files, latencyMs, 16, build.tarball);
			const c1 = await runOnce(n8n, files, latencyMs, 1, build.tarball);
			for (const r of [c16, c1]) lines.push(`| ${build.name}, run ${round} | ${r.concurrency} | ${r.exported} | ${s(r.listMs)} | ${s(r.exportMs)} | ${s(r.listMs + r.exportMs)} | ${s(r.wallMs)} | ${r.cpu.toFixed(1)} s | ${r.requests} |`);
			lines.push(`| ${build.name}, run ${round}: speed-up 16 over 1 | | | | ${(c1.exportMs / c16.exportMs).toFixed(2)}× | ${((c1.listMs + c1.exportMs) / (c16.listMs + c16.exportMs)).toFixed(2)}× | | | |`);
		}
	}
	return lines.join('\n');
}

export function n8nDriveBenchOptions(): { files: number; latencyMs: number; repeat: number; baseline?: string } {
	const baseline = stringArg('baseline');
	return { files: numberArg('files', 500), latencyMs: numberArg('latency', 50), repeat: numberArg('repeat', 1), baseline: baseline ? path.resolve(baseline) : undefined };
}

if (require.main === module) {
	benchN8nDrive(n8nDriveBenchOptions()).then(
		(table) => console.log(table),
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
}
