import { createHash } from 'node:crypto';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { graphWorkflow, manualTrigger, workflowId } from '../harness/workflows';

const MB = 1024 * 1024;
const DOC = 'application/vnd.google-apps.document';

describe('Google Drive Connector export in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let run: WorkflowRun;
	const pdfBytes = Buffer.from('%PDF-1.7 quarterly numbers');

	const exported = (name: string) => run.outputs.Export[0].find((item) => item.name === name);

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Exports' });
		google.addFile({ name: 'Plan', parent: folder.id, mimeType: DOC, content: 'The plan.' });
		google.addFile({ name: 'q3.pdf', parent: folder.id, mimeType: 'application/pdf', content: pdfBytes });
		google.addFile({ name: 'Big doc', parent: folder.id, mimeType: DOC, content: { size: 11 * MB } });
		google.addFile({ name: 'bad.exe', parent: folder.id, mimeType: 'application/octet-stream', content: 'MZ', abusive: true });

		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
		const id = workflowId('driveexport');
		await n8n.importWorkflow(
			graphWorkflow(
				id,
				[
					manualTrigger(),
					{
						name: 'List Changes',
						type: NODE_TYPES.googleDriveConnector,
						parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folder.id } },
						credentials: driveCredentials,
					},
					{
						name: 'Export',
						type: NODE_TYPES.googleDriveConnector,
						parameters: { operation: 'export' },
						credentials: driveCredentials,
					},
				],
				[
					['Start', 'List Changes'],
					['List Changes', 'Export'],
				],
			),
		);
		run = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
	});

	it('exports a Google Doc as plain text into the binary property data', () => {
		expect(run.status).toBe('success');
		expect(exported('Plan')).toEqual(
			expect.objectContaining({
				export_format: 'txt',
				export_mime: 'text/plain',
				content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
				_binary: { data: expect.objectContaining({ fileName: 'Plan.txt', mimeType: 'text/plain' }) },
			}),
		);
	});

	it('passes other files through as their original bytes, hashed', () => {
		expect(exported('q3.pdf')).toEqual(
			expect.objectContaining({
				export_mime: 'application/pdf',
				export_size: pdfBytes.length,
				content_hash: createHash('sha256').update(pdfBytes).digest('hex'),
				_binary: { data: expect.objectContaining({ fileName: 'q3.pdf', mimeType: 'application/pdf' }) },
			}),
		);
	});

	it("gets past Drive's 10 MB export limit through the file's export link", () => {
		expect(exported('Big doc')).toEqual(expect.objectContaining({ export_format: 'txt', export_size: 11 * MB }));
	});

	it('sends a file Drive flags as abusive to the Skipped output with its reason', () => {
		const [skipped] = run.outputs.Export[1];
		expect(skipped).toEqual(expect.objectContaining({ name: 'bad.exe', skip_reason: 'abusive_file', skip_detail: expect.any(String) }));
		expect(run.outputs.Export[0].map((item) => item.name).sort()).toEqual(['Big doc', 'Plan', 'q3.pdf']);
	});

	it('keeps the listed order although downloads run in parallel', () => {
		const listed = run.outputs['List Changes'][0].map((item) => item.name).filter((name) => name !== 'bad.exe');
		expect(run.outputs.Export[0].map((item) => item.name)).toEqual(listed);
	});
});
