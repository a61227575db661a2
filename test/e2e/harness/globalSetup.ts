import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ENCRYPTION_KEY, baseEnvironment } from './n8n';
import { REPO_ROOT, runScript } from './paths';

/**
 * Once per test run: make sure the pinned n8n is installed (cached outside the
 * repo), install the freshly built package into a template user folder the way
 * the Community Nodes installer does, and let n8n create its database there, so
 * every test starts from a copy instead of paying for npm and migrations again.
 */
export default async function globalSetup(): Promise<void> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist/nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` before the e2e tests (scripts/dev.sh test does).');
	}
	const n8nBin = runScript('ensure-n8n.sh');
	const template = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-n8n-template-'));
	runScript('install-package.sh', [template]);

	// The first command creates and migrates n8n's SQLite database.
	const init = spawnSync(n8nBin, ['export:workflow', '--all', `--output=${path.join(template, 'none.json')}`], {
		env: baseEnvironment(template, 5679),
		encoding: 'utf8',
	});
	if (!fs.existsSync(path.join(template, '.n8n', 'database.sqlite'))) {
		throw new Error(`n8n did not initialise its database: ${init.stdout}\n${init.stderr}`);
	}
	process.env.CONNECTORS_E2E_N8N_BIN = n8nBin;
	process.env.CONNECTORS_E2E_TEMPLATE = template;
	process.env.CONNECTORS_E2E_ENCRYPTION_KEY = ENCRYPTION_KEY;
}
