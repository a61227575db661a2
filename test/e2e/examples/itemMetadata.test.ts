import { countsOf } from '../../../scripts/demo/demo';
import { examples, withIngestionUrl } from '../../../scripts/demo/examples';
import { startSandbox, type Sandbox } from '../../../scripts/demo/sandbox';
import { N8nInstance } from '../harness/n8n';

/**
 * The Google Drive example as shipped, in a real n8n against the sandbox, when only metadata moves
 * upstream (a folder renamed, a file shared) and when a trashed file comes back: the index gets
 * the new paths and permissions without the content being downloaded or sent again, and the
 * restored file is indexed anew.
 */
describe('The Google Drive example workflow, when metadata changes and a file is restored', () => {
	const example = examples().find((candidate) => candidate.provider === 'google_drive');
	let sandbox: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await N8nInstance.create(sandbox.env);
		await n8n.importCredentials(sandbox.credentials());
		await n8n.importWorkflow(withIngestionUrl(example!.workflow, sandbox.index.url));
		expect(countsOf(await n8n.execute(example!.workflow.id)).indexed).toBe(sandbox.drive.importable);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	it('updates the paths and permissions in the index without downloading or sending the content again', async () => {
		const google = sandbox.fakes.google;
		const { people } = sandbox.drive.folders;
		const readme = sandbox.drive.files.readme;
		const [before] = sandbox.index.list().filter((document) => document.id === readme.id);
		expect(before.permissions).toEqual([{ type: 'user', role: 'owner', email: google.user.emailAddress }]);
		google.rename(people.id, 'Team');
		google.share(readme.id, { type: 'domain', role: 'reader', domain: 'acme.example', allowFileDiscovery: false });
		google.trash(sandbox.drive.files.oldPricing.id);
		const upserts = sandbox.index.stats.upserts;
		google.resetRequestLog();

		const run = await n8n.execute(example!.workflow.id);
		expect(run.status).toBe('success');
		const counts = countsOf(run);
		expect([counts.changed, counts.metadataUpdated, counts.indexed, counts.removed, counts.failed]).toEqual([people.files + 1, people.files + 1, 0, 1, 0]);
		expect(run.outputs.Check[1].map((item) => [item.content_changed, item.changed_fields]).sort()).toEqual([
			...Array(people.files).fill([false, ['path']]),
			[false, ['permissions']],
		]);
		// Nothing was downloaded or exported, nothing sent again as content (the video under the renamed
		// folder was never ingested — its download is disabled — so it is tried, and skipped, again).
		const downloads = google.driveRequests().filter((request) => request.query.alt === 'media' || request.path.endsWith('/export'));
		expect(downloads.map((request) => request.path)).toEqual([`/drive/v3/files/${sandbox.drive.files.trainingVideo.id}`]);
		expect(sandbox.index.stats.upserts).toBe(upserts);
		const indexed = sandbox.index.list();
		expect(indexed.filter((document) => document.path.startsWith('/Team/')).length).toBe(people.files);
		expect(indexed.filter((document) => document.path.startsWith('/People/'))).toEqual([]);
		expect(indexed.find((document) => document.id === readme.id)?.permissions).toContainEqual({ type: 'domain', role: 'reader', domain: 'acme.example', with_link: true });
	});

	it('indexes a file restored from the trash again', async () => {
		sandbox.fakes.google.untrash(sandbox.drive.files.oldPricing.id);
		const restored = countsOf(await n8n.execute(example!.workflow.id));
		expect([restored.new, restored.indexed, restored.removed]).toEqual([1, 1, 0]);
		expect(sandbox.index.list().some((document) => document.id === sandbox.drive.files.oldPricing.id)).toBe(true);
	});
});
