/**
 * One measured listing for the listing-memory bench, in a process of its own so that its peak RSS
 * is its own: the Google Drive provider over a direct stub of the Drive client (no HTTP, files
 * made up page by page and never held by the stub), through the engine's `listSource` into a
 * SQLite store. `--root` names the checkout whose lib/ is run, so two versions compare side by side.
 *
 *   node --import tsx scripts/bench/listingMemoryRun.ts --root=. --store=/tmp/s.sqlite --phase=first|unchanged
 *        [--files=100000] [--folders=100] [--max-items=0]
 *
 * Prints one JSON line: RSS before the listing, the peak during it (the kernel's VmHWM, reset just
 * before), and what the listing emitted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { numberArg, stringArg } from './support';

const FOLDER = 'application/vnd.google-apps.folder';
const ROOT_ID = '0AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const PAGE = 1000;

interface DriveFile {
	id: string;
	name: string;
	mimeType: string;
	parents: string[];
	size?: string;
	modifiedTime: string;
	createdTime: string;
	webViewLink: string;
	md5Checksum?: string;
	version: string;
	trashed: boolean;
}

function folderId(index: number): string {
	return `1Fo${String(index).padStart(6, '0')}lDeRxYzAbCdEfGhIjKlMnOpQr`;
}

function fileOf(folder: number, index: number): DriveFile {
	const number = folder * 1_000_000 + index;
	return {
		id: `1Fi${String(number).padStart(12, '0')}LeAbCdEfGhIjKlMn`,
		name: `Quarterly report ${number} – final (reviewed).pdf`,
		mimeType: 'application/pdf',
		parents: [folderId(folder)],
		size: String(10_000 + (number % 90_000)),
		modifiedTime: '2026-11-02T10:15:30.123Z',
		createdTime: '2025-01-15T08:00:00.000Z',
		webViewLink: `https://drive.google.com/file/d/1Fi${String(number).padStart(12, '0')}LeAbCdEfGhIjKlMn/view?usp=drivesdk`,
		md5Checksum: `${String(number).padStart(8, '0')}0123456789abcdef01234567`,
		version: '42',
		trashed: false,
	};
}

/** The slice of the Drive client the listing calls: a root folder of `folders` folders sharing `files` files. */
function stubDrive(files: number, folders: number) {
	const perFolder = Math.ceil(files / folders);
	const filesIn = (folder: number) => Math.max(0, Math.min(perFolder, files - folder * perFolder));
	const childrenOf = (id: string): { count: number; at: (index: number) => DriveFile } => {
		if (id === ROOT_ID) {
			return {
				count: folders,
				at: (index) => ({ ...fileOf(0, 0), id: folderId(index), name: `Folder ${index}`, mimeType: FOLDER, parents: [ROOT_ID], size: undefined, md5Checksum: undefined }),
			};
		}
		const folder = Number(/^1Fo(\d{6})/.exec(id)?.[1] ?? -1);
		return folder < 0 ? { count: 0, at: () => fileOf(0, 0) } : { count: filesIn(folder), at: (index) => fileOf(folder, index) };
	};
	return {
		files: {
			// The only file the listing asks for by id is the source's root folder.
			get: async () => ({ data: { id: ROOT_ID, name: 'Root', mimeType: FOLDER, trashed: false, parents: ['0AParent'] } }),
			list: async ({ q, pageToken }: { q: string; pageToken?: string }) => {
				const parents = [...q.matchAll(/'([^']+)' in parents/g)].map((match) => childrenOf(match[1]));
				const total = parents.reduce((sum, parent) => sum + parent.count, 0);
				const start = Number(pageToken ?? 0);
				const page: DriveFile[] = [];
				for (let offset = start; offset < Math.min(total, start + PAGE); offset++) {
					let rest = offset;
					for (const parent of parents) {
						if (rest < parent.count) {
							page.push(parent.at(rest));
							break;
						}
						rest -= parent.count;
					}
				}
				return { data: { files: page, nextPageToken: start + PAGE < total ? String(start + PAGE) : undefined } };
			},
		},
		changes: {
			getStartPageToken: async () => ({ data: { startPageToken: '100' } }),
			list: async () => ({ data: { changes: [], newStartPageToken: '100' } }),
		},
	};
}

function kilobytes(field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
	return Number(match?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
	const root = resolve(stringArg('root') ?? '.');
	const storePath = stringArg('store') ?? '';
	const phase = stringArg('phase') ?? 'first';
	const files = numberArg('files', 100_000);
	const folders = numberArg('folders', 100);
	const maxItems = numberArg('max-items', 0);
	const sync = (await import(join(root, 'lib/sync'))) as typeof import('../../lib/sync');
	const stores = (await import(join(root, 'lib/store'))) as typeof import('../../lib/store');
	const drive = (await import(join(root, 'lib/providers/googleDrive'))) as typeof import('../../lib/providers/googleDrive');

	const store = await stores.openStore({ path: storePath });
	const source = { kind: 'folder', folderId: ROOT_ID, recursive: true } as const;
	const sourceKey = drive.googleDriveProvider.sourceKey('bench@example.com', source);
	const connection = { drive: stubDrive(files, folders) } as unknown as import('../../lib/providers/googleDrive').DriveConnection;
	const runId = await store.runs.start({ sourceKey, provider: 'google_drive', executionId: `bench-${phase}` });

	global.gc?.();
	const before = kilobytes('VmRSS');
	// Resets VmHWM to the current RSS, so the peak read afterwards is this listing's.
	writeFileSync('/proc/self/clear_refs', '5');
	const started = Date.now();
	const result = await sync.listSource({
		store,
		provider: drive.googleDriveProvider,
		connection,
		source,
		sourceKey,
		runId,
		options: maxItems > 0 ? { maxItems } : {},
	});
	const peak = kilobytes('VmHWM');
	const ms = Date.now() - started;

	// Not measured: Connector Dedup's check and commit, so that the next phase starts from this listing's cursor.
	const checked = await store.items.check(result.items, { executionId: `bench-${phase}` });
	await store.items.commit(
		checked.filter((entry) => entry.change !== 'unchanged').map((entry) => ({ ...entry.item, change: entry.change, run_id: entry.runId })),
		{ executionId: `bench-${phase}` },
	);
	await store.close();
	console.log(JSON.stringify({ phase, before, peak, growth: peak - before, ms, emitted: result.items.length, hasMore: result.hasMore }));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
