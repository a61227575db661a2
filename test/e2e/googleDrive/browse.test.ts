import { startFakeGoogle, type FakeGoogle, type IssuedTokens } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { fanOutWorkflow, workflowId, type NodeSpec } from '../harness/workflows';

function browseNode(name: string, parameters: Record<string, unknown>, onError?: string): NodeSpec {
	return {
		name,
		type: NODE_TYPES.googleDriveConnector,
		parameters: { operation: 'browse', ...parameters },
		credentials: driveCredentials,
		onError,
	};
}

describe('Google Drive Connector browse in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let tokens: IssuedTokens;
	let run: WorkflowRun;
	let reportsId: string;
	let driveId: string;

	beforeAll(async () => {
		google = await startFakeGoogle();
		const reports = google.addFolder({ name: 'Reports' });
		reportsId = reports.id;
		google.addFolder({ name: '2026', parent: reports.id });
		google.addFile({ name: 'q3.pdf', parent: reports.id, mimeType: 'application/pdf', content: 'pdf bytes' });
		google.addFile({ name: 'Plan', parent: reports.id, mimeType: 'application/vnd.google-apps.document' });
		google.addFile({ name: 'readme.txt', mimeType: 'text/plain', content: 'hi' });
		const shared = google.addSharedDrive({ name: 'Engineering' });
		driveId = shared.id;
		google.addFolder({ name: 'Specs', parent: shared.id });
		google.addSharedDrive({ name: 'Marketing' });
		tokens = google.issueTokens();

		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		await n8n.importCredentials([driveCredential(google, tokens)]);
		const id = workflowId('browse');
		await n8n.importWorkflow(
			fanOutWorkflow(id, [
				browseNode('My Drive', { location: 'myDrive', returnAll: true }),
				browseNode('Folder by URL', {
					location: 'folder',
					folderId: { __rl: true, mode: 'url', value: `https://drive.google.com/drive/folders/${reportsId}?usp=sharing` },
					returnAll: true,
				}),
				browseNode('Shared drives', { location: 'sharedDrives', returnAll: true }),
				browseNode('Shared drive by ID', {
					location: 'sharedDrive',
					driveId: { __rl: true, mode: 'id', value: driveId },
					returnAll: true,
				}),
				browseNode('First two', { location: 'folder', folderId: { __rl: true, mode: 'id', value: reportsId }, limit: 2 }),
				browseNode(
					'Unknown folder',
					{ location: 'folder', folderId: { __rl: true, mode: 'id', value: '1UnknownFolder0000' }, returnAll: true },
					'continueRegularOutput',
				),
			]),
		);
		run = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
	});

	it('runs the workflow to success', () => {
		expect(run.status).toBe('success');
		expect(google.internalErrors).toEqual([]);
	});

	it('lists the top of My Drive with name, id, type, path, url and modified time', () => {
		const items = run.outputs['My Drive'][0];
		expect(items.map((i) => [i.type, i.name, i.path])).toEqual([
			['folder', 'Reports', '/My Drive/Reports'],
			['file', 'readme.txt', '/My Drive/readme.txt'],
		]);
		for (const item of items) {
			expect(item).toEqual(
				expect.objectContaining({
					provider: 'google_drive',
					id: expect.any(String),
					url: expect.stringMatching(/^https?:\/\//),
					modified_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				}),
			);
		}
	});

	it('lists a folder given by its URL, folders first, with paths', () => {
		expect(run.outputs['Folder by URL'][0].map((i) => [i.type, i.path, i.mime])).toEqual([
			['folder', '/My Drive/Reports/2026', 'application/vnd.google-apps.folder'],
			['file', '/My Drive/Reports/Plan', 'application/vnd.google-apps.document'],
			['file', '/My Drive/Reports/q3.pdf', 'application/pdf'],
		]);
	});

	it('lists shared drives, and the top of one given by its id', () => {
		expect(run.outputs['Shared drives'][0].map((i) => [i.type, i.name, i.path])).toEqual([
			['shared_drive', 'Engineering', '/Shared drives/Engineering'],
			['shared_drive', 'Marketing', '/Shared drives/Marketing'],
		]);
		expect(run.outputs['Shared drive by ID'][0].map((i) => i.path)).toEqual(['/Shared drives/Engineering/Specs']);
	});

	it('stops at the limit when Return All is off', () => {
		expect(run.outputs['First two'][0]).toHaveLength(2);
	});

	it('reports an unknown folder with a message that says what to check', () => {
		const [item] = run.outputs['Unknown folder'][0];
		expect(item.error).toMatch(/Folder 1UnknownFolder0000 was not found or is not shared/);
	});

	it('asked Drive for explicit fields on every request', () => {
		const requests = google.driveRequests();
		expect(requests.length).toBeGreaterThan(5);
		expect(requests.filter((r) => !r.query.fields)).toEqual([]);
	});

	it('rides out a burst of 429s, a rate-limit 403, a dropped connection and a 503', async () => {
		const id = workflowId('browsestorm');
		await n8n.importWorkflow(
			fanOutWorkflow(id, [
				browseNode('Folder', { location: 'folder', folderId: { __rl: true, mode: 'id', value: reportsId }, returnAll: true }),
			]),
		);
		google.resetRequestLog();
		google.failNext(1, { status: 429, retryAfter: 1, path: '/drive/' });
		google.failNext(1, { status: 403, reason: 'userRateLimitExceeded', path: '/drive/' });
		google.failNext(1, { reset: true, path: '/drive/' });
		google.failNext(1, { status: 503, path: '/drive/' });

		const stormy = await n8n.execute(id);

		expect(stormy.status).toBe('success');
		expect(stormy.outputs.Folder[0].map((i) => i.name)).toEqual(['2026', 'Plan', 'q3.pdf']);
		expect(google.driveRequests().map((r) => r.status).slice(0, 5)).toEqual([429, 403, 0, 503, 200]);
	});

	it('never writes the access or refresh token into n8n logs, even at debug level', () => {
		const logs = n8n.allLogs();
		expect(logs).toContain('Loaded all credentials and nodes from n8n-nodes-external-connectors');
		expect(logs).not.toContain(tokens.access_token);
		expect(logs).not.toContain(tokens.refresh_token);
		expect(logs).not.toContain(google.clientSecret);
	});
});
