'use strict';
/**
 * Entry point of `scripts/dev.sh demo` and `scripts/dev.sh start` (the sandbox lives in TypeScript
 * under scripts/demo/ and reuses test/fakes, which are not part of the build: it is transpiled here).
 *   node scripts/demo.js demo  <n8n executable>
 *   node scripts/demo.js start <n8n executable>
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, transpileTree } = require('./bench/support');

const [command, n8nBin] = process.argv.slice(2);
const entries = { demo: 'scripts/demo/demo.ts', start: 'scripts/demo/start.ts' };
if (!entries[command] || !n8nBin) {
	console.error('usage: node scripts/demo.js demo|start <n8n executable>');
	process.exit(2);
}

process.env.CONNECTORS_REPO_ROOT = ROOT;
const target = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-sandbox-'));
transpileTree([entries[command]], target);
const { main } = require(path.join(target, entries[command].replace(/\.ts$/, '.js')));
main(n8nBin).then(
	(code) => {
		fs.rmSync(target, { recursive: true, force: true });
		process.exit(code);
	},
	(error) => {
		console.error(error instanceof Error ? error.stack : error);
		fs.rmSync(target, { recursive: true, force: true });
		process.exit(1);
	},
);
