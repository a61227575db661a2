import type { drive_v3 } from '@googleapis/drive';

import type { ConnectorItem } from '../../../../lib/items';
import { FOLDER_MIME, type DriveClient } from '../../../../lib/providers/googleDrive/client';
import { DriveListingApi } from '../../../../lib/providers/googleDrive/listing/driveApi';
import { listDriveChanges } from '../../../../lib/providers/googleDrive/listing/listChanges';
import { emptyState } from '../../../../lib/providers/googleDrive/listing/state';
import { listSubtree } from '../../../../lib/providers/googleDrive/listing/subtree';

const PAGE = 1000;

const file = (id: string, parents: string[]): drive_v3.Schema$File => ({ id, name: `${id}.txt`, mimeType: 'text/plain', parents, version: '1' });

/** Drive's files.list over `files`, a page of 1,000 at a time, noting how many files had been handed on when each page was asked for. */
function driveOf(files: drive_v3.Schema$File[], handedSoFar: () => number, slowFolder?: string): DriveClient & { asked: number[] } {
	const client = {
		asked: [] as number[],
		changes: { getStartPageToken: async () => ({ data: { startPageToken: '7' } }) },
		files: {
			get: async ({ fileId }: { fileId: string }) => ({ data: { id: fileId, name: 'Root', mimeType: FOLDER_MIME, trashed: false } }),
			list: async ({ q, pageToken }: { q: string; pageToken?: string }) => {
				client.asked.push(handedSoFar());
				if (slowFolder !== undefined && q.includes(`'${slowFolder}' in parents`)) await new Promise((resolve) => setTimeout(resolve, 20));
				const parents = [...q.matchAll(/'([^']+)' in parents/g)].map((match) => match[1]);
				const matching = files.filter((candidate) => candidate.parents?.some((parent) => parents.includes(parent)));
				const start = Number(pageToken ?? 0);
				const next = start + PAGE < matching.length ? String(start + PAGE) : undefined;
				return { data: { files: matching.slice(start, start + PAGE), nextPageToken: next } };
			},
		},
	};
	return client as unknown as DriveClient & { asked: number[] };
}

describe('the children of a level of a folder walk', () => {
	it("hands each file on as its page arrives, once per asked folder it sits in, and holds only what the walk keeps", async () => {
		const files = [
			...Array.from({ length: 1500 }, (_, index) => file(`a${index}`, ['A'])),
			file('both', ['A', 'B']),
			...Array.from({ length: 10 }, (_, index) => file(`b${index}`, ['B', 'elsewhere'])),
		];
		const handed: string[] = [];
		const drive = driveOf(files, () => handed.length);
		const api = new DriveListingApi(drive, undefined, undefined, { foldersPerQuery: 2, parallelism: 1 });

		const children = await api.childrenOf(['A', 'B'], null, (child, parent) => {
			handed.push(`${parent}/${child.id}`);
			return child.id?.endsWith('0') ? `${parent}/${child.id}` : null;
		});

		// One query for both folders, two pages: the first page's 1,000 files were handed on before the second was asked for.
		expect(drive.asked).toEqual([0, PAGE]);
		expect(handed).toHaveLength(1500 + 2 + 10);
		expect(handed.filter((entry) => entry.endsWith('/both'))).toEqual(['A/both', 'B/both']);
		expect(children.get('A')).toEqual(files.slice(0, 1500).filter((child) => child.id?.endsWith('0')).map((child) => `A/${child.id}`));
		expect(children.get('B')).toEqual(['B/b0']);
	});
});

