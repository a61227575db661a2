/**
 * Streams `CONNECTORS_TEST_MIB` MiB of fresh 64 KiB chunks (as a socket hands them over) through
 * meteredBody into a writer that awaits every chunk (as n8n's filesystem store does), and prints
 * the most ArrayBuffer memory the process held above its start, in bytes.
 */
import { Readable } from 'node:stream';

import { defaultPolicy } from '../../../lib/policy';
import { meteredBody } from '../../../lib/sync';

const CHUNK = 65_536;

async function main(): Promise<void> {
	const chunks = (Number(process.env.CONNECTORS_TEST_MIB) * 1024 * 1024) / CHUNK;
	let produced = 0;
	const source = new Readable({
		highWaterMark: CHUNK,
		read() {
			this.push(produced++ === chunks ? null : Buffer.alloc(CHUNK, produced % 251));
		},
	});
	const start = process.memoryUsage().arrayBuffers;
	let peak = 0;
	const body = meteredBody(source, { ...defaultPolicy(), maxFileSizeMb: 100_000 }, '"big.bin"');
	for await (const chunk of body.data as Readable) {
		await new Promise((resolve) => setImmediate(resolve));
		if ((chunk as Buffer).length !== CHUNK) throw new Error('short chunk');
		peak = Math.max(peak, process.memoryUsage().arrayBuffers - start);
	}
	if (body.bytes() !== chunks * CHUNK) throw new Error(`passed ${body.bytes()} bytes`);
	process.stdout.write(String(peak));
}

void main();
