import type { Client } from '@notionhq/client';

import type { ConnectorItem } from '../../../items';

export interface NotionExportResult {
	markdown: string;
	fileName: string;
	exportFormat: 'md';
	exportMime: 'text/markdown';
	contentHash: string;
	bytes: number;
	files: Array<{ name: string; url: string; mime: string | null }>;
	requests: number;
}

export async function exportNotionPage(
	client: Client,
	item: Pick<ConnectorItem, 'external_id'>,
	options: { signal?: AbortSignal } = {},
): Promise<NotionExportResult> {
	void client;
	void item;
	void options;
	throw new Error('exportNotionPage: not implemented yet');
}

export async function downloadNotionFile(
	url: string,
	options: { fetch?: typeof fetch } = {},
): Promise<{ stream: NodeJS.ReadableStream; mime: string | null }> {
	void url;
	void options;
	throw new Error('downloadNotionFile: not implemented yet');
}
