import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ENCRYPTION_KEY = 'connectors-e2e-encryption-key';

/** The environment n8n runs with in tests: its own folder, no telemetry, debug logs to console and file. */
export function baseEnvironment(userFolder: string, brokerPort: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	// Jest sets NODE_ENV=test, which changes how n8n behaves; users never run it so.
	delete env.NODE_ENV;
	for (const key of Object.keys(env)) if (key.startsWith('JEST_')) delete env[key];
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: 'debug',
		N8N_LOG_OUTPUT: 'console,file',
		N8N_LOG_FILE_LOCATION: path.join(userFolder, 'n8n.log'),
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

/** What n8n prints when its task broker's port is already bound, before it does anything else. */
const BROKER_PORT_TAKEN = /Task Broker's port \d+ is already in use/;
const BROKER_PORT_ATTEMPTS = 3;

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** n8n's own log file for this command: JSON lines. */
	log: string;
}

export interface WorkflowRun {
	status: string;
	/** Output items (json only) per node name, of the node's last run, per output index. */
	outputs: Record<string, Array<Array<Record<string, unknown>>>>;
	error?: { message: string; description?: string | null };
	nodeErrors: Record<string, { message: string; description?: string | null }>;
	raw: unknown;
}

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowFixture {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
}

/**
 * A real n8n in a folder of its own, with this package installed in
 * `.n8n/nodes` as the Community Nodes installer leaves it, driven through its CLI.
 */
export class N8nInstance {
	private server?: ChildProcess;

	private serverOutput = '';

	private commands = 0;

	readonly logs: string[] = [];

	private constructor(
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
	) {}

	static async create(extraEnv: NodeJS.ProcessEnv = {}): Promise<N8nInstance> {
		const template = process.env.CONNECTORS_E2E_TEMPLATE;
		if (!template) throw new Error('CONNECTORS_E2E_TEMPLATE is not set: the e2e globalSetup did not run');
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-n8n-'));
		fs.cpSync(path.join(template, '.n8n'), path.join(userFolder, '.n8n'), { recursive: true });
		return await N8nInstance.inFolder(userFolder, extraEnv);
	}

	/** The CLI on a user folder as it is, e.g. one whose settings point at a shared PostgreSQL. */
	static async inFolder(userFolder: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<N8nInstance> {
		return new N8nInstance(userFolder, baseEnvironment(userFolder, await freePort(), extraEnv));
	}

	/**
	 * Runs an n8n command. A free port can be taken by another process between `freePort` and
	 * n8n's bind (a busy machine makes outgoing connections from the same range): n8n then stops
	 * before doing anything, and the command is run again on another port.
	 */
	async cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
		for (let attempt = 1; ; attempt++) {
			const result = await (await this.spawnCli(args, extraEnv)).result;
			if (attempt >= BROKER_PORT_ATTEMPTS || !BROKER_PORT_TAKEN.test(`${result.stdout}\n${result.stderr}`)) return result;
		}
	}

	/** Starts an n8n command and hands back its process, e.g. to kill it mid-run. */
	async spawnCli(
		args: string[],
		extraEnv: NodeJS.ProcessEnv = {},
	): Promise<{ child: ChildProcess; result: Promise<CommandResult> }> {
		const bin = process.env.CONNECTORS_E2E_N8N_BIN as string;
		const logFile = path.join(this.userFolder, `cli-${++this.commands}.log`);
		const env = {
			...this.env,
			...extraEnv,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LOG_FILE_LOCATION: logFile,
		};
		const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const result = new Promise<CommandResult>((resolve, reject) => {
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			child.on('error', reject);
			child.on('close', (code) => {
				const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
				this.logs.push(stdout, stderr, log);
				resolve({ code, stdout, stderr, log });
			});
		});
		return { child, result };
	}

	private writeJson(name: string, value: unknown): string {
		const file = path.join(this.userFolder, name);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	async importWorkflow(workflow: WorkflowFixture): Promise<void> {
		const file = this.writeJson(`workflow-${workflow.id}.json`, [{ active: false, settings: {}, ...workflow }]);
		await this.expectSuccess(['import:workflow', `--input=${file}`]);
	}

	/** Several workflows with one CLI command (each command costs a process start). */
	async importWorkflows(workflows: WorkflowFixture[]): Promise<void> {
		const file = this.writeJson(`workflows-${workflows.map((workflow) => workflow.id).join('-')}.json`, workflows.map((workflow) => ({ active: false, settings: {}, ...workflow })));
		await this.expectSuccess(['import:workflow', `--input=${file}`]);
	}

	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = this.writeJson('credentials.json', credentials);
		await this.expectSuccess(['import:credentials', `--input=${file}`]);
	}

