import type { drive_v3 } from '@googleapis/drive';

import type { DriveClient } from '../../../../lib/providers/googleDrive/client';
import { DriveListingApi } from '../../../../lib/providers/googleDrive/listing/driveApi';

const PAGE = 1000;

const file = (id: string, parents: string[]): drive_v3.Schema$File => ({ id, name: `${id}.txt`, mimeType: 'text/plain', parents, version: '1' });

/** Drive's files.list over `files`, a page of 1,000 at a time, noting how many files had been handed on when each page was asked for. */
function driveOf(files: drive_v3.Schema$File[], handedSoFar: () => number): DriveClient & { asked: number[] } {
	const client = {
		asked: [] as number[],
		files: {
			list: async ({ q, pageToken }: { q: string; pageToken?: string }) => {
				client.asked.push(handedSoFar());
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