describe('a first Drive listing offered onItems', () => {
	it('hands its files on a page at a time, filtered, before asking for the next page, and returns none itself', async () => {
		const files = [
			...Array.from({ length: 1500 }, (_, index) => file(`r${index}`, ['root'])),
			{ id: 'sub', name: 'Sub', mimeType: FOLDER_MIME, parents: ['root'] },
			file('s0', ['sub']),
			{ ...file('skip', ['sub']), name: 'skip.tmp' },
		];
		const batches: ConnectorItem[][] = [];
		const drive = driveOf(files, () => batches.flat().length);

		const listing = await listDriveChanges(drive, {
			source: { kind: 'folder', folderId: 'root', recursive: true },
			sourceKey: 'key',
			cursor: null,
			snapshot: null,
			filter: (path) => !path.endsWith('.tmp'),
			onItems: async (items) => {
				batches.push(items);
			},
		});

		expect(listing.items).toEqual([]);
		expect(batches.map((batch) => batch.length)).toEqual([1000, 500, 1]);
		// The second page of the root was asked for once the first page's files were handed on.
		expect(drive.asked.slice(0, 2)).toEqual([0, 1000]);
		expect(batches[2].map((item) => item.path)).toEqual(['/Sub/s0.txt']);
		// The state knows every file, filtered or not: a later filter change tells what left.
		expect(Object.keys(listing.nextSnapshot.files)).toHaveLength(1502);
	});
});

describe('a first Drive listing offered onEntries', () => {
	it('hands its file entries on with their page and keeps only folders in its state, the later word on a file last', async () => {
		const files = [
			...Array.from({ length: 1500 }, (_, index) => file(`r${index}`, ['root'])),
			{ id: 'sub', name: 'Sub', mimeType: FOLDER_MIME, parents: ['root'] },
			// In the root and in Sub, a level apart: the walk takes it twice, Sub's last, as without onEntries.
			file('both', ['root', 'sub']),
		];
		const entries: Record<string, unknown>[] = [];
		const handedItems: number[] = [];
		const drive = driveOf(files, () => entries.flatMap((batch) => Object.keys(batch)).length);

		const listing = await listDriveChanges(drive, {
			source: { kind: 'folder', folderId: 'root', recursive: true },
			sourceKey: 'key',
			cursor: null,
			snapshot: null,
			filter: () => true,
			onItems: async (items) => {
				handedItems.push(items.length);
			},
			onEntries: async (field, batch) => {
				expect(field).toBe('files');
				entries.push({ ...batch });
			},
		});

		expect(entries.map((batch) => Object.keys(batch).length)).toEqual([1000, 501, 1]);
		expect(handedItems).toEqual([1000, 501, 1]);
		// The second page of the root was asked for once the first page's entries were handed on.
		expect(drive.asked.slice(0, 2)).toEqual([0, 1000]);
		expect(entries[0].r0).toEqual({ name: 'r0.txt', parent: 'root', mime: 'text/plain' });
		expect(entries.filter((batch) => 'both' in batch).map((batch) => batch.both)).toEqual([
			{ name: 'both.txt', parent: 'root', mime: 'text/plain' },
			{ name: 'both.txt', parent: 'sub', mime: 'text/plain' },
		]);
		expect(listing.nextSnapshot.files).toEqual({});
		expect(listing.nextSnapshot.folders).toEqual({ sub: ['Sub', 'root'] });
	});
});

describe('a file in two folders of one level', () => {
	it('is the later folder\'s in queue order, whichever page arrives first', async () => {
		const files = [
			{ id: 'A', name: 'A', mimeType: FOLDER_MIME, parents: ['root'] },
			{ id: 'B', name: 'B', mimeType: FOLDER_MIME, parents: ['root'] },
			// Drive names its parents in an order of its own, not the walk's.
			file('both', ['B', 'A']),
		];
		for (const slowFolder of ['A', 'B']) {
			const api = new DriveListingApi(driveOf(files, () => 0, slowFolder), undefined, undefined, { foldersPerQuery: 1, parallelism: 8 });
			const state = emptyState('root', null, true);
			const items = await listSubtree(api, state, 'root', 'key');
			expect(state.files.both.parent).toBe('B');
			expect(items.filter((item) => item.external_id === 'both').at(-1)?.path).toBe('/B/both.txt');
		}
	});
});
