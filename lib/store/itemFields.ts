/** Reading the fields of an incoming item the way every store driver does: items may come from a Code node. */
import type { ConnectorItem } from '../items';
import { RUN_ID_FIELD } from './constants';
import { CacheError } from './errors';

export function optionalText(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

export function optionalSize(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

/** The listing run an item belongs to, as a positive integer (or its decimal text), else null. */
export function itemRunId(item: ConnectorItem): number | null {
	const value = item[RUN_ID_FIELD];
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
	return null;
}

export function requireText(item: ConnectorItem, index: number, field: 'source_key' | 'external_id' | 'provider'): string {
	const value: unknown = item[field];
	if (typeof value === 'string' && value !== '') return value;
	throw new CacheError(
		'invalid_item',
		`Item ${index} has no ${field} — pass items from listChanges or export, or set ${field} in the Code node that builds them.`,
	);
}
