import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import { dropboxProvider, DROPBOX_PAPER_MIME, type DropboxConnection } from '../../../lib/providers/dropbox';
import type { ExportOutcome } from '../../../lib/providers/types';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { folderSource, listingRuns, testConnection } from './helpers';

async function bytesOf(body: Readable | Buffer): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}

describe('Dropbox export against the strict fake Dropbox', () => {
	let dropbox: FakeDropbox;
	let connection: DropboxConnection;

	beforeEach(async () => {
		dropbox = await startFakeDropbox();
		connection = testConnection(dropbox);
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await dropbox.close();
	});

	async function listed(path = '/Docs', namespaceId: string | null = null, fake = dropbox, conn = connection): Promise<ConnectorItem[]> {
		const runs = await listingRuns(fake, conn);
		try {
			return (await runs.run(folderSource(path, { namespaceId }))).items;
		} finally {
			await runs.close();
		}
	}

	const exportOf = async (item: ConnectorItem, format?: string): Promise<ExportOutcome> => await dropboxProvider.exportItem(connection, { item, format });

	it('streams a file\'s bytes from files/download on the content host, the id in Dropbox-API-Arg', async () => {
		dropbox.addFolder('/Docs');
		const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 251));
		const file = dropbox.addFile('/Docs/Résumé 2025.pdf', bytes);
		const [item] = await listed();
		dropbox.resetRequestLog();

		const outcome = await exportOf(item);

		if (outcome.kind !== 'content') throw new Error(`skipped: ${outcome.skipDetail}`);
		expect(outcome).toMatchObject({ fileName: 'Résumé 2025.pdf', mimeType: 'application/pdf', exportFormat: 'pdf', exportMime: 'application/pdf' });
		expect(Buffer.isBuffer(outcome.body)).toBe(false);
		expect(createHash('sha256').update(await bytesOf(outcome.body)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
		const [download] = dropbox.calls('files/download');
		expect(download.headers.host).toBe(new URL(dropbox.contentUrl).host);
		expect(download.headers['dropbox-api-arg']).toBe(JSON.stringify({ path: file.id }));
		expect(download.headers['content-type']).toBeUndefined();
	});

	it('exports a Paper doc as Markdown by default, and as the format the engine chose', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addPaperDoc('/Docs/Roadmap.paper', '# Roadmap\n\n- ship Dropbox');
		const [item] = await listed();
		expect(item.mime).toBe(DROPBOX_PAPER_MIME);
		expect(dropboxProvider.exportChoices(item)).toMatchObject({ kind: 'paper', default: 'md', formats: ['md', 'html', 'txt'] });

		const markdown = await exportOf(item);
		const text = await exportOf(item, 'txt');

		if (markdown.kind !== 'content' || text.kind !== 'content') throw new Error('skipped');
		expect(markdown).toMatchObject({ fileName: 'Roadmap.md', mimeType: 'text/markdown', exportFormat: 'md', exportMime: 'text/markdown' });
		expect((await bytesOf(markdown.body)).toString()).toBe('# Roadmap\n\n- ship Dropbox');
		expect(text).toMatchObject({ fileName: 'Roadmap.txt', exportFormat: 'txt' });
		expect(dropbox.calls('files/export').map((call) => call.body)).toEqual([
			{ path: item.external_id, export_format: 'markdown' },
			{ path: item.external_id, export_format: 'plain_text' },
		]);
		expect(dropboxProvider.exportChoices({ ...item, mime: 'application/pdf' })).toBeUndefined();
	});

	it('skips files Dropbox will not hand out and files gone since the listing, with stable reasons', async () => {
		dropbox.addFolder('/Docs');
		dropbox.addFile('/Docs/locked.bin', 'x', { downloadable: false });
		dropbox.addFile('/Docs/gone.txt', 'g');
		const [gone, locked] = await listed();
		dropbox.remove('/Docs/gone.txt');

		expect(await exportOf(locked)).toEqual({ kind: 'skipped', skipReason: 'not_downloadable', skipDetail: expect.stringContaining('"locked.bin" cannot be downloaded') });
		expect(await exportOf(gone)).toEqual({ kind: 'skipped', skipReason: 'not_found', skipDetail: expect.stringContaining('"gone.txt"') });
	});

	it('downloads a team folder\'s file under its namespace path root', async () => {
		const team = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
		try {
			const teamConnection = testConnection(team);
			team.addTeamFolder('Handbook');
			team.addFile('/Handbook/leave.md', '# Leave');
			const [item] = await listed('/Handbook', team.rootNamespaceId, team, teamConnection);

			const outcome = await dropboxProvider.exportItem(teamConnection, { item });

			if (outcome.kind !== 'content') throw new Error('skipped');
			expect((await bytesOf(outcome.body)).toString()).toBe('# Leave');
			expect(team.calls('files/download')[0].headers['dropbox-api-path-root']).toBe(JSON.stringify({ '.tag': 'namespace_id', namespace_id: team.rootNamespaceId }));
			expect(team.internalErrors).toEqual([]);
		} finally {
			await team.close();
		}
	});

	it('tells the account\'s id and e-mail for source keys and the account-domain rule', async () => {
		expect(await dropboxProvider.account(connection)).toEqual({ accountId: dropbox.accountId, email: 'alice@example.com' });
		const [call] = dropbox.calls('users/get_current_account');
		expect(call.headers.host).toBe(new URL(dropbox.apiUrl).host);
	});
});
