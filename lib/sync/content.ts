/**
 * Exported bytes on their way into n8n's binary store: counted, hashed and held to the org
 * policy's size limit as they pass, whatever provider produced them.
 */
import { createHash } from 'node:crypto';
import { pipeline, type Readable, type TransformCallback } from 'node:stream';

import { HashingStream } from '../files/hashingStream';
import { formatBytes, maxFileSizeBytes, policyByteCap, PolicySkipError, type OrgPolicy } from '../policy';
import { youngCollector } from './youngGeneration';

/** Bytes of an export between two young-generation collections: what awaits V8 stays near this. */
export const YOUNG_COLLECTION_BYTES = 8 * 1024 * 1024;

export interface MeteredBody {
	/** What to hand n8n: the buffer as it is, or the stream through the size cap and the hash. */
	data: Readable | Buffer;
	/** sha256 hex of the bytes; for a stream, known once it has been read to the end. */
	contentHash(): string;
	bytes(): number;
}

/**
 * A stream is cut off with a `policy_size` PolicySkipError as soon as it passes the limit (the
 * reader sees the error, the download stops); a buffer over the limit is refused at once.
 */
export function meteredBody(body: Readable | Buffer, policy: OrgPolicy, name: string): MeteredBody {
	if (Buffer.isBuffer(body)) {
		if (body.length > maxFileSizeBytes(policy)) {
			throw new PolicySkipError(
				'policy_size',
				`${name} exports to ${formatBytes(body.length)}, over the org limit of ${policy.maxFileSizeMb} MB`,
			);
		}
		const hash = createHash('sha256').update(body).digest('hex');
		return { data: body, contentHash: () => hash, bytes: () => body.length };
	}
	const hashing = new CollectingHashStream();
	// pipeline destroys every stage on failure, so a policy_size error reaches the reader and stops the download.
	pipeline([body, policyByteCap(policy, name), hashing], () => undefined);
	return { data: hashing, contentHash: () => hashing.contentHash(), bytes: () => hashing.bytes() };
}

/**
 * The hash stage, which also has V8 collect its young generation every YOUNG_COLLECTION_BYTES, so
 * the chunks already handed on (whichever HTTP client allocated them) are freed as the export
 * goes, not tens of MB later. A collection of a young generation that is mostly garbage takes
 * about a millisecond.
 */
class CollectingHashStream extends HashingStream {
	private sinceCollection = 0;

	override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
		this.sinceCollection += chunk.length;
		if (this.sinceCollection >= YOUNG_COLLECTION_BYTES) {
			this.sinceCollection = 0;
			youngCollector()?.({ type: 'minor', execution: 'sync' });
		}
		super._transform(chunk, encoding, done);
	}
}
