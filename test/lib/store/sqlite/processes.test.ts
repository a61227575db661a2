import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { openStore } from '../../../../lib/store';
import type { DriverName } from '../../../../lib/store/sqlite/driver';
import { SOURCE } from '../helpers';
import { collectClosedHandles, DRIVERS } from './helpers';

collectClosedHandles();
jest.setTimeout(60_000);

const repoRoot = resolve(__dirname, '../../../..');
const fixturesDir = relative(repoRoot, join(__dirname, 'fixtures'));
const ITEMS = 1000;

/** Workers still running; a failed test must not leave one waiting for its start signal and keep jest alive. */
const liveWorkers = new Set<ChildProcess>();
afterEach(() => {
	for (const child of liveWorkers) child.kill('SIGKILL');
	liveWorkers.clear();
});

interface Worker<Message extends { event: string }> {
	messages: Message[];
	/** Resolves with the first message of this kind (that `matches`, when given). */
	next(event: Message['event'], matches?: (message: Message) => boolean): Promise<Message>;
	exited: Promise<number | NodeJS.Signals | null>;
	kill(): void;
	/** Writes one line to the worker's stdin. */
	send(line: string): void;
	/** Closes the worker's stdin. */
	end(): void;
}

/**
 * Runs a fixture as TypeScript through tsx, from the checkout at `root` (the repository, or a copy
 * of its sources), and reads the JSON lines it prints.
 */
function spawnFixture<Message extends { event: string }>(
	root: string,
	fixture: string,
	label: string,
	config: object,
	env: NodeJS.ProcessEnv,
): Worker<Message> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(root, fixturesDir, fixture), JSON.stringify(config)], {
		cwd: repoRoot,
		env,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	liveWorkers.add(child);
	child.on('close', () => liveWorkers.delete(child));
	const messages: Message[] = [];
	const waiting: Array<{ event: Message['event']; matches: (message: Message) => boolean; resolve: (message: Message) => void }> = [];
	let buffered = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	child.stdout.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		let newline = buffered.indexOf('\n');
		while (newline >= 0) {
			const message = JSON.parse(buffered.slice(0, newline)) as Message;
			buffered = buffered.slice(newline + 1);
			messages.push(message);
			for (const waiter of waiting.filter((entry) => entry.event === message.event && entry.matches(message))) {
				waiter.resolve(message);
			}
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
		send: (line) => child.stdin.write(`${line}\n`),
		end: () => child.stdin.end(),
		next: (event, matches = () => true) => {
			const seen = messages.find((message) => message.event === event && matches(message));
			if (seen !== undefined) return Promise.resolve(seen);
			return new Promise((resolveMessage, reject) => {
				waiting.push({ event, matches, resolve: resolveMessage });
				void exited.then((how) =>
					reject(new Error(`worker ${label} exited (${String(how)}) before "${event}": ${JSON.stringify(messages)} ${stderr}`)),
				);
			});
		},
	};
}

