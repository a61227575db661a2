import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while counting them and computing their sha256. */
export class HashingStream extends Transform {
	private readonly hash = createHash('sha256');
	private byteCount = 0;
	private digest: string | undefined;

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.hash.update(chunk);
		this.byteCount += chunk.length;
		done(null, chunk);
	}

	override _flush(done: TransformCallback): void {
		this.digest = this.hash.digest('hex');
		done();
	}

	/** sha256 hex of every byte passed; only known once the stream has ended. */
	contentHash(): string {
		if (this.digest === undefined) {
			throw new Error('The content hash is known only once the export stream has been read to the end');
		}
		return this.digest;
	}

	bytes(): number {
		return this.byteCount;
	}
}
