import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';

import { type DriverName, openConnectorCache } from '../../../lib/cache';
import { collectClosedHandles, DRIVERS, SOURCE } from './helpers';

collectClosedHandles();
jest.setTimeout(60_000);

const repoRoot = resolve(__dirname, '../../..');
const workerScript = join(__dirname, 'fixtures', 'cacheWorker.js');
const slotWorkerScript = join(__dirname, 'fixtures', 'slotWorker.js');
const openWorkerScript = join(__dirname, 'fixtures', 'openWorker.js');
const ITEMS = 1000;

/** Compiles lib/items.ts, lib/errors.ts and lib/cache/ to CommonJS under `target`, type-stripped, as the build would. */
function compileLib(target: string): void {
	const sources = ['lib/items.ts', 'lib/errors.ts', ...readdirSync(join(repoRoot, 'lib/cache')).map((name) => `lib/cache/${name}`)];
	for (const source of sources.filter((name) => name.endsWith('.ts'))) {
		const output = ts.transpileModule(readFileSync(join(repoRoot, source), 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: source,
		});
		const destination = join(target, source.replace(/\.ts$/, '.js'));
		mkdirSync(dirname(destination), { recursive: true });
		writeFileSync(destination, output.outputText);
	}
}

/**
 * better-sqlite3's JavaScript without a binary that loads: what an install with
 * `--ignore-scripts` leaves on a platform it ships no prebuilt binary for.
 */
function installBetterSqlite3WithoutBinding(target: string): void {
	const from = join(repoRoot, 'node_modules', 'better-sqlite3');
	const excluded = ['build', 'deps', 'prebuilds', 'src'].map((folder) => join(from, folder));
	cpSync(from, join(target, 'node_modules', 'better-sqlite3'), {
		recursive: true,
		filter: (path) => !excluded.some((folder) => path.startsWith(folder)),
	});
}

interface WorkerConfig {
	name: string;
	driver: DriverName | 'auto';
	path: string;
	libDir?: string;
	count?: number;
	chunk?: number;
	batchSize?: number;
	leaseMs?: number;
	commit?: boolean;
	reverse?: boolean;
	hang?: boolean;
	waitForStart?: boolean;
	ingestMs?: number;
}

interface WorkerMessage {
	event: 'opened' | 'checked' | 'done' | 'error';
	driver?: DriverName;
	runId?: number;
	emitted?: string[];
	code?: string;
	message?: string;
}

interface Worker {
	messages: WorkerMessage[];
	/** Resolves with the first message of this kind. */
	next(event: WorkerMessage['event']): Promise<WorkerMessage>;
	exited: Promise<number | NodeJS.Signals | null>;
	kill(): void;
	start(): void;
}

/** Workers still running; a failed test must not leave one waiting for its start signal and keep jest alive. */
const liveWorkers = new Set<ChildProcess>();
afterEach(() => {
	for (const child of liveWorkers) child.kill('SIGKILL');
	liveWorkers.clear();
});

function startWorker(config: WorkerConfig, libDir: string, env: NodeJS.ProcessEnv): Worker {
	const full = {
		libDir,
		count: ITEMS,
		chunk: 10,
		batchSize: 10,
		leaseMs: 60_000,
		commit: true,
		reverse: false,
		hang: false,
		waitForStart: false,
		ingestMs: 2,
		sourceKey: SOURCE,
		...config,
	};
	const child = spawn(process.execPath, [workerScript, JSON.stringify(full)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
	liveWorkers.add(child);
	child.on('close', () => liveWorkers.delete(child));
	const messages: WorkerMessage[] = [];
	const waiting: Array<{ event: WorkerMessage['event']; resolve: (message: WorkerMessage) => void }> = [];
	let buffered = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	child.stdout.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		let newline = buffered.indexOf('\n');
		while (newline >= 0) {
			const message = JSON.parse(buffered.slice(0, newline)) as WorkerMessage;
			buffered = buffered.slice(newline + 1);
			messages.push(message);
			for (const waiter of waiting.filter((entry) => entry.event === message.event)) waiter.resolve(message);
			newline = buffered.indexOf('\n');
		}
	});
	const exited = new Promise<number | NodeJS.Signals | null>((resolveExit) =>
		child.on('close', (code, signal) => resolveExit(signal ?? code)),
	);
	return {
		messages,
		exited,
		kill: () => child.kill('SIGKILL'),
		start: () => child.stdin.write('go\n'),
		next: (event) => {
			const seen = messages.find((message) => message.event === event);
			if (seen !== undefined) return Promise.resolve(seen);
			return new Promise((resolveMessage, reject) => {
				waiting.push({ event, resolve: resolveMessage });
				void exited.then((how) => reject(
							new Error(`worker ${config.name} exited (${String(how)}) before "${event}": ${JSON.stringify(messages)} ${stderr}`),
						));
			});
		},
	};
}

