import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { byteCap, defaultPolicy, PolicySkipError, policyByteCap } from '../../../lib/policy';

/** Streams `chunks` through `cap` and collects what came out the other side. */
async function streamThrough(chunks: Buffer[], cap: NodeJS.ReadWriteStream) {
	const received: Buffer[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			received.push(chunk);
			done();
		},
	});
	const error = await pipeline(Readable.from(chunks), cap, sink).then(
		() => undefined,
		(failure: unknown) => failure,
	);
	return { error, bytes: Buffer.concat(received).length };
}

const chunk = (size: number) => Buffer.alloc(size, 1);

describe('byteCap', () => {
	it('passes a stream of exactly the cap through untouched', async () => {
		const { error, bytes } = await streamThrough([chunk(40), chunk(60)], byteCap(100, 'Q3 plan.pdf'));
		expect(error).toBeUndefined();
		expect(bytes).toBe(100);
	});

	it('fails one byte over the cap with a policy_size skip naming the file and the limit', async () => {
		const { error } = await streamThrough([chunk(40), chunk(61)], byteCap(100, 'Q3 plan.pdf'));
		expect(error).toBeInstanceOf(PolicySkipError);
		expect(error).toMatchObject({
			code: 'policy_size',
			skipReason: 'policy_size',
			skipDetail: 'Q3 plan.pdf is larger than the org limit of 100 bytes; the download was stopped there',
		});
	});

	it('never passes more bytes than the cap and stops reading the source', async () => {
		let produced = 0;
		const endless = Readable.from(
			(function* () {
				for (;;) {
					produced += 10;
					yield chunk(10);
				}
			})(),
		);
		const received: Buffer[] = [];
		const sink = new Writable({
			write(data: Buffer, _encoding, done) {
				received.push(data);
				done();
			},
		});
		await expect(pipeline(endless, byteCap(95, 'big export'), sink)).rejects.toBeInstanceOf(PolicySkipError);
		expect(Buffer.concat(received).length).toBeLessThanOrEqual(95);
		expect(Buffer.concat(received).length).toBe(90);
		expect(produced).toBeLessThan(1000);
	});

	it('caps at the policy maximum file size, in MB', async () => {
		const cap = policyByteCap({ ...defaultPolicy(), maxFileSizeMb: 0.001 }, 'deck.pdf');
		const { error, bytes } = await streamThrough([chunk(1048), chunk(1)], cap);
		expect(bytes).toBe(1048);
		expect(error).toMatchObject({
			skipDetail: 'deck.pdf is larger than the org limit of 0.001 MB (1,048 bytes); the download was stopped there',
		});
	});
});
