/** What the benchmark scripts share: the repo's scripts, n8n runs, command-line options. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

/** Runs one of the repo's scripts/*.sh and returns the last line it printed (e.g. a path). */
export function runScript(name: string, args: string[] = []): string {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', name), ...args], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`scripts/${name} failed`);
	return result.stdout.trim().split('\n').at(-1) ?? '';
}

/** The environment of an n8n command: always with its own user folder. */
export type N8nEnvironment = NodeJS.ProcessEnv & { N8N_USER_FOLDER: string };

/** An item of a node's output as n8n records it in a run. */
export interface RunItem {
	json: Record<string, unknown>;
	binary?: unknown;
}

/** One run of one node in n8n's run data. */
export interface NodeRun {
	executionTime: number;
	data?: { main?: Array<RunItem[] | null> };
}

/** n8n's run data: each node's runs, by node name. */
export type RunData = Record<string, NodeRun[] | undefined>;

interface LoggedRun {
	data: { resultData: { runData: RunData; error?: { message: string } } };
}

/**
 * The run data `n8n execute --rawOutput` logged (n8n's log file holds one JSON object a line);
 * throws when there is none or the run failed.
 */
export function runFromLog(logFile: string, id: string, exitDetail: string): RunData {
	let run: LoggedRun | undefined;
	for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
		if (!line.startsWith('{')) continue;
		const { message } = JSON.parse(line) as { message?: unknown };
		if (typeof message === 'string' && message.startsWith('{') && message.includes('"resultData"')) run = JSON.parse(message) as LoggedRun;
	}
	if (!run) throw new Error(`n8n execute ${id} printed no run (${exitDetail})`);
	if (run.data.resultData.error) throw new Error(`${id} failed: ${run.data.resultData.error.message}`);
	return run.data.resultData.runData;
}

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

/** A `--name=value` command-line option, or undefined. */
export function stringArg(name: string): string | undefined {
	const found = process.argv.find((value) => value.startsWith(`--${name}=`));
	return found?.slice(name.length + 3);
}

/** A numeric `--name=value` command-line option, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
	const found = stringArg(name);
	return found === undefined ? fallback : Number(found);
}
