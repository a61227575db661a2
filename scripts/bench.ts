/**
 * The project's benchmarks: scripts that print figures, not timed tests (machines are shared and
 * noisy, so comparisons are measured side by side in one run). Run after a build:
 *
 *   npm run bench                        # all (also bash scripts/dev.sh bench, which builds first)
 *   npm run bench -- cache               # the external_items cache: SQLite per driver, and PostgreSQL
 *   npm run bench -- n8n-dedup           # Connector Dedup vs n8n's Remove Duplicates, in real n8n
 *   npm run bench -- drive               # Drive listing and export against the fake Drive at 50 ms latency
 *   npm run bench -- n8n-drive           # Drive list + export of 500 files in real n8n, 16 parallel downloads vs 1
 *   npm run bench -- n8n-export          # n8n's peak RSS while exporting a 1 GiB Drive file
 *   npm run bench -- notion              # Notion export of 200 pages against the fake Notion at 3 requests/s
 *   npm run bench -- dropbox             # Dropbox listing and export against the fake Dropbox at 50 ms latency
 *   npm run bench -- onedrive            # OneDrive listing and export against the fake Graph at 50 ms latency
 *   npm run bench -- listing-memory      # peak RSS growth of a 100,000-file first listing and of an unchanged run
 *
 * `--name=value` options go to the benchmarks that read them (each file's header lists its own),
 * e.g. `npm run bench -- cache --seed=10000 --items=1000`.
 */
import { benchCache, cacheBenchOptions } from './bench/cache';
import { benchDrive, driveBenchOptions } from './bench/drive';
import { benchDropbox, dropboxBenchOptions } from './bench/dropbox';
import { benchListingMemory, listingMemoryBenchOptions } from './bench/listingMemory';
import { benchN8nDedup, n8nDedupBenchOptions } from './bench/n8nDedup';
import { benchN8nDrive, n8nDriveBenchOptions } from './bench/n8nDrive';
import { benchN8nExport, n8nExportBenchOptions } from './bench/n8nExport';
import { benchNotion, notionBenchOptions } from './bench/notion';
import { benchOneDrive, oneDriveBenchOptions } from './bench/oneDrive';

const benches: Record<string, () => void | Promise<void>> = {
	cache: async () => {
		const options = cacheBenchOptions();
		const items = (options.checkItems ?? 100_000).toLocaleString('en-US');
		const seeded = (options.seedItems ?? 1_000_000).toLocaleString('en-US');
		console.log(`check + commit of ${items} items against a cache holding ${seeded} (and against an empty one):`);
		console.log((await benchCache({ ...options, log: (line) => console.error(line) })).table);
	},
	'n8n-dedup': () => console.log(benchN8nDedup(n8nDedupBenchOptions())),
	drive: async () => console.log(await benchDrive(driveBenchOptions())),
	'n8n-drive': async () => console.log(await benchN8nDrive(n8nDriveBenchOptions())),
	'n8n-export': async () => console.log(await benchN8nExport(n8nExportBenchOptions())),
	notion: async () => console.log(await benchNotion(notionBenchOptions())),
	dropbox: async () => console.log(await benchDropbox(dropboxBenchOptions())),
	onedrive: async () => console.log(await benchOneDrive(oneDriveBenchOptions())),
	'listing-memory': () => console.log(benchListingMemory(listingMemoryBenchOptions())),
};

async function main(): Promise<void> {
	const selected = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
	for (const name of selected.length ? selected : Object.keys(benches)) {
		const bench = benches[name];
		if (!bench) {
			console.error(`Unknown benchmark "${name}"; choose from: ${Object.keys(benches).join(', ')}`);
			process.exit(2);
		}
		await bench();
		console.log('');
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
