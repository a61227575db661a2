import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	extractRunJson,
	freePort,
	parseRun,
	type CredentialFixture,
	type WorkflowFixture,
	type WorkflowRun,
} from '../../test/e2e/harness/n8n';

/** The environment n8n runs with for the demo and `start`: no telemetry, no prompts. */
export function n8nEnvironment(userFolder: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.NODE_ENV;
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

/** n8n's CLI on one user folder: import credentials and workflows, execute a workflow. */
export class N8nCli {
	private commands = 0;

	constructor(
		readonly bin: string,
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
	) {}

	/** Runs one command; its output and n8n's log file (JSON lines) come back whole. */
	async run(args: string[]): Promise<{ code: number | null; output: string; log: string }> {
		const logFile = path.join(this.userFolder, `cli-${++this.commands}.log`);
		const env = {
			...this.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'file',
			N8N_LOG_FILE_LOCATION: logFile,
		};
		return await new Promise((resolve, reject) => {
			const child = spawn(this.bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
			let output = '';
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.on('error', reject);
			child.on('close', (code) => resolve({ code, output, log: fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '' }));
		});
	}

	private async expectSuccess(args: string[]): Promise<void> {
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.output)}`);
	}

	private writeJson(name: string, value: unknown): string {
		const file = path.join(this.userFolder, name);
		fs.writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
		return file;
	}

	/** Imports (or, same ids, replaces) credentials; the file holding their secrets is removed afterwards. */
	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = this.writeJson('import-credentials.json', credentials);
		try {
			await this.expectSuccess(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Imports (or, same ids, replaces) workflows. */
	async importWorkflows(workflows: WorkflowFixture[]): Promise<void> {
		const file = this.writeJson('import-workflows.json', workflows.map((workflow) => ({ active: false, ...workflow })));
		await this.expectSuccess(['import:workflow', `--input=${file}`]);
	}

	async execute(workflowId: string): Promise<WorkflowRun> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput']);
		const raw = extractRunJson(result.log);
		if (!raw) throw new Error(`n8n execute --id=${workflowId} printed no run data (exit ${result.code}):\n${tail(result.output)}`);
		return parseRun(raw);
	}
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
