import type { RunCounts } from './types';

/** The item field listChanges stamps so that check and commit know which run an item belongs to. */
export const RUN_ID_FIELD = 'run_id';

export const DEFAULT_LEASE_MS = 60 * 60 * 1000;
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_KEPT_RUNS_PER_SOURCE = 50;
export const MAX_ERROR_SAMPLES = 10;
/** Longer error messages are cut to this many characters in a run's error samples. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;
/** How long a run slot held by a running node stays taken without a renewal (its process may have died). */
export const RUN_SLOT_TTL_MS = 2 * 60 * 1000;

/** Every count a run record keeps, in the order its counters are stored. */
export const RUN_COUNT_NAMES: readonly (keyof RunCounts)[] = [
	'processed',
	'new',
	'changed',
	'unchanged',
	'deleted',
	'skipped',
	'failed',
	'committed',
];
