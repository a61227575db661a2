/** Which listing snapshots a store keeps, the same for every driver. */
import type { SnapshotWrite } from './types';

/** The state of a snapshot begun by `stageOwed` and not written yet: no cursor names it before. */
export const STAGED_STATE = '{}';

/**
 * The snapshots a write leaves behind (both stores): those older than the committed one, which can
 * never commit now, and proposals beyond the newest `keptProposals`.
 */
export function droppedSnapshots(ids: readonly number[], write: Pick<SnapshotWrite, 'snapshot' | 'committed' | 'keptProposals'>): number[] {
	const { snapshot, committed } = write;
	const proposals = ids
		.filter((id) => id !== snapshot && id !== committed && (committed === null || id > committed))
		.sort((left, right) => right - left)
		.slice(0, Math.max(0, write.keptProposals - 1));
	const kept = new Set([snapshot, ...proposals, ...(committed === null ? [] : [committed])]);
	return ids.filter((id) => !kept.has(id));
}
