import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { PolicySkipError } from '../../../lib/policy';
import { meteredBody } from '../../../lib/sync';
import { ChunkedBody } from './fakeProvider';
import { policyWith } from './support';

/** 0.001 MB: 1,048 bytes. */
const policy = policyWith({ maxFileSizeMb: 0.001 });
const LIMIT = 1_048;
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function drain(stream: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
	const chunks: Buffer[] = [];
	try {
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		return { bytes: Buffer.concat(chunks) };
	} catch (error) {
		return { bytes: Buffer.concat(chunks), error };
	}
}

describe('meteredBody', () => {
	it('hands on a buffer within the limit as it is, with its sha256 and size', () => {
		const content = Buffer.alloc(LIMIT, 7);
		const body = meteredBody(content, policy, '"a.bin"');
		expect(body.data).toBe(content);
		expect(body.contentHash()).toBe(sha256(content));
		expect(body.bytes()).toBe(LIMIT);
	});

	it('refuses a buffer one byte over the limit with a policy_size skip naming the item', () => {
		const refuse = () => meteredBody(Buffer.alloc(LIMIT + 1), policy, '"a.bin"');
		expect(refuse).toThrow(PolicySkipError);
		expect(refuse).toThrow(
			expect.objectContaining({ skipReason: 'policy_size', skipDetail: '"a.bin" exports to 1,049 bytes, over the org limit of 0.001 MB' }),
		);
	});

	it('passes a stream within the limit through, its sha256 and size known once read to the end', async () => {
		const content = Buffer.alloc(LIMIT, 3);
		const body = meteredBody(new ChunkedBody(content, 100), policy, '"a.bin"');
		expect(() => body.contentHash()).toThrow(/known only once the export stream has been read to the end/);
		const { bytes, error } = await drain(body.data as Readable);
		expect(error).toBeUndefined();
		expect(bytes.equals(content)).toBe(true);
		expect(body.contentHash()).toBe(sha256(content));
		expect(body.bytes()).toBe(LIMIT);
	});

	it('fails a stream crossing the limit with policy_size, its reader getting no more than the limit, and stops the source', async () => {
		const source = new ChunkedBody(Buffer.alloc(LIMIT * 4), 100);
		const body = meteredBody(source, policy, '"a.bin"');
		const { bytes, error } = await drain(body.data as Readable);
		expect(error).toBeInstanceOf(PolicySkipError);
		expect(error).toMatchObject({
			skipReason: 'policy_size',
			skipDetail: '"a.bin" is larger than the org limit of 0.001 MB (1,048 bytes); the download was stopped there',
		});
		expect(bytes.length).toBeLessThanOrEqual(LIMIT);
		expect(source.destroyed).toBe(true);
	});

	it('hands on an error of the source stream to the reader', async () => {
		const source = new Readable({ read() { this.destroy(new Error('connection reset')); } });
		const { error } = await drain(meteredBody(source, policy, '"a.bin"').data as Readable);
		expect(error).toMatchObject({ message: 'connection reset' });
	});
});
