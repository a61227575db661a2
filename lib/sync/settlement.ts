/**
 * Items that will not be committed, settled in the store so their run can complete. Skipped items
 * (refused by the policy, or by the provider) are settled for good: counted per reason in their
 * run, which no longer waits for them. Failed items are retried: their claim is freed, the failure
 * is recorded, and the run's cursor is held back so the next run lists them again. Items exported
 * with notes settle nothing: their notes are counted per code in their run.
 */
import type { ConnectorItem } from '../items';
import type { ConnectorStore } from '../store/types';
import type { SkippedItem } from './itemPolicy';

export interface FailedItem {
	item: ConnectorItem;
	/** What went wrong, for the run record's error samples. */
	message: string;
}

/** Appends to the list under `key` (grouping thousands of items without copying a list per item). */
function addTo<T>(groups: Map<string, T[]>, key: string, item: T): void {
	const group = groups.get(key);
	if (group === undefined) groups.set(key, [item]);
	else group.push(item);
}

/** Items without what the store keys them by (e.g. built by hand in a Code node) cannot be settled there. */
function settleable(item: ConnectorItem): boolean {
	return [item.provider, item.source_key, item.external_id].every((value) => typeof value === 'string' && value !== '');
}

/**
 * One release per reason. Items without a `run_id` of their own count towards `runId`, else towards
 * the execution's run of their source.
 */
export async function settleSkipped(
	store: ConnectorStore,
	skipped: readonly SkippedItem[],
	scope: { runId?: number; executionId?: string },
): Promise<void> {
	const byReason = new Map<string, SkippedItem[]>();
	for (const item of skipped.filter(settleable)) addTo(byReason, item.skip_reason, item);
	for (const [reason, items] of byReason) await store.items.release(items, { ...scope, outcome: 'skipped', reason });
}

export async function settleFailed(store: ConnectorStore, failed: readonly FailedItem[], executionId?: string): Promise<void> {
	for (const { item, message } of failed) {
		if (settleable(item)) await store.items.release([item], { outcome: 'failed', reason: message, executionId });
	}
}

/** The codes of an item's notes, each once. */
function noteCodes(item: ConnectorItem): Set<string> {
	return new Set((item.export_notes ?? []).map((note) => note.code));
}

/**
 * One count per code and item in the item's run (an item noted twice under one code counts once);
 * items without a `run_id` count towards the execution's run of their source, as skips do.
 */
export async function recordNotes(store: ConnectorStore, exported: readonly ConnectorItem[], scope: { executionId?: string }): Promise<void> {
	const byCode = new Map<string, ConnectorItem[]>();
	for (const item of exported.filter(settleable)) {
		for (const code of noteCodes(item)) addTo(byCode, code, item);
	}
	for (const [code, items] of byCode) await store.items.note(items, { ...scope, code });
}

/** The output pane's line on noted items: how many, per code; each item's `export_notes` says why. */
export function noteMessages(itemNoun: string, exported: readonly ConnectorItem[]): string[] {
	const counts = new Map<string, number>();
	for (const item of exported) {
		for (const code of noteCodes(item)) counts.set(code, (counts.get(code) ?? 0) + 1);
	}
	if (counts.size === 0) return [];
	const perCode = [...counts].map(([code, count]) => `${code}: ${count}`).join(', ');
	return [`${exported.length} ${itemNoun}(s) exported with a note (${perCode}) — each item's export_notes says why`];
}
