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
		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
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

	it('costs two Drive requests and ingests nothing when the folder did not change', async () => {
		const second = await run();
		expect(second.status).toBe('success');
		expect(second.outputs['List Changes'][0]).toEqual([]);
		expect(ingestion.received).toEqual([]);
		expect(google.driveRequests().map((r) => r.path)).toEqual(['/drive/v3/about', '/drive/v3/changes']);
	});

	it('turns an edit, a move in, a move out and a trash into Changed, New and Deleted', async () => {
		google.editContent(files.welcome, '# Hi again');
		google.move(files.stray, folderId);
		google.move(files.leave, outsideId);
		google.trash(files.plan);

		const third = await run();

		expect(third.status).toBe('success');
		const routed = routedByCheck(third.outputs);
		expect(names(routed.changed)).toEqual(['welcome']);
		expect(names(routed.new)).toEqual(['stray']);
		expect(names(routed.deleted)).toEqual(['leave', 'plan']);
		expect(ingestion.received.map((d) => d.change).sort()).toEqual(['changed', 'deleted', 'deleted', 'new']);
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
		expect(listed.filter((i) => i.change === 'upsert').map((i) => i.path)).toEqual(['/Rules/rules.md']);
		expect(names(listed.filter((i) => i.change === 'deleted').map((i) => String(i.external_id)))).toEqual(['stray']);
		// Only the path moved; the file's version did not, so Dedup has nothing new to ingest.
		const routed = routedByCheck(fifth.outputs);
		expect(names(routed.unchanged)).toEqual(['rules']);
		expect(names(routed.deleted)).toEqual(['stray']);
	});
});