/** The library's sources and the fixtures under `target`, laid out as in the repository. */
function copySources(target: string): void {
	cpSync(join(repoRoot, 'lib'), join(target, 'lib'), { recursive: true });
	cpSync(join(repoRoot, fixturesDir), join(target, fixturesDir), { recursive: true });
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

/** Runs cacheWorker.ts from the checkout at `root`. */
function startWorker(config: WorkerConfig, root: string, env: NodeJS.ProcessEnv) {
	const full = {
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
	const worker = spawnFixture<WorkerMessage>(root, 'cacheWorker.ts', config.name, full, env);
	return { ...worker, start: () => worker.send('go') };
}

interface SlotMessage {
	event: 'slot';
	acquired: boolean;
	holders: string[];
}

/** Runs slotWorker.ts; resolves with its report and the process (still running when it holds the slot). */
function takeSlotInProcess(config: { executionId: string; driver: DriverName; path: string; limit: number; hold: boolean }, env: NodeJS.ProcessEnv) {
	const worker = spawnFixture<SlotMessage>(repoRoot, 'slotWorker.ts', config.executionId, config, env);
	return { report: worker.next('slot'), exited: worker.exited, kill: worker.kill };
}

interface OpenMessage {
	event: 'ready' | 'result';
	path?: string;
	opened?: boolean;
	mode?: string;
	message?: string;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('the SQLite store shared by separate processes', () => {
	let workDir = '';
	const env = process.env;

	beforeAll(() => {
		workDir = mkdtempSync(join(tmpdir(), 'connectors-processes-'));
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
			const first = startWorker({ name: 'first', driver: firstDriver, path, waitForStart: true }, repoRoot, env);
			const second = startWorker({ name: 'second', driver: secondDriver, path, waitForStart: true, reverse: true }, repoRoot, env);
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

			const store = await openStore({ path, driver: firstDriver });
			const runs = await Promise.all([a.runId, b.runId].map(async (runId) => await store.runs.get(runId ?? 0)));
			expect(runs.reduce((sum, run) => sum + (run?.counts.committed ?? 0), 0)).toBe(ITEMS);
			expect((await store.status(SOURCE))[0]).toMatchObject({ itemsKnown: ITEMS, itemsInFlight: 0, hasCursor: true });
			await store.close();
		},
	);

	it.each(DRIVERS)(
		'with %s, a process killed between check and commit gets its items re-emitted after its lease, and none committed twice',
		async (driver) => {
			const path = cacheFile(`killed-${driver.replace(/[^a-z0-9]/gi, '_')}`);
			const leaseMs = 1500;
			const doomed = startWorker({ name: 'doomed', driver, path, leaseMs, commit: false, hang: true, chunk: 1000 }, repoRoot, env);
			// Loaded before the claims are taken, so that its check falls well within their lease however slow start-up is.
			const tooEarly = startWorker({ name: 'too-early', driver, path, leaseMs, chunk: 1000, waitForStart: true }, repoRoot, env);
			await tooEarly.next('opened');
			const doomedChecked = await doomed.next('checked');
			const claimedAt = Date.now();
			expect(doomedChecked.emitted).toHaveLength(ITEMS);
			doomed.kill();
			expect(await doomed.exited).toBe('SIGKILL');

			tooEarly.start();
			expect((await tooEarly.next('checked')).emitted).toEqual([]);
			await tooEarly.exited;
			const between = await openStore({ path, driver });
			expect(await between.cursors.committed(SOURCE)).toBeNull();
			await between.close();

			await sleep(Math.max(0, claimedAt + leaseMs + 200 - Date.now()));
			const retry = startWorker({ name: 'retry', driver, path, leaseMs, chunk: 1000 }, repoRoot, env);
			const retried = await retry.next('checked');
			await retry.exited;
			expect(retried.emitted).toHaveLength(ITEMS);

			const store = await openStore({ path, driver });
			const committedBy = async (runId: number | undefined) => (await store.runs.get(runId ?? 0))?.counts.committed;
			expect(await committedBy(doomedChecked.runId)).toBe(0);
			expect(await committedBy(retried.runId)).toBe(ITEMS);
			expect(await store.cursors.committed(SOURCE)).toBe('retry');
			expect((await store.status(SOURCE))[0]).toMatchObject({ itemsKnown: ITEMS, itemsInFlight: 0 });
			await store.close();
		},
	);

	it.each(pairs)('two processes (%s and %s) opening the same new file at once both open it in WAL mode, every time', async (firstDriver, secondDriver) => {
		const openers = [firstDriver, secondDriver].map((driver) =>
			spawnFixture<OpenMessage>(repoRoot, 'openWorker.ts', driver, { driver }, env),
		);
		await Promise.all(openers.map(async (opener) => await opener.next('ready')));
		for (let round = 0; round < 20; round++) {
			const path = cacheFile(`open-${firstDriver}-${secondDriver}-${round}`.replace(/[^a-z0-9-]/gi, '_'));
			// Both processes are loaded and waiting: each opens the file at the same moment.
			const startAt = Date.now() + 50;
			for (const opener of openers) opener.send(JSON.stringify({ path, startAt }));
			const results = await Promise.all(
				openers.map(async (opener) => {
					const { opened, mode, message } = await opener.next('result', (result) => result.path === path);
					return { opened, mode, message };
				}),
			);
			expect(results).toEqual([
				{ opened: true, mode: 'wal' },
				{ opened: true, mode: 'wal' },
			]);
		}
		for (const opener of openers) opener.end();
		await Promise.all(openers.map(async (opener) => await opener.exited));
	});

	describe('installed without better-sqlite3’s native binding (npm install --ignore-scripts)', () => {
		let installDir = '';
		beforeAll(() => {
			installDir = join(workDir, 'community-install');
			copySources(installDir);
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
			const holder = takeSlotInProcess({ executionId: 'exec-1', driver: firstDriver, path, limit: 1, hold: true }, env);
			expect(await holder.report).toEqual({ event: 'slot', acquired: true, holders: [] });

			const refused = takeSlotInProcess({ executionId: 'exec-2', driver: secondDriver, path, limit: 1, hold: false }, env);
			expect(await refused.report).toEqual({ event: 'slot', acquired: false, holders: ['exec-1'] });
			await refused.exited;

			holder.kill();
			expect(await holder.exited).toBe('SIGKILL');
			const after = takeSlotInProcess({ executionId: 'exec-3', driver: secondDriver, path, limit: 1, hold: false }, env);
			expect(await after.report).toEqual({ event: 'slot', acquired: true, holders: [] });
			await after.exited;
		},
	);
});
