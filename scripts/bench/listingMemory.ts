/**
 * Peak RSS growth of listing a 100,000-file source: its first listing, and the next run when
 * nothing changed, without a cap and with Max Items per Run (the remainder owed to later runs).
 * The Google Drive provider runs over a direct stub of the Drive client (no HTTP, no fake server in
 * the process: files are made up page by page), through the engine's `listSource` into a SQLite
 * store; each listing runs in a process of its own (scripts/bench/listingMemoryRun.ts), whose peak
 * RSS the kernel reports (VmHWM, reset just before the listing).
 *
 *   npm run bench -- listing-memory [--files=100000] [--folders=100] [--max-items=1000] [--baseline=<checkout>]
 *
 * `--baseline` names another checkout of the package (with its node_modules), e.g. a worktree of
 * main: its lib/ is measured the same way, side by side.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { numberArg, ROOT, stringArg } from './support';

export interface ListingMemoryBenchOptions {
	files: number;
	folders: number;
	maxItems: number;
	/** Another checkout to measure beside this one. */
	baseline: string | null;
}

export function listingMemoryBenchOptions(): ListingMemoryBenchOptions {
	return {
		files: numberArg('files', 100_000),
		folders: numberArg('folders', 100),
		maxItems: numberArg('max-items', 1000),
		baseline: stringArg('baseline') ?? null,
	};
}

interface Measured {
	phase: string;
	growth: number;
	ms: number;
	emitted: number;
	hasMore: boolean;
}

function measure(root: string, store: string, phase: 'first' | 'unchanged', options: ListingMemoryBenchOptions, maxItems: number): Measured {
	const args = ['--expose-gc', '--import', 'tsx', join(ROOT, 'scripts/bench/listingMemoryRun.ts'), `--root=${root}`, `--store=${store}`, `--phase=${phase}`];
	args.push(`--files=${options.files}`, `--folders=${options.folders}`, `--max-items=${maxItems}`);
	const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
	if (result.status !== 0) throw new Error(`The ${phase} listing of ${root} failed (exit ${String(result.status)})`);
	return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function benchListingMemory(options: ListingMemoryBenchOptions): string {
	const roots: Array<[string, string]> = [['this checkout', ROOT]];
	if (options.baseline !== null) roots.unshift([`baseline ${options.baseline}`, resolve(options.baseline)]);
	const lines = [
		`Peak RSS growth listing ${options.files.toLocaleString('en-US')} files in ${options.folders} folders (Drive provider over a direct client stub, SQLite store):`,
		'',
		'| code | max items | first listing | next run, nothing changed |',
		'|---|---|---|---|',
	];
	for (const [label, root] of roots) {
		for (const maxItems of [0, options.maxItems]) {
			const directory = mkdtempSync(join(tmpdir(), 'connectors-listing-memory-'));
			try {
				const store = join(directory, 'store.sqlite');
				const first = measure(root, store, 'first', options, maxItems);
				const next = measure(root, store, 'unchanged', options, maxItems);
				const cell = (run: Measured) => `${mb(run.growth)} (${run.emitted.toLocaleString('en-US')} out, ${(run.ms / 1000).toFixed(1)} s)`;
				lines.push(`| ${label} | ${maxItems > 0 ? maxItems.toLocaleString('en-US') : 'none'} | ${cell(first)} | ${cell(next)} |`);
			} finally {
				rmSync(directory, { recursive: true, force: true });
			}
		}
	}
	return lines.join('\n');
}

if (require.main === module) console.log(benchListingMemory(listingMemoryBenchOptions()));
