/**
 * The project's benchmarks: scripts that print figures, not timed tests (machines are shared and
 * noisy, so comparisons are measured side by side in one run). Run after a build:
 *
 *   bash scripts/dev.sh bench            # all
 *   bash scripts/dev.sh bench cache      # the external_items cache, per SQLite driver
 *   bash scripts/dev.sh bench n8n-dedup  # Connector Dedup vs n8n's Remove Duplicates, in real n8n
 *   bash scripts/dev.sh bench drive      # Drive listing and export against the fake Drive at 50 ms latency
 *   bash scripts/dev.sh bench n8n-export # n8n's peak RSS while exporting a 1 GiB Drive file
 *   bash scripts/dev.sh bench notion     # Notion export of 200 pages against the fake Notion at 3 requests/s
 */
import { benchCache } from './bench/cache';
import { benchDrive } from './bench/drive';
import { benchN8nDedup } from './bench/n8nDedup';
import { benchN8nExport } from './bench/n8nExport';
import { benchNotion } from './bench/notion';

const benches: Record<string, () => void | Promise<void>> = {
	cache: () => {
		console.log('check + commit of 100,000 items against a cache holding 1,000,000 (and against an empty one):');
		console.log(benchCache({ log: (line) => console.error(line) }).table);
	},
	'n8n-dedup': () => console.log(benchN8nDedup({ items: 100_000 })),
	drive: async () => console.log(await benchDrive()),
	'n8n-export': async () => console.log(await benchN8nExport()),
	notion: async () => console.log(await benchNotion()),
};

async function main(): Promise<void> {
	const selected = process.argv.slice(2);
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
