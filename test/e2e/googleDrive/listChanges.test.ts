import * as path from 'node:path';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { ingestionPipeline, routedByCheck, workflowId } from '../harness/workflows';

/** listChanges → Check → ingestion → Commit, run again and again against the fake Drive. */
describe('Google Drive Connector listChanges feeding Connector Dedup in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	const id = workflowId('drivelistchanges');
	const files: Record<string, string> = {};
	let folderId: string;
	let outsideId: string;
	let policiesId: string;

	async function run(): Promise<WorkflowRun> {
		ingestion.received.length = 0;
		google.resetRequestLog();
		return await n8n.execute(id);
	}

	const names = (ids: string[]) => ids.map((fileId) => Object.keys(files).find((name) => files[name] === fileId)).sort();

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Handbook' });
		folderId = folder.id;
		const policies = google.addFolder({ name: 'Policies', parent: folder.id });
		policiesId = policies.id;
		outsideId = google.addFolder({ name: 'Elsewhere' }).id;
		files.welcome = google.addFile({ name: 'welcome.md', parent: folder.id, mimeType: 'text/markdown', content: '# Hi' }).id;
		files.leave = google.addFile({ name: 'leave.pdf', parent: policies.id, mimeType: 'application/pdf', content: 'pdf' }).id;
		files.rules = google.addFile({ name: 'rules.md', parent: policies.id, mimeType: 'text/markdown', content: 'rules' }).id;
		files.plan = google.addFile({ name: 'Plan', parent: folder.id, mimeType: 'application/vnd.google-apps.document' }).id;
		files.stray = google.addFile({ name: 'stray.txt', parent: outsideId, mimeType: 'text/plain', content: 'x' }).id;

		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin, CONNECTORS_PROGRESS_INTERVAL_MS: '0' });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
		await n8n.importWorkflow(
			ingestionPipeline(
				id,
				{
					name: 'List Changes',
					type: NODE_TYPES.googleDriveConnector,
					parameters: {
						operation: 'listChanges',
						source: 'folder',
						sourceFolderId: { __rl: true, mode: 'id', value: folderId },
						recursive: true,
					},
					credentials: driveCredentials,
				},
				ingestion.url,
			),
		);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await google?.close();
	});

	it('lists the whole folder tree on the first run, with paths from the folder, and ingests it', async () => {
		const first = await run();
		expect(first.status).toBe('success');
		expect(first.outputs['List Changes'][0].map((i) => i.path).sort()).toEqual(['/Plan', '/Policies/leave.pdf', '/Policies/rules.md', '/welcome.md']);
		expect(names(routedByCheck(first.outputs).new)).toEqual(['leave', 'plan', 'rules', 'welcome']);
		expect(ingestion.received).toHaveLength(4);
	});

	it("logs the listing's progress as it goes, then one summary line", () => {
		const logs = n8n.allLogs();
		const label = `Google Drive listChanges google_drive:alice@example.com:folder:${folderId}`;
		expect(logs).toContain(`${label}: 2 listed in `);
		expect(logs).toMatch(new RegExp(`${label}: 4 listed in \\d+ s so far`));
		expect(logs).toMatch(new RegExp(`${label}: 4 listed, 0 deleted in \\d+ s, done: 4 item\\(s\\) out from a full listing in \\d+ Google Drive request\\(s\\)`));
	});

	it('costs two Drive requests and ingests nothing when the folder did not change', async () => {
		const second = await run();
		expect(second.status).toBe('success');
		expect(second.outputs['List Changes'][0]).toEqual([]);
		expect(ingestion.received).toEqual([]);
		expect(google.driveRequests().map((r) => r.path)).toEqual(['/drive/v3/about', '/drive/v3/changes']);
	});

	it('turns an edit, a file rename, a move in, a move out and a trash into Changed, New and Deleted', async () => {
		google.editContent(files.welcome, '# Hi again');
		google.rename(files.rules, 'house rules.md');
		google.move(files.stray, folderId);
		google.move(files.leave, outsideId);
		google.trash(files.plan);

		const third = await run();

		expect(third.status).toBe('success');
		const routed = routedByCheck(third.outputs);
		expect(third.outputs['List Changes'][0].find((i) => i.external_id === files.rules)?.path).toBe('/Policies/house rules.md');
		expect(names(routed.changed)).toEqual(['rules', 'welcome']);
		expect(names(routed.new)).toEqual(['stray']);
		expect(names(routed.deleted)).toEqual(['leave', 'plan']);
		expect(ingestion.received.map((d) => d.change).sort()).toEqual(['changed', 'changed', 'deleted', 'deleted', 'new']);
	});

	it('moves the cursor only on commit: the next run is quiet again', async () => {
		const fourth = await run();
		expect(fourth.outputs['List Changes'][0]).toEqual([]);
	});

	it('gives the files of a renamed folder their new paths, and reports a permanent delete', async () => {
		google.rename(policiesId, 'Rules');
		google.remove(files.stray);

		const fifth = await run();

		const listed = fifth.outputs['List Changes'][0];
		expect(listed.filter((i) => i.change === 'upsert').map((i) => i.path)).toEqual(['/Rules/house rules.md']);
		expect(names(listed.filter((i) => i.change === 'deleted').map((i) => String(i.external_id)))).toEqual(['stray']);
		// Only the path moved, not the content: Changed, for the index's metadata alone.
		const routed = routedByCheck(fifth.outputs);
		expect(names(routed.changed)).toEqual(['rules']);
		expect(fifth.outputs.Check[1][0]).toMatchObject({ path: '/Rules/house rules.md', content_changed: false, changed_fields: ['path'] });
		expect(names(routed.deleted)).toEqual(['stray']);
	});

	it('lists a whole shared drive on its first run, then only what changed in it', async () => {
		const team = google.addSharedDrive({ name: 'Team' });
		const specs = google.addFolder({ name: 'Specs', parent: team.id });
		const api = google.addFile({ name: 'api.md', parent: specs.id, mimeType: 'text/markdown', content: '# API' });
		google.addFile({ name: 'readme.md', parent: team.id, mimeType: 'text/markdown', content: 'hi' });
		const sharedId = workflowId('drivesharedsrc');
		await n8n.importWorkflow(
			ingestionPipeline(
				sharedId,
				{
					name: 'List Changes',
					type: NODE_TYPES.googleDriveConnector,
					parameters: { operation: 'listChanges', source: 'sharedDrive', sourceDriveId: { __rl: true, mode: 'id', value: team.id } },
					credentials: driveCredentials,
				},
				ingestion.url,
			),
		);

		ingestion.received.length = 0;
		const first = await n8n.execute(sharedId);
		expect(first.status).toBe('success');
		expect(first.outputs['List Changes'][0].map((i) => [i.path, i.source_key])).toEqual([
			['/Specs/api.md', `google_drive:alice@example.com:shared_drive:${team.id}`],
			['/readme.md', `google_drive:alice@example.com:shared_drive:${team.id}`],
		]);
		expect(ingestion.received).toHaveLength(2);

		google.editContent(api.id, '# API v2');
		const added = google.addFile({ name: 'new.md', parent: specs.id, mimeType: 'text/markdown', content: 'new' });
		google.addFile({ name: 'mine.txt', parent: folderId, mimeType: 'text/plain', content: 'My Drive, not the shared drive' });
		ingestion.received.length = 0;
		google.resetRequestLog();
		const second = await n8n.execute(sharedId);

		expect(second.status).toBe('success');
		expect(second.outputs['List Changes'][0].map((i) => i.path)).toEqual(['/Specs/api.md', '/Specs/new.md']);
		const routed = routedByCheck(second.outputs);
		expect(routed.changed).toEqual([api.id]);
		expect(routed.new).toEqual([added.id]);
		const changeRequests = google.driveRequests().filter((r) => r.path === '/drive/v3/changes');
		expect(changeRequests.map((r) => r.query.driveId)).toEqual([team.id]);
	});
});
