import type { GraphClient, GraphItem } from '../../../../lib/providers/oneDrive/graph';
import { GraphListingApi } from '../../../../lib/providers/oneDrive/listing/graphListing';
import { listOneDriveChanges, relevantTo } from '../../../../lib/providers/oneDrive/listing/listChanges';
import type { OneDriveListingState } from '../../../../lib/providers/oneDrive/listing/state';

const DRIVE = 'b!drive';
const state: OneDriveListingState = {
	driveId: DRIVE,
	rootId: 'root',
	recursive: true,
	folders: { sub: ['Sub', 'root'] },
	files: { known: { name: 'known.txt', parent: 'sub', mime: 'text/plain' } },
};

const file = (id: string, parent: string, extra: Partial<GraphItem> = {}): GraphItem =>
	({ id, name: `${id}.txt`, eTag: `"${id}-2"`, file: { mimeType: 'text/plain' }, parentReference: { id: parent, driveId: DRIVE }, ...extra }) as GraphItem;
const outside = (page: number) => Array.from({ length: 1000 }, (_, index) => file(`elsewhere-${page}-${index}`, 'someone-elses-folder'));

/** A drive's delta feed in `pages` pages, followed as Graph hands out next and delta links. */
function deltaOf(pages: GraphItem[][]): GraphClient & { kept?: number } {
	let requests = 0;
	return {
		get requests() {
			return requests;
		},
		follow: async (link: string) => {
			requests++;
			const index = Number(new URL(link).searchParams.get('page') ?? 0);
			const last = index === pages.length - 1;
			return {
				value: pages[index],
				...(last ? { '@odata.deltaLink': 'https://graph.example/delta?token=next' } : { '@odata.nextLink': `https://graph.example/delta?page=${index + 1}` }),
			};
		},
	} as unknown as GraphClient;
}

const request = (snapshot: OneDriveListingState) => ({
	source: { kind: 'folder' as const, driveId: DRIVE, folderId: 'root', recursive: true },
	sourceKey: `onedrive:a@example.com:folder:root`,
	cursor: { deltaLink: 'https://graph.example/delta?page=0' },
	snapshot,
	filter: () => true,
});

describe("the OneDrive delta feed of a folder's source", () => {
	it('keeps, as each page arrives, only the items that can touch the source, the last version of each', async () => {
		const pages = [outside(0), [...outside(1), file('new', 'sub')], [file('known', 'sub', { name: 'renamed.txt' }), file('new', 'someone-elses-folder')]];
		const feed = await new GraphListingApi(deltaOf(pages)).changesSince('https://graph.example/delta?page=0', relevantTo(state));
		expect(feed?.items.map((item) => [item.id, item.parentReference?.id])).toEqual([
			['known', 'sub'],
			['new', 'someone-elses-folder'],
		]);
	});

	it('applies the kept items to a copy of the state: the moved-out file is not listed, the renamed one is', async () => {
		const result = await listOneDriveChanges(
			deltaOf([outside(0), [...outside(1), file('new', 'sub')], [file('known', 'sub', { name: 'renamed.txt' }), file('new', 'someone-elses-folder')]]),
			request(state),
		);
		expect(result.items.map((item) => [item.external_id, item.path])).toEqual([['known', '/Sub/renamed.txt']]);
		expect(result.nextSnapshot.files).toEqual({ known: { name: 'renamed.txt', parent: 'sub', mime: 'text/plain' } });
		expect(result.nextCursor).toEqual({ deltaLink: 'https://graph.example/delta?token=next' });
		// The state it was given is left as it was: its maps were copied before the delta was applied.
		expect(state.files.known.name).toBe('known.txt');
	});

	it('hands back the very state it was given when nothing in the feed touches the source', async () => {
		const result = await listOneDriveChanges(deltaOf([outside(0), outside(1)]), request(state));
		expect(result.nextSnapshot).toBe(state);
		expect(result.items).toEqual([]);
		expect(result.deletions).toEqual([]);
	});
});
