import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { baseEnvironment, freePort, waitFor } from '../../harness/n8n';
import { REPO_ROOT } from '../../harness/paths';
import { N8nRest } from '../../harness/rest';
import { ClusterControl } from './control';
import { PostgresServer } from './postgres';
import { RedisServer } from './redis';
import { ServiceProcess } from './service';

/** `n8n worker --concurrency`: jobs one worker runs at once. */
export const WORKER_CONCURRENCY = 5;
/** How the global setup hands the cluster to the test files, which run in jest's worker processes. */
export const CLUSTER_ENV = 'CONNECTORS_QUEUE_CLUSTER';
/**
 * Each n8n process's name (`main`, `worker-1`, …) in its environment. With
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=false a workflow can read it (`$env`), so an
 * item can say where its execution ran, independently of the logs.
 */
export const PROCESS_NAME_ENV = 'CONNECTORS_QUEUE_PROCESS';

export interface N8nProcessDescription {
	name: string;
	pid: number;
	userFolder: string;
	/** n8n's log file (JSON lines): workers log each execution they start and finish. */
	logFile: string;
	/** The main's base URL; a worker's health server. */
	url: string;
}

export interface QueueClusterDescription {
	n8nBin: string;
	main: N8nProcessDescription;
	workers: N8nProcessDescription[];
	workerConcurrency: number;
	/** The owner's session on the main's REST API. */
	ownerCookie: string;
	/** The lease and the fake API relays (see ClusterControl). */
	controlUrl: string;
	/** What an n8n CLI command needs to work on the cluster's database. */
	databaseEnv: NodeJS.ProcessEnv;
	/**
	 * The org policy file every n8n process reads (ORG_CONNECTORS_POLICY_FILE), `{}` at start: the
	 * package reads it at each execution, so a test can set a limit for a while and put `{}` back.
	 */
	policyFile: string;
}

interface Stoppable {
	readonly name: string;
	stop(): Promise<void>;
	killNow(): void;
}

/**
 * n8n in queue mode as users deploy it: PostgreSQL, Redis, a main (`n8n start`,
 * which takes the webhooks and enqueues their executions) and workers (`n8n
 * worker`, which run them). Every n8n process has its own user folder with the
 * package installed in it by the Community Nodes installer's steps, since in
 * real deployments workers run on other machines. Everything listens on
 * 127.0.0.1, on free ports.
 */
export class QueueCluster {
	/** PostgreSQL, Redis and the control server: stopped after n8n, which needs them to shut down cleanly. */
	private readonly services: Stoppable[] = [];
	/** Seconds from the start to each step, for the line the global setup prints. */
	readonly startTimings: Record<string, number> = {};
	private readonly n8nProcesses: ServiceProcess[] = [];
	/** How each worker was started, to start it again after a test killed it. */
	private readonly workerSpawns = new Map<string, { process: ServiceProcess; args: string[]; userFolder: string; env: NodeJS.ProcessEnv; url: string }>();
	private description?: QueueClusterDescription;
	private readonly killOnExit = () => this.killNow();
	private readonly killOnSignal = (signal: NodeJS.Signals) => {
		this.killNow();
		process.kill(process.pid, signal);
	};

	private constructor(
		private readonly n8nBin: string,
		readonly root: string,
	) {}

