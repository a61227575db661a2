import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { searchFolders, searchSharedDrives } from '../../../nodes/GoogleDriveConnector/methods/listSearch';
import { loadOptionsContext, type LoggedCall } from '../support';

const node = { name: 'Google Drive Connector', credentials: { googleDriveConnectorOAuth2Api: { id: 'cred-drive', name: 'Drive' } } };

/** The editor's pickers, against the fake Google Drive through the node's own transport. */
describe('Google Drive Connector list search', () => {
	let google: FakeGoogle;
	let previousUrl: string | undefined;
	let token: string;
	const calls: LoggedCall[] = [];
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		google = await startFakeGoogle();
		previousUrl = process.env.CONNECTORS_GOOGLE_API_URL;
		process.env.CONNECTORS_GOOGLE_API_URL = google.origin;
		token = google.issueTokens().access_token;
		ids.reports = google.addFolder({ name: 'Reports' }).id;
		ids.bobs = google.addFolder({ name: "Bob's notes", parent: ids.reports }).id;
		ids.backslash = google.addFolder({ name: 'C:\\temp exports' }).id;
		google.addFile({ name: "Bob's notes.pdf", parent: ids.reports, mimeType: 'application/pdf', content: '%PDF' });
		const team = google.addSharedDrive({ name: 'Team Handbook' });
		ids.team = team.id;
		ids.teamReports = google.addFolder({ name: 'Team reports', parent: team.id }).id;
		ids.engineering = google.addSharedDrive({ name: 'Engineering' }).id;
		google.trash(google.addFolder({ name: 'Old reports' }).id);
		for (let i = 0; i < 105; i++) google.addFolder({ name: `Archive ${String(i).padStart(3, '0')}`, parent: ids.reports });
	});

	afterAll(async () => {
		if (previousUrl === undefined) delete process.env.CONNECTORS_GOOGLE_API_URL;
		else process.env.CONNECTORS_GOOGLE_API_URL = previousUrl;
		await google.close();
	});

	beforeEach(() => {
		calls.length = 0;
		google.resetRequestLog();
	});

	const editor = () => loadOptionsContext({ node, token, calls });
	const lastQuery = () => google.driveRequests().at(-1)?.query.q;

	it('finds folders by name in every drive, with links, through the node credential', async () => {
		const { results } = await searchFolders.call(editor(), 'reports');
		expect(results).toEqual([
			{ name: 'Reports', value: ids.reports, url: `https://drive.google.com/drive/folders/${ids.reports}` },
			{ name: 'Team reports', value: ids.teamReports, url: `https://drive.google.com/drive/folders/${ids.teamReports}` },
		]);
		expect(calls.map((call) => call.credentialType)).toEqual(['googleDriveConnectorOAuth2Api']);
		expect(google.internalErrors).toEqual([]);
	});

	it('searches through the service account credential when the node authenticates as one', async () => {
		const asServiceAccount = loadOptionsContext({
			node: { name: 'Google Drive Connector', credentials: { googleDriveConnectorServiceAccountApi: { id: 'cred-sa', name: 'SA' } } },
			parameters: { authentication: 'serviceAccount' },
			token,
			calls,
		});
		const { results } = await searchSharedDrives.call(asServiceAccount, 'Team');
		expect(results.map((result) => result.name)).toEqual(['Team Handbook']);
		expect(calls.map((call) => call.credentialType)).toEqual(['googleDriveConnectorServiceAccountApi']);
	});

	it('escapes a quote in the search text instead of ending the query early', async () => {
		const { results } = await searchFolders.call(editor(), "Bob's");
		expect(results.map((result) => [result.name, result.value])).toEqual([["Bob's notes", ids.bobs]]);
		expect(lastQuery()).toBe("mimeType = 'application/vnd.google-apps.folder' and trashed = false and name contains 'Bob\\'s'");
	});

	it('escapes a backslash in the search text', async () => {
		const { results } = await searchFolders.call(editor(), 'C:\\temp');
		expect(results.map((result) => result.value)).toEqual([ids.backslash]);
		expect(lastQuery()).toContain("name contains 'C:\\\\temp'");
	});

	it('pages through every folder, files and trashed folders left out', async () => {
		const first = await searchFolders.call(editor());
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await searchFolders.call(editor(), undefined, first.paginationToken);
		expect(second.paginationToken).toBeUndefined();
		const names = [...first.results, ...second.results].map((result) => result.name);
		expect(new Set(names).size).toBe(109);
		expect(names).not.toContain('Old reports');
		expect(names).not.toContain("Bob's notes.pdf");
	});

	it.each([
		['searchFolders', searchFolders],
		['searchSharedDrives', searchSharedDrives],
	])('%s refuses, before any request, when the org policy disables Google Drive', async (_name, search) => {
		process.env.ORG_CONNECTORS_ENABLED_PROVIDERS = 'notion';
		try {
			await expect(search.call(editor(), 'reports')).rejects.toThrow(/The Google Drive connector is disabled by the org policy \(enabled providers: notion\)/);
		} finally {
			delete process.env.ORG_CONNECTORS_ENABLED_PROVIDERS;
		}
		expect(calls).toEqual([]);
	});

	it.each([
		['searchFolders', searchFolders],
		['searchSharedDrives', searchSharedDrives],
	])('%s refuses, after asking only who the account is, when the account is outside the allowed domains', async (_name, search) => {
		process.env.ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS = 'corp.example';
		try {
			await expect(search.call(editor(), 'reports')).rejects.toThrow(/The Google Drive account alice@example\.com is not in a domain the org policy allows \(allowed: corp\.example\)/);
			expect(google.driveRequests().map((request) => request.path)).toEqual(['/drive/v3/about']);
			process.env.ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS = 'example.com';
			await expect(search.call(editor(), 'reports')).resolves.toMatchObject({ results: expect.any(Array) });
		} finally {
			delete process.env.ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS;
		}
	});

	it('finds shared drives by name, ignoring case, each with its folder link', async () => {
		const { results } = await searchSharedDrives.call(editor(), 'HANDBOOK');
		expect(results).toEqual([{ name: 'Team Handbook', value: ids.team, url: `https://drive.google.com/drive/folders/${ids.team}` }]);
		const all = await searchSharedDrives.call(editor());
		expect(all.results.map((result) => result.name).sort()).toEqual(['Engineering', 'Team Handbook']);
		expect(calls.map((call) => call.credentialType)).toEqual(['googleDriveConnectorOAuth2Api', 'googleDriveConnectorOAuth2Api']);
	});
});