	async exportCredentials(): Promise<CredentialFixture[]> {
		const file = path.join(this.userFolder, 'credentials-export.json');
		await this.expectSuccess(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		return JSON.parse(fs.readFileSync(file, 'utf8')) as CredentialFixture[];
	}

	async publishWorkflow(id: string): Promise<void> {
		await this.expectSuccess(['publish:workflow', `--id=${id}`]);
	}

	async execute(workflowId: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<WorkflowRun> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], extraEnv);
		const raw = extractRunJson(result.log);
		if (!raw) {
			throw new Error(`n8n execute printed no run data (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		}
		return parseRun(raw);
	}

	/** Everything n8n wrote: CLI output and log files, server output and its log file. */
	allLogs(): string {
		const logFile = path.join(this.userFolder, 'n8n.log');
		const serverLog = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		return [...this.logs, this.serverOutput, serverLog].join('\n');
	}

	/** `n8n start` on a free port; resolves once the REST API answers. */
	async start(extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
		const port = await freePort();
		const bin = process.env.CONNECTORS_E2E_N8N_BIN as string;
		const env = {
			...this.env,
			...extraEnv,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		};
		const server = spawn(bin, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		this.server = server;
		server.stdout?.on('data', (chunk: Buffer) => (this.serverOutput += chunk.toString()));
		server.stderr?.on('data', (chunk: Buffer) => (this.serverOutput += chunk.toString()));
		const baseUrl = `http://127.0.0.1:${port}`;
		await waitFor(async () => {
			if (server.exitCode !== null) throw new Error(`n8n start exited early:\n${tail(this.serverOutput)}`);
			const response = await fetch(`${baseUrl}/healthz/readiness`).catch(() => undefined);
			return response?.status === 200;
		}, 120_000, 'n8n to answer /healthz/readiness');
		return baseUrl;
	}

	async stop(): Promise<void> {
		if (this.server) await stopProcess(this.server);
	}

	async dispose(): Promise<void> {
		await this.stop();
		if (!process.env.CONNECTORS_E2E_KEEP) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	private async expectSuccess(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		}
		return result;
	}
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Stops a child process: `signal` first, SIGKILL when it is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

export function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** The run data `execute --rawOutput` logs as one message; n8n's log file holds one JSON object a line. */
export function extractRunJson(log: string): unknown {
	let run: unknown;
	for (const line of log.split('\n')) {
		if (!line.startsWith('{')) continue;
		const { message } = JSON.parse(line) as { message?: string };
		if (!message?.startsWith('{')) continue;
		try {
			const value = JSON.parse(message) as { data?: { resultData?: unknown } };
			if (value?.data?.resultData) run = value;
		} catch {
			// A message that only looks like JSON.
		}
	}
	return run;
}

interface RawTaskData {
	data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null> };
	error?: { message: string; description?: string | null };
}

interface RawRun {
	status?: string;
	data: { resultData: { runData: Record<string, RawTaskData[]>; error?: { message: string; description?: string | null } } };
}

export function parseRun(raw: unknown): WorkflowRun {
	const run = raw as RawRun;
	const outputs: WorkflowRun['outputs'] = {};
	const nodeErrors: WorkflowRun['nodeErrors'] = {};
	for (const [node, tasks] of Object.entries(run.data.resultData.runData)) {
		const last = tasks[tasks.length - 1];
		// Binary metadata (file name, MIME type, size), when an item has any, under `_binary`.
		outputs[node] = (last?.data?.main ?? []).map((items) =>
			(items ?? []).map((item) => (item.binary ? { ...item.json, _binary: item.binary } : item.json)),
		);
		if (last?.error) nodeErrors[node] = { message: last.error.message, description: last.error.description };
	}
	const error = run.data.resultData.error;
	return {
		status: run.status ?? (error ? 'error' : 'success'),
		outputs,
		error: error ? { message: error.message, description: error.description } : undefined,
		nodeErrors,
		raw,
	};
}
