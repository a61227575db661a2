/**
 * Memory of a Google Drive Connector Export in a real n8n (filesystem binary data mode): the
 * peak RSS of the `n8n execute` process (and of its children, the task runner) while the Export
 * streams a 1 GiB file from the fake Drive, against the same workflow on a folder without it.
 *
 *   npm run bench -- n8n-export [--size-mib=1024] [--repeat=1] [--baseline=<packed tarball>]
 *   node --import tsx scripts/bench/n8nExport.ts [--size-mib=1024]
 *
 * `--baseline` measures another build of the package (`npm pack` of it) beside this one, the two
 * alternating run by run, since one run's figure moves by tens of MB with the machine's load.
 *
 * The fake Drive (test/fakes/googleApi.ts) runs in this process and
 * generates the big file's bytes on the fly. Each run gets a fresh n8n user folder and cache.
 * RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS; VmHWM of the main process too); the
 * main process's peak V8 heap and ArrayBuffer memory come from memorySampler.cjs, preloaded into it.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startFakeGoogle } from '../../test/fakes/googleApi';
import { freePort, numberArg, runFromLog, runScript, stringArg, type N8nEnvironment } from './support';

const MB = 1024 * 1024;
const PACKAGE = 'n8n-nodes-external-connectors';
const CREDENTIAL = { id: 'driveCredential01', name: 'Drive (fake)' };

function workflow(id: string, folderId: string) {
	const credentials = { googleDriveConnectorOAuth2Api: CREDENTIAL };
	const node = (name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: `${id}-${name}`, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra });
	return {
		id,
		name: id,
		active: false,
		settings: {},
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', {}),
			node('List Changes', `${PACKAGE}.googleDriveConnector`, {
				operation: 'listChanges',
				source: 'folder',
				sourceFolderId: { __rl: true, mode: 'id', value: folderId },
			}, { credentials }),
			node('Export', `${PACKAGE}.googleDriveConnector`, { operation: 'export' }, { credentials }),
		],
		connections: {
			Start: { main: [[{ node: 'List Changes', type: 'main', index: 0 }]] },
			'List Changes': { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
		},
	};
}

function statusKb(pid: number | undefined, field: string): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** Every descendant pid of `root`, from /proc/<pid>/stat's ppid. */
function descendants(root: number | undefined): number[] {
	const children = new Map<number, number[]>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const siblings = children.get(ppid) ?? [];
			siblings.push(Number(entry));
			children.set(ppid, siblings);
		} catch {
			// gone
		}
	}
	const out: number[] = [];
	const queue = [root];
	while (queue.length > 0) {
		const parent = queue.shift();
		for (const child of (parent === undefined ? undefined : children.get(parent)) ?? []) {
			out.push(child);
			queue.push(child);
		}
	}
	return out;
}

