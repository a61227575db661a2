import type { drive_v3 } from '@googleapis/drive';

import type { DriveClient } from '../../../../lib/providers/googleDrive/client';
import { FOLDER_MIME } from '../../../../lib/providers/googleDrive/client';
import * as changes from '../../../../lib/providers/googleDrive/listing/changes';
import { relevantTo } from '../../../../lib/providers/googleDrive/listing/changes';
import { DriveListingApi } from '../../../../lib/providers/googleDrive/listing/driveApi';
import { listDriveChanges } from '../../../../lib/providers/googleDrive/listing/listChanges';
import type { DriveListingState } from '../../../../lib/providers/googleDrive/listing/state';

const state: DriveListingState = {
	rootId: 'root',
	driveId: null,
	recursive: true,
	folders: { sub: ['Sub', 'root'] },
	files: { known: { name: 'known.txt', parent: 'sub', mime: 'text/plain' } },
	shortcuts: {},
};

const change = (fileId: string, parent: string, extra: Partial<drive_v3.Schema$File> = {}): drive_v3.Schema$Change => ({
	changeType: 'file',
	fileId,
	removed: false,
	file: { id: fileId, name: `${fileId}.txt`, mimeType: 'text/plain', parents: [parent], version: '2', ...extra },
});

/** A change feed of `pages` pages, as Drive answers changes.list: a next page token until the last page. */
function feedOf(pages: drive_v3.Schema$Change[][]): DriveClient & { pagesServed: number } {
	const client = {
		pagesServed: 0,
		changes: {
			list: async ({ pageToken }: { pageToken: string }) => {
				const index = pageToken === 'start' ? 0 : Number(pageToken);
				client.pagesServed++;
				const last = index === pages.length - 1;
				return { data: { changes: pages[index], ...(last ? { newStartPageToken: 'next' } : { nextPageToken: String(index + 1) }) } };
			},
		},
	};
	return client as unknown as DriveClient & { pagesServed: number };
}

const outside = (page: number) => Array.from({ length: 1000 }, (_, index) => change(`elsewhere-${page}-${index}`, 'someone-elses-folder'));

describe("the Drive change feed of a folder's source", () => {
	it('keeps, as each page arrives, only the changes that can touch the source', async () => {
		const drive = feedOf([outside(0), [...outside(1), change('known', 'sub')], [change('new', 'root'), change('trashed-elsewhere', 'x', { trashed: true })]]);
		const feed = await new DriveListingApi(drive).changesSince('start', null, relevantTo(state));
		expect(drive.pagesServed).toBe(3);
		expect(feed?.changes.map((kept) => kept.fileId)).toEqual(['known', 'new']);
		expect(feed?.newStartPageToken).toBe('next');
	});

	it("keeps a later change of an id it kept, which may take the file out of the source, and the removal of what the state knows", () => {
		const keep = relevantTo(state);
		expect(keep(change('new', 'sub'))).toBe(true);
		expect(keep(change('new', 'someone-elses-folder'))).toBe(true);
		expect(keep({ changeType: 'file', fileId: 'known', removed: true })).toBe(true);
		expect(keep({ changeType: 'file', fileId: 'sub', removed: true })).toBe(true);
		expect(keep({ changeType: 'file', fileId: 'never-seen', removed: true })).toBe(false);
		expect(keep(change('folder-moved-in', 'root', { mimeType: FOLDER_MIME }))).toBe(true);
		expect(keep({ changeType: 'drive', driveId: 'd1' })).toBe(false);
	});

	it('applies only the kept changes, and hands back the very state it was given when none are', async () => {
		const applied = jest.spyOn(changes, 'applyChanges');
		try {
			const quiet = await listDriveChanges(feedOf([outside(0), outside(1)]), {
				source: { kind: 'folder', folderId: 'root', recursive: true },
				sourceKey: 'google_drive:a@example.com:folder:root',
				cursor: { pageToken: 'start' },
				snapshot: state,
				filter: () => true,
			});
			expect(applied).not.toHaveBeenCalled();
			expect(quiet.nextSnapshot).toBe(state);
			expect(quiet.items).toEqual([]);
			expect(quiet.deletions).toEqual([]);
		} finally {
			applied.mockRestore();
		}
	});
});
