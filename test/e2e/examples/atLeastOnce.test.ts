import { countsOf } from '../../../scripts/demo/demo';
import { examples, withIngestionUrl, type Example } from '../../../scripts/demo/examples';
import { startSandbox, type Sandbox } from '../../../scripts/demo/sandbox';
import { N8nInstance } from '../harness/n8n';

/**
 * The example workflows as shipped (examples/*.json), in a real n8n against the sandbox, when the
 * index fails halfway through a run: what failed is released (Not Ingested → Connector Dedup
 * Release) and comes back on the very next run, not after the Check step's 30-minute claim lease;
 * what succeeded is not sent again, and the source settles once everything is in.
 */
describe.each(examples().map((example) => [example.label, example] as const))(
	'The %s example workflow, with an index that fails halfway',
	(_label, example: Example) => {
		let sandbox: Sandbox;
		let n8n: N8nInstance;
		let importable: number;

		beforeAll(async () => {
			sandbox = await startSandbox();
			importable = sandbox.importable[example.provider];
			n8n = await N8nInstance.create(sandbox.env);
			await n8n.importCredentials(sandbox.credentials());
			await n8n.importWorkflow(withIngestionUrl(example.workflow, sandbox.index.url));
		});

		afterAll(async () => {
			await n8n?.dispose();
			await sandbox?.close();
		});

		it('indexes what it can, routes 3 failed documents to the error branch and commits none of them', async () => {
			sandbox.index.failRequests(3, 5);
			const run = await n8n.execute(example.workflow.id);
			expect(run.status).toBe('success');
			const counts = countsOf(run);
			expect(counts.indexed).toBe(importable - 3);
			expect(counts.failed).toBe(3);
			expect(sandbox.index.stats).toEqual(expect.objectContaining({ documents: importable - 3, failed: 3 }));
		});

		it('sends exactly the 3 failed documents again on the next run, then settles', async () => {
			const upsertsBefore = sandbox.index.stats.upserts;
			const retry = countsOf(await n8n.execute(example.workflow.id));
			expect(retry.indexed).toBe(3);
			expect(retry.failed).toBe(0);
			expect(sandbox.index.stats.upserts - upsertsBefore).toBe(3);
			expect(sandbox.index.stats.documents).toBe(importable);

			const quiet = countsOf(await n8n.execute(example.workflow.id));
			expect(quiet.new + quiet.changed + quiet.deleted + quiet.indexed).toBe(0);
			expect(sandbox.index.stats.upserts - upsertsBefore).toBe(3);
		});
	},
);
