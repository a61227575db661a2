import type { drive_v3 } from '@googleapis/drive';

import { FOLDER_MIME, SHORTCUT_MIME } from '../../../../lib/providers/googleDrive/client';
import { applyChanges } from '../../../../lib/providers/googleDrive/listing/changes';
import type { DriveListingApi } from '../../../../lib/providers/googleDrive/listing/driveApi';
import { emptyState, folderPath, type DriveListingState } from '../../../../lib/providers/googleDrive/listing/state';
import { listSubtree } from '../../../../lib/providers/googleDrive/listing/subtree';

/** A Drive of folders, files and shortcuts in memory, answering the listing's calls. */
function driveOf(files: drive_v3.Schema$File[]): DriveListingApi & { calls: string[] } {
	const calls: string[] = [];
	const api = {
		requests: 0,
		filesReported: 0,
		calls,
		reportListed: () => undefined,
		childrenOf: async (folderIds: string[], _driveId: string | null, childOf: (file: drive_v3.Schema$File, parent: string) => unknown) => {
			for (const folderId of folderIds) calls.push(`children ${folderId}`);
			const childrenIn = (folderId: string) => files.filter((file) => file.parents?.[0] === folderId).map((file) => childOf(file, folderId));
			return new Map(folderIds.map((folderId) => [folderId, childrenIn(folderId).filter((child) => child !== null)]));
		},
		file: async (fileId: string) => {
			calls.push(`get ${fileId}`);
			return files.find((file) => file.id === fileId) ?? null;
		},
	};
	return api as unknown as DriveListingApi & { calls: string[] };
}

const folder = (id: string, parent: string): drive_v3.Schema$File => ({ id, name: id, mimeType: FOLDER_MIME, parents: [parent] });
const file = (id: string, parent: string): drive_v3.Schema$File => ({ id, name: `${id}.txt`, mimeType: 'text/plain', parents: [parent], version: '1' });
const shortcut = (id: string, parent: string, target: string, targetMimeType = FOLDER_MIME): drive_v3.Schema$File => ({
	id,
	name: id,
	mimeType: SHORTCUT_MIME,
	parents: [parent],
	shortcutDetails: { targetId: target, targetMimeType },
});

describe('Drive listing state', () => {
	it('gives no path, and does not loop, for folders whose parents go round in a circle', () => {
		const state: DriveListingState = { ...emptyState('root', null, true), folders: { a: ['A', 'b'], b: ['B', 'a', 'link'], c: ['C', 'root'] } };

		expect(folderPath(state, 'a')).toBeNull();
		expect(folderPath(state, 'b')).toBeNull();
		expect(folderPath(state, 'c')).toBe('/C');
	});
});

describe('listSubtree with shortcuts to folders', () => {
	it('enters each folder once however many shortcuts lead to it, and never the root or an ancestor', async () => {
		const api = driveOf([
			folder('a', 'root'),
			shortcut('toT', 'a', 't'),
			shortcut('toTagain', 'root', 't'),
			folder('t', 'elsewhere'),
			file('f', 't'),
			shortcut('toRoot', 't', 'root'),
			shortcut('toA', 't', 'a'),
			shortcut('toSelf', 't', 't'),
		]);
		const state = emptyState('root', null, true);

		const items = await listSubtree(api, state, 'root', 'key');

		expect(items.map((item) => item.path)).toEqual(['/a/t/f.txt']);
		expect(state.folders.t).toEqual(['t', 'a', 'toT']);
		expect(state.shortcuts).toEqual({ toT: 't' });
		expect(api.calls.filter((call) => call === 'children t')).toHaveLength(1);
	});
});

describe('applyChanges with shortcuts to folders', () => {
	it('drops both folders when a move makes the shortcut sit inside the folder it leads to', async () => {
		const files = [folder('a', 'root'), shortcut('toT', 'a', 't'), folder('t', 'elsewhere'), file('f', 't'), file('g', 'a')];
		const state = emptyState('root', null, true);
		await listSubtree(driveOf(files), state, 'root', 'key');
		expect(Object.keys(state.files).sort()).toEqual(['f', 'g']);

		// "a" moves into "t": "t" is reachable only through a shortcut inside itself now.
		const upserts = await applyChanges(driveOf(files), state, [{ changeType: 'file', fileId: 'a', file: folder('a', 't') }], 'key');

		expect(upserts).toEqual([]);
		expect(state.folders).toEqual({});
		expect(state.files).toEqual({});
		expect(state.shortcuts).toEqual({});
	});

	it('keeps a shortcut-reached folder in place, without a request, when only the folder itself moved', async () => {
		const files = [shortcut('toT', 'root', 't'), folder('t', 'elsewhere'), file('f', 't')];
		const state = emptyState('root', null, true);
		await listSubtree(driveOf(files), state, 'root', 'key');
		const api = driveOf(files);

		const upserts = await applyChanges(api, state, [{ changeType: 'file', fileId: 't', file: { ...folder('t', 'other'), name: 'T2' } }], 'key');

		expect(upserts.map((item) => item.path)).toEqual(['/T2/f.txt']);
		expect(state.folders.t).toEqual(['T2', 'root', 'toT']);
		expect(api.calls).toEqual(['children t']);
	});
});
