/**
 * Entry point of `scripts/dev.sh demo` and `scripts/dev.sh start` (the sandbox lives under
 * scripts/demo/ and reuses test/fakes, which are not part of the build: tsx loads them).
 *   node --import tsx scripts/demo.ts demo  <n8n executable>
 *   node --import tsx scripts/demo.ts start <n8n executable>
 */
import { main as demo } from './demo/demo';
import { main as start } from './demo/start';

const [command, n8nBin] = process.argv.slice(2);
const entries: Record<string, (n8nBin: string) => Promise<number>> = { demo, start };
const entry = entries[command];
if (!entry || !n8nBin) {
	console.error('usage: node --import tsx scripts/demo.ts demo|start <n8n executable>');
	process.exit(2);
}

entry(n8nBin).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.stack : error);
		process.exit(1);
	},
);