/** Runs `n8n execute` asynchronously (the fake answers in this process), sampling RSS every 100 ms. */
async function execute(n8n: string, env: N8nEnvironment, id: string) {
	const logFile = path.join(env.N8N_USER_FOLDER, `bench-${id}.log`);
	const started = performance.now();
	const memoryDir = fs.mkdtempSync(path.join(env.N8N_USER_FOLDER, 'memory-'));
	const sampler = `--require ${path.join(__dirname, 'memorySampler.cjs')}`;
	const child = spawn(n8n, ['execute', `--id=${id}`, '--rawOutput'], {
		env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_LOG_FILE_LOCATION: logFile, N8N_LOG_OUTPUT: 'file',
			NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} ${sampler}`.trim(), CONNECTORS_BENCH_MEMORY_DIR: memoryDir },
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-20000);
	});
	const peak = { main: 0, mainHwm: 0, children: 0, total: 0 };
	const sample = () => {
		const main = statusKb(child.pid, 'VmRSS');
		const hwm = statusKb(child.pid, 'VmHWM');
		let kids = 0;
		for (const pid of descendants(child.pid)) kids += statusKb(pid, 'VmRSS');
		peak.main = Math.max(peak.main, main);
		peak.mainHwm = Math.max(peak.mainHwm, hwm);
		peak.children = Math.max(peak.children, kids);
		peak.total = Math.max(peak.total, main + kids);
	};
	const timer = setInterval(sample, 100);
	const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
	clearInterval(timer);
	const wallMs = performance.now() - started;
	const heap = readPeakHeap(path.join(memoryDir, `${child.pid}.json`));

	const runData = runFromLog(logFile, id, `exit ${code}: ${stderr}`);
	const outputs = runData.Export?.[0]?.data?.main ?? [];
	const exported = (outputs[0] ?? []).map((item): Record<string, unknown> => ({ ...item.json, _binary: item.binary }));
	const skipped = (outputs[1] ?? []).map((item) => item.json);
	return { code, wallMs, peak, heap, exported, skipped };
}

/** The main process's peak heapUsed / arrayBuffers in kB, as memorySampler.cjs wrote them. */
function readPeakHeap(file: string): { heapUsed: number; arrayBuffers: number } {
	try {
		const peak = JSON.parse(fs.readFileSync(file, 'utf8')) as { heapUsed: number; arrayBuffers: number };
		return { heapUsed: peak.heapUsed / 1024, arrayBuffers: peak.arrayBuffers / 1024 };
	} catch {
		return { heapUsed: 0, arrayBuffers: 0 };
	}
}

async function runOnce(n8n: string, label: string, withBig: boolean, sizeBytes: number, tarball?: string) {
	const google = await startFakeGoogle();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-bench-export-'));
	try {
		const folder = google.addFolder({ name: 'Exports' });
		google.addFile({ name: 'small.txt', parent: folder.id, mimeType: 'text/plain', content: 'small file' });
		if (withBig) google.addFile({ name: 'big.bin', parent: folder.id, mimeType: 'application/octet-stream', content: { size: sizeBytes } });

		runScript('install-package.sh', tarball ? [userFolder, tarball] : [userFolder]);
		const env: N8nEnvironment = { ...process.env, N8N_USER_FOLDER: userFolder, N8N_ENCRYPTION_KEY: 'bench',
			N8N_DIAGNOSTICS_ENABLED: 'false', N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			// The org policy's default cap is 500 MB a file; the big file must pass it.
			ORG_CONNECTORS_MAX_FILE_SIZE_MB: String(Math.max(500, Math.ceil((sizeBytes * 2) / MB))),
			CONNECTORS_GOOGLE_API_URL: google.origin,
			CONNECTORS_CACHE_PATH: path.join(userFolder, 'cache.sqlite') };
		delete env.NODE_ENV;
		const credFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(credFile, JSON.stringify([{ ...CREDENTIAL, type: 'googleDriveConnectorOAuth2Api',
			data: { clientId: google.clientId, clientSecret: google.clientSecret, oauthTokenData: { ...google.issueTokens() } } }]));
		const wfFile = path.join(userFolder, 'workflow.json');
		const id = 'benchExport00000';
		fs.writeFileSync(wfFile, JSON.stringify([workflow(id, folder.id)]));
		for (const [command, file] of [['import:credentials', credFile], ['import:workflow', wfFile]]) {
			const imported = spawnSync(n8n, [command, `--input=${file}`], { env, encoding: 'utf8' });
			if (imported.status !== 0) throw new Error(`${command} failed: ${imported.stdout}${imported.stderr}`);
		}
		const result = await execute(n8n, env, id);
		const bytes = result.exported.reduce((sum, item) => sum + (Number(item.export_size) || 0), 0);
		if (withBig) {
			const big = result.exported.find((item) => item.name === 'big.bin');
			if (!big || big.export_size !== sizeBytes) {
				throw new Error(`big.bin not exported with export_size ${sizeBytes}: ${JSON.stringify(big)}; skipped: ${JSON.stringify(result.skipped)}`);
			}
		}
		return { label, items: result.exported.length, bytes, ...result };
	} finally {
		await google.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

type Run = Awaited<ReturnType<typeof runOnce>>;

const mb = (kb: number) => (kb / 1024).toFixed(0);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

function runRow(label: string, r: Run): string {
	return `| ${label} | ${r.items} | ${r.bytes.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(1)} | ${mb(r.peak.main)} | ${mb(r.peak.mainHwm)} | ${mb(r.heap.heapUsed)} | ${mb(r.heap.arrayBuffers)} | ${mb(r.peak.children)} | ${mb(r.peak.total)} |`;
}

function growthRow(label: string, a: Run, b: Run): string {
	return `| ${label} | | | ${((b.wallMs - a.wallMs) / 1000).toFixed(1)} | ${mb(b.peak.main - a.peak.main)} | ${mb(b.peak.mainHwm - a.peak.mainHwm)} | ${mb(b.heap.heapUsed - a.heap.heapUsed)} | ${mb(b.heap.arrayBuffers - a.heap.arrayBuffers)} | ${mb(b.peak.children - a.peak.children)} | ${mb(b.peak.total - a.peak.total)} |`;
}

export async function benchN8nExport({ sizeMiB = 1024, repeat = 1, baseline }: { sizeMiB?: number; repeat?: number; baseline?: string } = {}): Promise<string> {
	const sizeBytes = sizeMiB * MB;
	const n8n = runScript('ensure-n8n.sh');
	const builds: { name: string; tarball?: string }[] = [{ name: 'this build' }];
	if (baseline) builds.unshift({ name: `baseline ${path.basename(baseline)}`, tarball: baseline });
	const lines = [`n8n 2.41.1 execute, Google Drive Connector List Changes → Export, binary data mode filesystem:`];
	lines.push('| run | items exported | bytes exported | wall (s) | peak RSS main (MB) | VmHWM main (MB) | peak heapUsed main (MB) | peak arrayBuffers main (MB) | peak RSS children (MB) | peak RSS main+children (MB) |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	const growth = new Map(builds.map((build) => [build.name, { total: [] as number[], arrayBuffers: [] as number[] }]));
	for (let round = 1; round <= repeat; round++) {
		for (const build of builds) {
			const a = await runOnce(n8n, 'A: small file only', false, sizeBytes, build.tarball);
			const b = await runOnce(n8n, `B: small + ${sizeMiB} MiB file`, true, sizeBytes, build.tarball);
			const tag = `${build.name}, run ${round}`;
			lines.push(runRow(`${tag} ${a.label}`, a), runRow(`${tag} ${b.label}`, b), growthRow(`${tag} growth B−A`, a, b));
			growth.get(build.name)?.total.push((b.peak.total - a.peak.total) / 1024);
			growth.get(build.name)?.arrayBuffers.push((b.heap.arrayBuffers - a.heap.arrayBuffers) / 1024);
		}
	}
	lines.push('', '| build | growth of peak RSS main+children, each run (MB) | median (MB) | growth of peak arrayBuffers main, each run (MB) | median (MB) |', '|---|---|---:|---|---:|');
	for (const [name, { total, arrayBuffers }] of growth) {
		const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
		lines.push(`| ${name} | ${list(total)} | ${median(total).toFixed(0)} | ${list(arrayBuffers)} | ${median(arrayBuffers).toFixed(0)} |`);
	}
	return lines.join('\n');
}

/** The options given on the command line; absent ones keep their defaults. */
export function n8nExportBenchOptions(): { sizeMiB: number; repeat: number; baseline?: string } {
	const baseline = stringArg('baseline');
	return { sizeMiB: numberArg('size-mib', 1024), repeat: numberArg('repeat', 1), baseline: baseline ? path.resolve(baseline) : undefined };
}

if (require.main === module) {
	const started = performance.now();
	benchN8nExport(n8nExportBenchOptions()).then(
		(table) => {
			console.log(table);
			console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
		},
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
}
