'use strict';
/** What the benchmark scripts share: the repo's scripts, on-the-fly TypeScript, n8n runs. */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** Runs one of the repo's scripts/*.sh and returns the last line it printed (e.g. a path). */
function runScript(name, args = []) {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', name), ...args], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`scripts/${name} failed`);
	return result.stdout.trim().split('\n').pop();
}

/** Resolves a relative import of `from` to a .ts file of the repo, or null. */
function resolveTs(from, spec) {
	const base = path.resolve(path.dirname(from), spec);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
		if (candidate.endsWith('.ts') && fs.existsSync(candidate)) return candidate;
	}
	return null;
}

/**
 * Transpiles the entry files (paths from the repo root) and every .ts file they reach through
 * relative imports into `target`, keeping the layout, so plain node can require them (the fakes
 * live in test/ and are not part of the build). Returns how many files it wrote.
 */
function transpileTree(entries, target) {
	const ts = require('typescript');
	const pending = entries.map((entry) => path.join(ROOT, entry));
	const done = new Set();
	const importPattern = /(?:from\s+|import\s*\(?\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
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
	// Compiled files resolve packages (googleapis, better-sqlite3, ...) through the repo's node_modules.
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
	return done.size;
}

/**
 * The run data `n8n execute --rawOutput` logged (n8n's log file holds one JSON object a line);
 * throws when there is none or the run failed.
 */
function runFromLog(logFile, id, exitDetail) {
	let run;
	for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
		if (!line.startsWith('{')) continue;
		const { message } = JSON.parse(line);
		if (typeof message === 'string' && message.startsWith('{') && message.includes('"resultData"')) run = JSON.parse(message);
	}
	if (!run) throw new Error(`n8n execute ${id} printed no run (${exitDetail})`);
	if (run.data.resultData.error) throw new Error(`${id} failed: ${run.data.resultData.error.message}`);
	return run.data.resultData.runData;
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** A numeric `--name=value` command-line option, or `fallback`. */
function numberArg(name, fallback) {
	const found = process.argv.find((value) => value.startsWith(`--${name}=`));
	return found ? Number(found.slice(name.length + 3)) : fallback;
}

module.exports = { ROOT, runScript, transpileTree, runFromLog, freePort, numberArg };
