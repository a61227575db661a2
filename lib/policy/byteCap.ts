import { Transform, type TransformCallback } from 'node:stream';

import { PolicySkipError } from './errors';
import { formatBytes, maxFileSizeBytes, type OrgPolicy } from './policy';

/**
 * Passes bytes through until `maxBytes` would be exceeded, then fails with a `policy_size`
 * `PolicySkipError` without passing the chunk that crossed the cap: downstream never sees more
 * than `maxBytes`. For content whose size is only known while streaming (Google-native exports).
 */
export function byteCap(maxBytes: number, name: string, limit = formatBytes(maxBytes)): Transform {
	let seen = 0;
	return new Transform({
		transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
			seen += chunk.length;
			if (seen > maxBytes) {
				const detail = `${name} is larger than the org limit of ${limit}; the download was stopped there`;
				done(new PolicySkipError('policy_size', detail));
				return;
			}
			done(null, chunk);
		},
	});
}

/** `byteCap` at the policy's maximum file size. */
export function policyByteCap(policy: OrgPolicy, name: string): Transform {
	const maxBytes = maxFileSizeBytes(policy);
	return byteCap(maxBytes, name, `${policy.maxFileSizeMb} MB (${formatBytes(maxBytes)})`);
}
