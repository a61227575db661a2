import { AdaptiveConcurrency } from '../../../../lib/http';
import type { drive_v3 } from '@googleapis/drive';

import { googleDriveProvider, type DriveConnection } from '../../../../lib/providers/googleDrive';
import { FOLDER_MIME, type DriveClient } from '../../../../lib/providers/googleDrive/client';
import { childrenOf, quoted } from '../../../../lib/providers/googleDrive/query';
import { parseDriveQuery, type QueryableFile } from '../../../fakes/driveQuery';

const file = (overrides: Partial<QueryableFile>): QueryableFile => ({
	name: 'notes',
	mimeType: 'text/plain',
	parents: ['folder1'],
	ownerEmails: ['alice@example.com'],
	trashed: false,
	starred: false,
	modifiedTime: '2025-01-02T00:00:00.000Z',
	createdTime: '2025-01-01T00:00:00.000Z',
	fullText: '',
	...overrides,
});
const matches = (q: string, target: QueryableFile): boolean => parseDriveQuery(q, { me: 'alice@example.com', resolveId: (id) => id })(target);

describe('quoted', () => {
	it('escapes quotes and backslashes, so a name holding them is searched for as it is', () => {
		expect(quoted("Bob's \\ notes")).toBe("'Bob\\'s \\\\ notes'");
		expect(matches(`name = ${quoted("Bob's \\ notes")}`, file({ name: "Bob's \\ notes" }))).toBe(true);
		expect(matches(`name = ${quoted("Bob's")}`, file({ name: 'Bob' }))).toBe(false);
	});

	it('keeps a value that tries to end the string from adding clauses of its own', () => {
		const injected = "x' or name contains '";
		expect(matches(`name = ${quoted(injected)}`, file({ name: 'anything' }))).toBe(false);
		expect(matches(`name = ${quoted(injected)}`, file({ name: injected }))).toBe(true);
	});
});

describe('childrenOf', () => {
	it("asks for a folder's untrashed children", () => {
		expect(childrenOf('1AbC')).toBe("'1AbC' in parents and trashed = false");
		expect(matches(childrenOf("it's"), file({ parents: ["it's"] }))).toBe(true);
		expect(matches(childrenOf("it's"), file({ parents: ["it's"], trashed: true }))).toBe(false);
	});
});

describe('browse', () => {
	it("quotes the folder id in the children query, whatever Drive's id holds", async () => {
		const queries: string[] = [];
		const folder: drive_v3.Schema$File = { id: "it's", name: 'Odd', mimeType: FOLDER_MIME };
		const drive = {
			files: {
				get: async () => ({ data: folder }),
				list: async ({ q }: { q: string }) => {
					queries.push(q);
					return { data: { files: [] } };
				},
			},
		} as unknown as DriveClient;

		await googleDriveProvider.browse({ drive, signedFetch: fetch, downloads: new AdaptiveConcurrency({ initial: 1, max: 1 }), apiUrl: 'https://www.googleapis.com', sheetsUrl: 'https://sheets.googleapis.com' } satisfies DriveConnection, { kind: 'myDrive' });

		expect(queries).toEqual(["'it\\'s' in parents and trashed = false"]);
	});
});