	static async start(n8nBin: string, workerCount = 2): Promise<QueueCluster> {
		const cluster = new QueueCluster(n8nBin, fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-queue-')));
		// Children live in process groups of their own (see ServiceProcess), so a test run that
		// ends without its teardown must take them down itself.
		process.once('exit', cluster.killOnExit);
		process.once('SIGINT', cluster.killOnSignal);
		process.once('SIGTERM', cluster.killOnSignal);
		try {
			await cluster.boot(workerCount);
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return cluster;
	}

	describe(): QueueClusterDescription {
		if (!this.description) throw new Error('The queue cluster is not running');
		return this.description;
	}

	private async boot(workerCount: number): Promise<void> {
		const folder = (name: string) => path.join(this.root, name);
		const workerNames = Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`);
		const userFolders = ['main', ...workerNames].map(folder);

		// The package installs (network-bound) run while PostgreSQL starts.
		const lap = stopwatch(this.startTimings);
		const installs = packPackage(this.root)
			.then((tarball) => Promise.all(userFolders.map((userFolder) => installPackage(userFolder, tarball))))
			.then(() => lap('package installed'));
		const services = this.startAll([PostgresServer.start(), RedisServer.start(), ClusterControl.start()]).then((started) => {
			lap('PostgreSQL and Redis up');
			return started;
		});
		// Both settled before anything fails: no install is left writing into the folder the cleanup removes.
		await Promise.allSettled([installs, services]);
		await installs;
		const [postgres, redis, control] = await services;
		const databaseEnv = postgres.n8nEnvironment();
		const policyFile = folder('policy.json');
		fs.writeFileSync(policyFile, '{}\n');

		const shared: NodeJS.ProcessEnv = {
			...databaseEnv,
			...redis.n8nEnvironment(),
			EXECUTIONS_MODE: 'queue',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			CONNECTORS_GOOGLE_API_URL: control.relayUrls.google,
			CONNECTORS_NOTION_API_URL: control.relayUrls.notion,
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			// No connectors setting: on n8n's own PostgreSQL the package keeps its state there (schema n8n_connectors).
			CONNECTORS_CACHE_PATH: undefined,
			CONNECTORS_CACHE_URL: undefined,
			CONNECTORS_CACHE_SCHEMA: undefined,
			ORG_CONNECTORS_POLICY_FILE: policyFile,
			// Debug logs of a whole run in one file: execution attribution reads it.
			N8N_LOG_FILE_SIZE_MAX: '1024',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		};
		// All three start at once on the new database: on PostgreSQL, n8n runs its migrations under
		// an advisory lock, so one process creates the schema while the others wait for it.
		const mainPort = await freePort();
		const main = await this.spawnN8n('main', ['start'], folder('main'), {
			...shared,
			N8N_PORT: String(mainPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${mainPort}/`,
		}, `http://127.0.0.1:${mainPort}`);
		const workers = await Promise.all(
			workerNames.map(async (name) => {
				const port = await freePort();
				const args = ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
				const env = { ...shared, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' };
				const url = `http://127.0.0.1:${port}`;
				const worker = await this.spawnN8n(name, args, folder(name), env, url);
				this.workerSpawns.set(name, { process: worker.process, args, userFolder: folder(name), env, url });
				return worker;
			}),
		);
		// /healthz answers as soon as a worker's server listens; /healthz/readiness once it is
		// connected to PostgreSQL and Redis and takes jobs. The main's readiness is the same.
		await Promise.all(
			[main, ...workers].map(({ process: n8n, description }) =>
				waitFor(
					async () => {
						n8n.assertRunning();
						const response = await fetch(`${description.url}/healthz/readiness`).catch(() => undefined);
						return response?.status === 200;
					},
					180_000,
					`n8n ${description.name} to answer /healthz/readiness`,
				),
			),
		);
		lap('main and workers ready');
		control.workers = { kill: (name) => this.killWorker(name), start: async (name) => await this.startWorker(name) };
		const owner = await N8nRest.asOwner(main.description.url);

		this.description = {
			n8nBin: this.n8nBin,
			main: main.description,
			workers: workers.map((w) => w.description),
			workerConcurrency: WORKER_CONCURRENCY,
			ownerCookie: owner.cookie,
			controlUrl: control.url,
			databaseEnv,
			policyFile,
		};
	}

	/** Starts services side by side; each one that came up is stopped with the cluster even if another failed. */
	private async startAll<T extends unknown[]>(starts: { [K in keyof T]: Promise<T[K] & Stoppable> }): Promise<T> {
		const results = await Promise.allSettled(starts);
		for (const result of results) if (result.status === 'fulfilled') this.services.push(result.value);
		const failed = results.find((result) => result.status === 'rejected');
		if (failed) throw (failed as PromiseRejectedResult).reason;
		return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
	}

	private async spawnN8n(
		name: string,
		args: string[],
		userFolder: string,
		env: NodeJS.ProcessEnv,
		url: string,
	): Promise<{ process: ServiceProcess; description: N8nProcessDescription }> {
		const processEnv = baseEnvironment(userFolder, await freePort(), { ...env, [PROCESS_NAME_ENV]: name });
		const n8n = ServiceProcess.spawn(`n8n ${name}`, this.n8nBin, args, { env: processEnv });
		this.n8nProcesses.push(n8n);
		return {
			process: n8n,
			description: { name, pid: n8n.pid ?? 0, userFolder, logFile: processEnv.N8N_LOG_FILE_LOCATION as string, url },
		};
	}

	/** SIGKILL, as when a machine dies: the worker's executions stop where they are. */
	killWorker(name: string): void {
		const spawned = this.workerSpawns.get(name);
		if (!spawned) throw new Error(`no worker ${name}`);
		spawned.process.killNow();
	}

	/** Starts a killed worker again with the same settings and user folder; resolves with its pid once it takes jobs. */
	async startWorker(name: string): Promise<number> {
		const spawned = this.workerSpawns.get(name);
		if (!spawned) throw new Error(`no worker ${name}`);
		if (!spawned.process.exited) return spawned.process.pid ?? 0;
		this.n8nProcesses.splice(this.n8nProcesses.indexOf(spawned.process), 1);
		const restarted = await this.spawnN8n(name, spawned.args, spawned.userFolder, spawned.env, spawned.url);
		spawned.process = restarted.process;
		await waitFor(
			async () => {
				restarted.process.assertRunning();
				const response = await fetch(`${spawned.url}/healthz/readiness`).catch(() => undefined);
				return response?.status === 200;
			},
			120_000,
			`n8n ${name} to answer /healthz/readiness again`,
		);
		return restarted.process.pid ?? 0;
	}

	/** n8n first (workers finish their jobs), then Redis and PostgreSQL, then the folders; resolves with the seconds to each step. */
	async stop(): Promise<Record<string, number>> {
		process.off('exit', this.killOnExit);
		process.off('SIGINT', this.killOnSignal);
		process.off('SIGTERM', this.killOnSignal);
		const timings: Record<string, number> = {};
		const lap = stopwatch(timings);
		await Promise.allSettled(
			this.n8nProcesses.splice(0).map(async (n8n) => {
				await n8n.stop('SIGTERM', 20_000);
				lap(`${n8n.name} stopped`);
			}),
		);
		await Promise.allSettled(
			this.services.splice(0).map(async (service) => {
				await service.stop();
				lap(`${service.name} stopped`);
			}),
		);
		if (!process.env.CONNECTORS_E2E_KEEP) fs.rmSync(this.root, { recursive: true, force: true });
		lap('folders removed');
		return timings;
	}

	killNow(): void {
		for (const n8n of this.n8nProcesses.splice(0)) n8n.killNow();
		for (const service of this.services.splice(0)) service.killNow();
		if (!process.env.CONNECTORS_E2E_KEEP) fs.rmSync(this.root, { recursive: true, force: true });
	}
}

function stopwatch(laps: Record<string, number>): (step: string) => void {
	const begin = Date.now();
	return (step) => (laps[step] = Math.round((Date.now() - begin) / 100) / 10);
}

async function packPackage(folder: string): Promise<string> {
	const output = await runCommand('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: REPO_ROOT }, 'npm pack');
	return path.join(folder, output.trim().split('\n').pop() ?? '');
}

/** scripts/install-package.sh: the steps of n8n's Community Nodes installer, into one user folder. */
async function installPackage(userFolder: string, tarball: string): Promise<void> {
	await runCommand('bash', [path.join(REPO_ROOT, 'scripts/install-package.sh'), userFolder, tarball], { cwd: REPO_ROOT }, `installing the package into ${userFolder}`);
}

async function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }, what: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(stdout);
			else reject(new Error(`${what} failed (exit ${code}):\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
		});
	});
}
