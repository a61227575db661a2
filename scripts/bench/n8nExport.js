'use strict';
/**
 * Memory of a Google Drive Connector Export in a real n8n (filesystem binary data mode): the
 * peak RSS of the `n8n execute` process (and of its children, the task runner) while the Export
 * streams a 1 GiB file from the fake Drive, against the same workflow on a folder without it.
 *
 *   node scripts/bench/n8nExport.js [--size-mib=1024]
 *
 * The fake Drive (test/fakes/googleApi.ts, transpiled on the fly) runs in this process and
 * generates the big file's bytes on the fly. Each run gets a fresh n8n user folder and cache.
 * RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS; VmHWM of the main process too).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const MB = 1024 * 1024;
const PACKAGE = 'n8n-nodes-external-connectors';
const CREDENTIAL = { id: 'driveCredential01', name: 'Drive (fake)' };

function script(name, args = []) {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', name), ...args], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`scripts/${name} failed`);
	return result.stdout.trim().split('\n').pop();
}

/** Transpiles the fake Drive and every .ts file it reaches through relative imports into `target`. */
function compileFake(target) {
	const ts = require('typescript');
	const pending = [path.join(ROOT, 'test/fakes/googleApi.ts')];
	const done = new Set();
	const importPattern = /(?:from\s+|import\s*\(?\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
	const resolveTs = (from, spec) => {
		const base = path.resolve(path.dirname(from), spec);
		for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
			if (candidate.endsWith('.ts') && fs.existsSync(candidate)) return candidate;
		}
		return null;
	};
	while (pending.length > 0) {
		const file = pending.pop();
		if (done.has(file)) continue;
		done.add(file);
		const text = fs.readFileSync(file, 'utf8');
		for (const match of text.matchAll(importPattern)) {
			const next = resolveTs(file, match[1]);
			if (next && !done.has(next)) pending.push(next);
		}
		const output = ts.transpileModule(text, {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: path.relative(ROOT, file),
		});
		const destination = path.join(target, path.relative(ROOT, file).replace(/\.ts$/, '.js'));
		fs.mkdirSync(path.dirname(destination), { recursive: true });
		fs.writeFileSync(destination, output.outputText);
	}
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
	return require(path.join(target, 'test/fakes/googleApi.js'));
}

function workflow(id, folderId) {
	const credentials = { googleDriveConnectorOAuth2Api: CREDENTIAL };
	const node = (name, type, parameters, extra = {}) => ({ id: `${id}-${name}`, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra });
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

async function freePort() {
	const net = require('node:net');
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function statusKb(pid, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** Every descendant pid of `root`, from /proc/<pid>/stat's ppid. */
function descendants(root) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(entry));
		} catch {
			// gone
		}
	}
	const out = [];
	const queue = [root];
	while (queue.length > 0) for (const child of children.get(queue.shift()) ?? []) out.push(child), queue.push(child);
	return out;
}

/** Runs `n8n execute` asynchronously (the fake answers in this process), sampling RSS every 100 ms. */
async function execute(n8n, env, id) {
	const logFile = path.join(env.N8N_USER_FOLDER, `bench-${id}.log`);
	const started = performance.now();
	const child = spawn(n8n, ['execute', `--id=${id}`, '--rawOutput'], {
		env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_LOG_FILE_LOCATION: logFile, N8N_LOG_OUTPUT: 'file' },
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-20000); });
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
	const code = await new Promise((resolve) => child.on('exit', (status) => resolve(status)));
	clearInterval(timer);
	const wallMs = performance.now() - started;

	let run;
	for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
		if (!line.startsWith('{')) continue;
		const { message } = JSON.parse(line);
		if (typeof message === 'string' && message.startsWith('{') && message.includes('"resultData"')) run = JSON.parse(message);
	}
	if (!run) throw new Error(`n8n execute ${id} printed no run (exit ${code}): ${stderr}`);
	if (run.data.resultData.error) throw new Error(`${id} failed: ${run.data.resultData.error.message}`);
	const outputs = run.data.resultData.runData.Export?.[0]?.data?.main ?? [];
	const exported = (outputs[0] ?? []).map((item) => ({ ...item.json, _binary: item.binary }));
	const skipped = (outputs[1] ?? []).map((item) => item.json);
	return { code, wallMs, peak, exported, skipped };
}

async function runOnce(fakes, n8n, label, withBig, sizeBytes) {
	const google = await fakes.startFakeGoogle();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-bench-export-'));
	try {
		const folder = google.addFolder({ name: 'Exports' });
		google.addFile({ name: 'small.txt', parent: folder.id, mimeType: 'text/plain', content: 'small file' });
		if (withBig) google.addFile({ name: 'big.bin', parent: folder.id, mimeType: 'application/octet-stream', content: { size: sizeBytes } });

		script('install-package.sh', [userFolder]);
		const env = { ...process.env, N8N_USER_FOLDER: userFolder, N8N_ENCRYPTION_KEY: 'bench',
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

async function benchN8nExport({ sizeMiB = 1024 } = {}) {
	const sizeBytes = sizeMiB * MB;
	const n8n = script('ensure-n8n.sh');
	const compiled = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-bench-fake-'));
	try {
		const fakes = compileFake(compiled);
		const a = await runOnce(fakes, n8n, 'A: small file only', false, sizeBytes);
		const b = await runOnce(fakes, n8n, `B: small + ${sizeMiB} MiB file`, true, sizeBytes);
		const mb = (kb) => (kb / 1024).toFixed(0);
		const lines = [`n8n 2.41.1 execute, Google Drive Connector List Changes → Export, binary data mode filesystem:`];
		lines.push('| run | items exported | bytes exported | wall (s) | peak RSS main (MB) | VmHWM main (MB) | peak RSS children (MB) | peak RSS main+children (MB) |');
		lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
		for (const r of [a, b]) {
			lines.push(`| ${r.label} | ${r.items} | ${r.bytes.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(1)} | ${mb(r.peak.main)} | ${mb(r.peak.mainHwm)} | ${mb(r.peak.children)} | ${mb(r.peak.total)} |`);
		}
		lines.push(`| growth B−A | | | ${((b.wallMs - a.wallMs) / 1000).toFixed(1)} | ${mb(b.peak.main - a.peak.main)} | ${mb(b.peak.mainHwm - a.peak.mainHwm)} | ${mb(b.peak.children - a.peak.children)} | ${mb(b.peak.total - a.peak.total)} |`);
		return lines.join('\n');
	} finally {
		fs.rmSync(compiled, { recursive: true, force: true });
	}
}

module.exports = { benchN8nExport };

if (require.main === module) {
	const started = performance.now();
	const sizeMiB = Number((process.argv.find((a) => a.startsWith('--size-mib=')) ?? '--size-mib=1024').split('=')[1]);
	benchN8nExport({ sizeMiB }).then(
		(table) => {
			console.log(table);
			console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
		},
		(error) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
}
