import type { ConnectorItem } from '../../../lib/items';

export const SOURCE = 'google_drive:alice@example.com:folder-1';
export const OTHER_SOURCE = 'notion:workspace-9:page-2';

export function item(externalId: string, overrides: Partial<ConnectorItem> = {}): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: externalId,
		source_key: SOURCE,
		name: `${externalId}.txt`,
		path: `/docs/${externalId}.txt`,
		parents: ['folder-1'],
		mime: 'text/plain',
		size: 100,
		modified_at: '2025-01-01T10:00:00.000Z',
		created_at: '2024-12-01T10:00:00.000Z',
		version: '1',
		hash: `md5-${externalId}-1`,
		url: `https://drive.google.com/file/d/${externalId}/view`,
		change: 'upsert',
		...overrides,
	};
}

export function items(count: number, overrides: Partial<ConnectorItem> = {}): ConnectorItem[] {
	return Array.from({ length: count }, (_, index) => item(`file-${index}`, overrides));
}

export interface ManualClock {
	now: () => number;
	advance: (ms: number) => void;
}

/** A clock tests move by hand, for lease expiry. */
export function manualClock(start = Date.parse('2025-03-01T12:00:00.000Z')): ManualClock {
	let now = start;
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}
