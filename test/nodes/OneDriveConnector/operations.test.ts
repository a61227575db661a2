import type { IBinaryData, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MicrosoftOneDriveConnectorOAuth2Api } from '../../../credentials/MicrosoftOneDriveConnectorOAuth2Api.credentials';
import { OneDriveConnector } from '../../../nodes/OneDriveConnector/OneDriveConnector.node';
import { searchDrives, searchFolders } from '../../../nodes/OneDriveConnector/methods/listSearch';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { useCacheFile } from '../cacheFile';
import { executeContext, loadOptionsContext, perItem, rl, type ExecuteContextOptions, type LoggedCall } from '../support';

const node = {
	name: 'OneDrive Connector',
	type: 'n8n-nodes-external-connectors.oneDriveConnector',
	credentials: { microsoftOneDriveConnectorOAuth2Api: { id: 'cred-onedrive', name: 'OneDrive' } },
};

describe('OneDrive Connector description and credential', () => {
	const { description } = new OneDriveConnector();
	const property = (name: string, operation: string) =>
		description.properties.find((candidate) => candidate.name === name && candidate.displayOptions?.show?.operation?.includes(operation)) as INodeProperties;

	it('is oneDriveConnector with browse, listChanges and export, on the microsoftOneDriveConnectorOAuth2Api credential', () => {
		expect(description.name).toBe('oneDriveConnector');
		expect(description.credentials).toEqual([{ name: 'microsoftOneDriveConnectorOAuth2Api', required: true }]);
		const operation = description.properties.find((candidate) => candidate.name === 'operation');
		expect(operation?.options?.map((option) => (option as { value: string }).value)).toEqual(['browse', 'listChanges', 'export']);
	});

	it('offers drive and folder pickers in list, URL and ID modes', () => {
		for (const name of ['sourceDriveId', 'sourceFolderId']) {
			expect(property(name, 'listChanges').modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		}
		expect(property('sourceDriveId', 'listChanges').modes?.[0].typeOptions?.searchListMethod).toBe('searchDrives');
		expect(property('sourceFolderId', 'listChanges').modes?.[0].typeOptions?.searchListMethod).toBe('searchFolders');
	});

	it('signs in through the identity platform v2 of the chosen tenant, read-only, with offline access, and tests with GET /me', () => {
		const credential = new MicrosoftOneDriveConnectorOAuth2Api();
		const value = (name: string) => credential.properties.find((candidate) => candidate.name === name)?.default;
		expect(credential.name).toBe('microsoftOneDriveConnectorOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(value('tenantId')).toBe('common');
		expect(value('authUrl')).toBe('=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/authorize');
		expect(value('accessTokenUrl')).toBe('=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/token');
		expect(String(value('scope')).split(' ').sort()).toEqual(['Files.Read.All', 'Sites.Read.All', 'User.Read', 'offline_access']);
		expect(credential.test.request).toMatchObject({ baseURL: 'https://graph.microsoft.com/v1.0', url: '/me' });
	});
});

/** The node's execute, through its router, against the fake Graph with a fresh store. */
describe('OneDrive Connector operations', () => {
	useCacheFile();
	let graph: FakeGraph;
	let previousUrl: string | undefined;
	let token: string;

	beforeAll(async () => {
		graph = await startFakeGraph();
		previousUrl = process.env.CONNECTORS_MICROSOFT_GRAPH_URL;
		process.env.CONNECTORS_MICROSOFT_GRAPH_URL = graph.origin;
		token = graph.issueTokens().access_token;
	});

	afterAll(async () => {
		if (previousUrl === undefined) delete process.env.CONNECTORS_MICROSOFT_GRAPH_URL;
		else process.env.CONNECTORS_MICROSOFT_GRAPH_URL = previousUrl;
		await graph.close();
	});

	afterEach(() => expect(graph.internalErrors).toEqual([]));

	const run = async (operation: string, options: ExecuteContextOptions = {}) =>
		await new OneDriveConnector().execute.call(executeContext({ node, token, ...options, parameters: { operation, ...options.parameters } }));
	const names = (items: INodeExecutionData[]) => items.map((item) => item.json.name);

	describe('browse', () => {
		it("lists a folder's children with their paths from the drive root, paired to the input item", async () => {
			const handbook = graph.addFolder({ name: 'Handbook' });
			graph.addFolder({ name: 'People', parent: handbook.id });
			graph.addFile({ name: 'b.pdf', parent: handbook.id, content: '%PDF' });
			const [entries] = await run('browse', { parameters: { location: 'folder', driveId: rl('list', 'me'), folderId: rl('id', handbook.id), returnAll: true } });
			expect(entries.map((entry) => [entry.json.name, entry.json.type, entry.json.path])).toEqual([
				['People', 'folder', '/Handbook/People'],
				['b.pdf', 'file', '/Handbook/b.pdf'],
			]);
			expect(entries.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		});

		it('finds SharePoint sites, lists their libraries, and resolves a share link, one location per input item', async () => {
			const { site } = graph.addSite({ displayName: 'Marketing Hub', libraries: ['Documents', 'Brand'] });
			const shared = graph.addFolder({ name: 'Shared plans' });
			const link = graph.shareLink(shared.id);
			const [entries] = await run('browse', {
				items: [{ json: {} }, { json: {} }, { json: {} }],
				parameters: { location: perItem('sites', 'siteDrives', 'share'), siteSearch: 'marketing', siteId: site.id, shareUrl: link, returnAll: true },
			});
			const from = (index: number) => entries.filter((entry) => (entry.pairedItem as { item: number }).item === index).map((entry) => [entry.json.type, entry.json.name]);
			expect(from(0)).toEqual([['site', 'Marketing Hub']]);
			expect(from(1)).toEqual([['drive', 'Documents'], ['drive', 'Brand']]);
			expect(from(2)).toEqual([['folder', 'Shared plans']]);
		});

		it('turns a malformed folder id into an error item with continueOnFail, before any request', async () => {
			graph.resetRequestLog();
			const [entries] = await run('browse', { continueOnFail: true, parameters: { location: 'folder', driveId: rl('id', 'me'), folderId: rl('id', 'a b'), returnAll: true } });
			expect(entries).toEqual([{ json: { error: '"a b" is not a OneDrive folder id or link' }, pairedItem: { item: 0 } }]);
			expect(graph.graphRequests()).toEqual([]);
		});
	});

	describe('listChanges', () => {
		it("lists a folder's subtree keyed by the account and the folder; Include Types and Restrict Further apply", async () => {
			const folder = graph.addFolder({ name: 'Mixed' });
			const hr = graph.addFolder({ name: 'HR', parent: folder.id });
			graph.addFile({ name: 'a.pdf', parent: folder.id, content: '%PDF' });
			graph.addFile({ name: 'b.png', parent: folder.id, content: 'png' });
			graph.addFile({ name: 'pay.pdf', parent: hr.id, content: '%PDF' });
			const [listed, skipped] = await run('listChanges', {
				parameters: {
					source: 'folder',
					sourceDriveId: rl('list', 'me'),
					sourceFolderId: rl('id', folder.id),
					recursive: true,
					listOptions: { includeTypes: 'pdf' },
					policyNarrowing: { denyPaths: '/HR/**' },
				},
			});
			expect(names(listed)).toEqual(['a.pdf']);
			expect(listed[0].json).toMatchObject({ provider: 'onedrive', source_key: `onedrive:alice@contoso.com:folder:me:${folder.id}`, change: 'upsert', run_id: expect.any(Number) });
			expect(skipped.map((item) => [item.json.name, item.json.skip_reason])).toEqual([['pay.pdf', 'policy_path']]);
		});

		it('lists a whole SharePoint library picked by its id', async () => {
			const { drives } = graph.addSite({ displayName: 'Legal', libraries: ['Contracts'] });
			graph.addFile({ name: 'nda.docx', drive: drives[0].id, content: 'PK' });
			const [listed] = await run('listChanges', { parameters: { source: 'drive', sourceDriveId: rl('id', drives[0].id) } });
			expect(listed.map((item) => [item.json.path, item.json.drive_id])).toEqual([['/nda.docx', drives[0].id]]);
		});

		it('fails the node on a malformed drive id before any request', async () => {
			graph.resetRequestLog();
			await expect(run('listChanges', { parameters: { source: 'drive', sourceDriveId: rl('id', 'a b') } })).rejects.toThrow('"a b" is not a OneDrive or SharePoint drive id');
			expect(graph.graphRequests()).toEqual([]);
		});
	});

	describe('export', () => {
		it('exports each item as its own parameters ask: a Word document as it is, or as PDF', async () => {
			const folder = graph.addFolder({ name: 'Export me' });
			graph.addFile({ name: 'plan.docx', parent: folder.id, content: 'PK-plan' });
			const [listed] = await run('listChanges', { parameters: { source: 'folder', sourceDriveId: rl('list', 'me'), sourceFolderId: rl('id', folder.id), recursive: true } });
			const items = [{ json: listed[0].json }, { json: listed[0].json }];
			const [exported, skipped] = await run('export', { items, parameters: { exportFormats: perItem({}, { document: 'pdf' }) } });
			expect(skipped).toEqual([]);
			expect(exported.map((item) => [item.json.export_format, (item.binary?.data as IBinaryData).fileName, (item.binary?.data as IBinaryData).mimeType])).toEqual([
				['docx', 'plan.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
				['pdf', 'plan.pdf', 'application/pdf'],
			]);
			expect(Buffer.from((exported[0].binary?.data as IBinaryData).data, 'base64').toString()).toBe('PK-plan');
		});

		it('sends a OneNote notebook to Skipped with not_downloadable', async () => {
			const folder = graph.addFolder({ name: 'Notes' });
			graph.addNotebook({ name: 'Team Notebook', parent: folder.id });
			const [listed] = await run('listChanges', { parameters: { source: 'folder', sourceDriveId: rl('list', 'me'), sourceFolderId: rl('id', folder.id), recursive: true } });
			const [exported, skipped] = await run('export', { items: listed.map((item) => ({ json: item.json })) });
			expect(exported).toEqual([]);
			expect(skipped.map((item) => [item.json.name, item.json.skip_reason])).toEqual([['Team Notebook', 'not_downloadable']]);
		});
	});

	describe('pickers', () => {
		const calls: LoggedCall[] = [];
		const editor = (parameters: Record<string, unknown> = {}) => loadOptionsContext({ node, token, calls, parameters });

		it('lists My OneDrive and the libraries of matching sites, through the node credential', async () => {
			graph.addSite({ displayName: 'Finance', libraries: ['Reports'] });
			calls.length = 0;
			const { results } = await searchDrives.call(editor(), 'finance');
			expect(results.map((result) => result.name)).toEqual(['Finance › Reports']);
			expect(calls.every((call) => call.credentialType === 'microsoftOneDriveConnectorOAuth2Api')).toBe(true);
			const all = await searchDrives.call(editor());
			expect(all.results[0]).toMatchObject({ name: 'My OneDrive', value: graph.myDrive.id });
		});

		it('finds folders by name in the drive chosen beside the picker', async () => {
			const { drives } = graph.addSite({ displayName: 'Research', libraries: ['Papers'] });
			const folder = graph.addFolder({ name: 'Quantum papers', drive: drives[0].id });
			graph.addFile({ name: 'quantum.pdf', parent: folder.id, content: '%PDF' });
			const { results } = await searchFolders.call(editor({ sourceDriveId: drives[0].id }), 'quantum');
			expect(results).toEqual([{ name: '/Quantum papers', value: folder.id, url: expect.stringMatching(/^https:\/\//) }]);
		});
	});
});
