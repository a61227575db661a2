/**
 * V8's young-generation collection, for the export path. A download's chunks die young, but V8
 * frees them only when its young generation fills (n8n's grows to tens of MB) or 64 MB of buffers
 * await it; a 1 GiB export then held about 100 MB of chunks already written to disk.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor'; execution: 'sync' }) => void;

let collector: Collect | null | undefined;

/**
 * The collection, or null where the runtime does not offer it. Exposed in a context of its own,
 * and the flag put back, so no global `gc` appears in the process.
 */
export function youngCollector(): Collect | null {
	if (collector !== undefined) return collector;
	try {
		const exposed = (globalThis as { gc?: unknown }).gc;
		if (typeof exposed === 'function') {
			collector = exposed as Collect;
		} else {
			setFlagsFromString('--expose-gc');
			collector = runInNewContext('gc') as Collect;
			setFlagsFromString('--no-expose-gc');
		}
	} catch {
		collector = null;
	}
	return collector;
}
