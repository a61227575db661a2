import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { DropboxConnector } from '../../../nodes/DropboxConnector/DropboxConnector.node';
import { searchFolders } from '../../../nodes/DropboxConnector/methods/listSearch';
import { useCacheFile } from '../cacheFile';
import { executeContext, loadOptionsContext, rl, type ExecuteContextOptions } from '../support';

const node = {
	name: 'Dropbox Connector',
	type: 'n8n-nodes-external-connectors.dropboxConnector',
	credentials: { dropboxConnectorOAuth2Api: { id: 'cred-dropbox', name: 'Dropbox' } },
};

/** The node's execute and its picker, through its router and transport, against the fake Dropbox (a team account) with a fresh store. */
describe('Dropbox Connector operations', () => {
	useCacheFile();
	let dropbox: FakeDropbox;
	let token: string;
	const previous: Record<string, string | undefined> = {};

	beforeAll(async () => {
		dropbox = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
		for (const [name, value] of Object.entries(dropbox.env)) {
			previous[name] = process.env[name];
			process.env[name] = value;
		}
		token = dropbox.issueTokens().access_token;
		dropbox.addTeamFolder('Handbook');
		dropbox.addFile('/Handbook/leave.md', '# Leave');
		dropbox.addPaperDoc('/Handbook/Onboarding.paper', '# Welcome');
		dropbox.addFolder('/Alice Smith/Reports');
		dropbox.addFile('/Alice Smith/Reports/q1.pdf', '%PDF-1');
		dropbox.addFile('/Alice Smith/Reports/HR.pdf', '%PDF-2');
	});

	afterAll(async () => {
		for (const [name, value] of Object.entries(previous)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		await dropbox.close();
	});

	afterEach(() => expect(dropbox.internalErrors).toEqual([]));

	const run = async (operation: string, options: ExecuteContextOptions = {}) =>
		await new DropboxConnector().execute.call(executeContext({ node, token, ...options, parameters: { operation, ...options.parameters } }));
	const pick = (entries: INodeExecutionData[], ...fields: string[]) => entries.map((entry) => fields.map((field) => entry.json[field]));

	it('browses the home folder, the team space and a folder with paths and picker values', async () => {
		const [home] = await run('browse', { parameters: { location: 'home', returnAll: true } });
		const [team] = await run('browse', { parameters: { location: 'teamSpace', returnAll: true } });
		const [folder] = await run('browse', { parameters: { location: 'folder', folder: rl('list', `ns:${dropbox.rootNamespaceId}/Handbook`), returnAll: true } });

		expect(pick(home, 'name', 'type', 'value')).toEqual([['Reports', 'folder', '/Reports']]);
		expect(pick(team, 'name', 'type', 'value', 'shared_folder_id')).toEqual([
			['Alice Smith', 'folder', `ns:${dropbox.rootNamespaceId}/Alice Smith`, dropbox.homeNamespaceId],
			['Handbook', 'folder', `ns:${dropbox.rootNamespaceId}/Handbook`, expect.stringMatching(/^\d+$/)],
		]);
		expect(pick(folder, 'name', 'type', 'path')).toEqual([
			['leave.md', 'file', '/Handbook/leave.md'],
			['Onboarding.paper', 'paper', '/Handbook/Onboarding.paper'],
		]);
	});

	it('offers home folders and team folders in the folder picker, filtered by the search text', async () => {
		const ctx = loadOptionsContext({ node, token });
		const all = await searchFolders.call(ctx);
		const filtered = await searchFolders.call(ctx, 'hand');

		expect(all.results.map((result) => [result.name, result.value])).toEqual([
			['/Reports', '/Reports'],
			['Team space: /Handbook', `ns:${dropbox.rootNamespaceId}/Handbook`],
		]);
		expect(filtered.results.map((result) => result.value)).toEqual([`ns:${dropbox.rootNamespaceId}/Handbook`]);
	});

	it('lists a team folder picked from the list, then exports its file and its Paper doc as Markdown', async () => {
		const [listed, skipped] = await run('listChanges', { parameters: { sourceFolder: rl('list', `ns:${dropbox.rootNamespaceId}/Handbook`), recursive: true } });
		expect(skipped).toEqual([]);
		expect(pick(listed, 'path', 'provider', 'change')).toEqual([
			['/Onboarding.paper', 'dropbox', 'upsert'],
			['/leave.md', 'dropbox', 'upsert'],
		]);

		const [exported, notExported] = await run('export', { items: listed.map((item) => ({ json: item.json })) });

		expect(notExported).toEqual([]);
		expect(pick(exported, 'name', 'export_format', 'export_mime')).toEqual([
			['Onboarding.paper', 'md', 'text/markdown'],
			['leave.md', 'md', 'text/markdown'],
		]);
		const binaries = exported.map((item) => item.binary?.data as IBinaryData);
		expect(binaries.map((binary) => binary.fileName)).toEqual(['Onboarding.md', 'leave.md']);
		expect(Buffer.from(binaries[0].data, 'base64').toString()).toBe('# Welcome');
		expect(exported[1].json.content_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(exported[1].json.hash).not.toBe(exported[1].json.content_hash);
	});

	it('sends the files Restrict Further denies to Skipped and fails on a malformed folder before any request', async () => {
		const [listed, skipped] = await run('listChanges', {
			parameters: { sourceFolder: rl('id', '/Reports'), recursive: true, policyNarrowing: { denyPaths: '/HR.pdf' } },
		});
		expect(pick(listed, 'path')).toEqual([['/q1.pdf']]);
		expect(pick(skipped, 'path', 'skip_reason')).toEqual([['/HR.pdf', 'policy_path']]);

		dropbox.resetRequestLog();
		await expect(run('listChanges', { parameters: { sourceFolder: rl('id', 'Reports'), recursive: true } })).rejects.toThrow('"Reports" is not a Dropbox folder');
		expect(dropbox.requests).toEqual([]);
	});
});