interface SlotMessage {
	event: 'slot';
	acquired: boolean;
	holders: string[];
}

/** Runs slotWorker.js; resolves with its report and the process (still running when it holds the slot). */
function takeSlotInProcess(config: { executionId: string; driver: DriverName; path: string; limit: number; hold: boolean }, libDir: string, env: NodeJS.ProcessEnv) {
	const child = spawn(process.execPath, [slotWorkerScript, JSON.stringify({ ...config, libDir })], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | NodeJS.Signals | null>((resolveExit) => child.on('close', (code, signal) => resolveExit(signal ?? code)));
	const report = new Promise<SlotMessage>((resolveReport, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('\n')) resolveReport(JSON.parse(output.slice(0, output.indexOf('\n'))) as SlotMessage);
		});
		void exited.then((how) => reject(new Error(`slot worker ${config.executionId} exited (${String(how)}) without a report: ${stderr}`)));
	});
	return { report, exited, kill: () => child.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('the cache shared by separate processes', () => {
	let workDir = '';
	let libDir = '';
	let env: NodeJS.ProcessEnv = {};

	beforeAll(() => {
		workDir = mkdtempSync(join(tmpdir(), 'connectors-processes-'));
		libDir = join(workDir, 'build');
		compileLib(libDir);
		env = { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') };
	});
	afterAll(() => {
		rmSync(workDir, { recursive: true, force: true });
	});

	const cacheFile = (name: string) => join(workDir, `${name}.sqlite`);

	const pairs: Array<[DriverName, DriverName]> = [...DRIVERS.map((driver): [DriverName, DriverName] => [driver, driver]), ['better-sqlite3', 'node:sqlite']];

	it.each(pairs)(
		'two processes (%s and %s) checking the same 1,000 items at once emit each item exactly once between them',
		async (firstDriver, secondDriver) => {
			const path = cacheFile(`concurrent-${firstDriver}-${secondDriver}`.replace(/[^a-z0-9-]/gi, '_'));
			const first = startWorker({ name: 'first', driver: firstDriver, path, waitForStart: true }, libDir, env);
			const second = startWorker({ name: 'second', driver: secondDriver, path, waitForStart: true, reverse: true }, libDir, env);
			await Promise.all([first.next('opened'), second.next('opened')]);
			first.start();
			second.start();
			const [a, b] = await Promise.all([first.next('checked'), second.next('checked')]);
			await Promise.all([first.exited, second.exited]);

			const union = [...(a.emitted ?? []), ...(b.emitted ?? [])];
			expect(new Set(union).size).toBe(union.length);
			expect(union).toHaveLength(ITEMS);
			// Both really took part: the file was contended, not worked through by one process.
			expect(a.emitted?.length).toBeGreaterThan(0);
			expect(b.emitted?.length).toBeGreaterThan(0);

			const cache = openConnectorCache({ path, driver: firstDriver });
			const runs = [a.runId, b.runId].map((runId) => cache.getRun(runId ?? 0));
			expect(runs.reduce((sum, run) => sum + (run?.counts.committed ?? 0), 0)).toBe(ITEMS);
			expect(cache.status(SOURCE)[0]).toMatchObject({ itemsKnown: ITEMS, itemsInFlight: 0, hasCursor: true });
			cache.close();
		},
	);

	it.each(DRIVERS)(
		'with %s, a process killed between check and commit gets its items re-emitted after its lease, and none committed twice',
		async (driver) => {
			const path = cacheFile(`killed-${driver.replace(/[^a-z0-9]/gi, '_')}`);
			const leaseMs = 1500;
			const doomed = startWorker({ name: 'doomed', driver, path, leaseMs, commit: false, hang: true, chunk: 1000 }, libDir, env);
			const doomedChecked = await doomed.next('checked');
			const claimedAt = Date.now();
			expect(doomedChecked.emitted).toHaveLength(ITEMS);
			doomed.kill();
			expect(await doomed.exited).toBe('SIGKILL');

			const tooEarly = startWorker({ name: 'too-early', driver, path, leaseMs, chunk: 1000 }, libDir, env);
			expect((await tooEarly.next('checked')).emitted).toEqual([]);
			await tooEarly.exited;
			const between = openConnectorCache({ path, driver });
			expect(between.getCommittedCursor(SOURCE)).toBeNull();
			between.close();

			await sleep(Math.max(0, claimedAt + leaseMs + 200 - Date.now()));
			const retry = startWorker({ name: 'retry', driver, path, leaseMs, chunk: 1000 }, libDir, env);
			const retried = await retry.next('checked');
			await retry.exited;
			expect(retried.emitted).toHaveLength(ITEMS);

			const cache = openConnectorCache({ path, driver });
			const committedBy = (runId: number | undefined) => cache.getRun(runId ?? 0)?.counts.committed;
			expect(committedBy(doomedChecked.runId)).toBe(0);
			expect(committedBy(retried.runId)).toBe(ITEMS);
			expect(cache.getCommittedCursor(SOURCE)).toBe('retry');
			expect(cache.status(SOURCE)[0]).toMatchObject({ itemsKnown: ITEMS, itemsInFlight: 0 });
			cache.close();
		},
	);

	/** Two processes open the same new file at the same moment; each reports what it got. */
	async function openAtOnce(path: string, drivers: [DriverName, DriverName]): Promise<Array<{ opened: boolean; mode?: string; message?: string }>> {
		const startAt = Date.now() + 500;
		return await Promise.all(
			drivers.map(
				async (driver) =>
					await new Promise<{ opened: boolean; mode?: string; message?: string }>((resolveResult, reject) => {
						const child = spawn(process.execPath, [openWorkerScript, JSON.stringify({ libDir, path, driver, startAt })], { env });
						let output = '';
						child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
						child.on('close', () => {
							try {
								resolveResult(JSON.parse(output) as { opened: boolean; mode?: string; message?: string });
							} catch {
								reject(new Error(`open worker printed ${JSON.stringify(output)}`));
							}
						});
					}),
			),
		);
	}

	it.each(pairs)('two processes (%s and %s) opening the same new file at once both open it in WAL mode, every time', async (firstDriver, secondDriver) => {
		for (let round = 0; round < 20; round++) {
			const path = cacheFile(`open-${firstDriver}-${secondDriver}-${round}`.replace(/[^a-z0-9-]/gi, '_'));
			const results = await openAtOnce(path, [firstDriver, secondDriver]);
			expect(results).toEqual([
				{ opened: true, mode: 'wal' },
				{ opened: true, mode: 'wal' },
			]);
		}
	});

	describe('installed without better-sqlite3’s native binding (npm install --ignore-scripts)', () => {
		let installDir = '';
		beforeAll(() => {
			installDir = join(workDir, 'community-install');
			compileLib(installDir);
			installBetterSqlite3WithoutBinding(installDir);
		});
		const bareEnv = () => {
			const withoutNodePath = { ...process.env };
			delete withoutNodePath.NODE_PATH;
			return withoutNodePath;
		};

		it('falls back to node:sqlite under the auto driver and works', async () => {
			const worker = startWorker({ name: 'auto', driver: 'auto', path: cacheFile('auto'), count: 10 }, installDir, bareEnv());
			expect((await worker.next('opened')).driver).toBe('node:sqlite');
			expect((await worker.next('checked')).emitted).toHaveLength(10);
			await worker.exited;
		});

		it('explains what to do when better-sqlite3 is asked for by name', async () => {
			const worker = startWorker(
				{ name: 'named', driver: 'better-sqlite3', path: cacheFile('named'), count: 10 },
				installDir,
				bareEnv(),
			);
			const error = await worker.next('error');
			expect(error.code).toBe('cache_driver_unavailable');
			expect(error.message).toContain("use the 'auto' driver");
		});
	});

	it.each(pairs)(
		'a run slot taken by a %s process holds off a %s process until the holder is killed',
		async (firstDriver, secondDriver) => {
			const path = cacheFile(`slots-${firstDriver}-${secondDriver}`.replace(/[^a-z0-9-]/gi, '_'));
			const holder = takeSlotInProcess({ executionId: 'exec-1', driver: firstDriver, path, limit: 1, hold: true }, libDir, env);
			expect(await holder.report).toEqual({ event: 'slot', acquired: true, holders: [] });

			const refused = takeSlotInProcess({ executionId: 'exec-2', driver: secondDriver, path, limit: 1, hold: false }, libDir, env);
			expect(await refused.report).toEqual({ event: 'slot', acquired: false, holders: ['exec-1'] });
			await refused.exited;

			holder.kill();
			expect(await holder.exited).toBe('SIGKILL');
			const after = takeSlotInProcess({ executionId: 'exec-3', driver: secondDriver, path, limit: 1, hold: false }, libDir, env);
			expect(await after.report).toEqual({ event: 'slot', acquired: true, holders: [] });
			await after.exited;
		},
	);
});
