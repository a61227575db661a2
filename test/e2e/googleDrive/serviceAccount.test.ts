import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import type { ServiceAccountKeyFile } from '../../fakes/serviceAccounts';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { graphWorkflow, manualTrigger, workflowId, type NodeSpec } from '../harness/workflows';

const CREDENTIAL = { id: 'driveServiceAcc1', name: 'Drive service account (fake)' };
const credentials = { googleDriveConnectorServiceAccountApi: CREDENTIAL };

const readText: NodeSpec = {
	name: 'Read',
	type: 'n8n-nodes-base.extractFromFile',
	typeVersion: 1,
	parameters: { operation: 'text', binaryPropertyName: 'data', destinationKey: 'text', options: { keepSource: 'both' } },
};

/**
 * One execution through a service account with domain-wide delegation, under an account-domain
 * rule: List Changes and Export of a folder whose workbook has three tabs, one of them hidden.
 */
describe('Google Drive Connector through a service account in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let run: WorkflowRun;
	let keyFile: ServiceAccountKeyFile;

	beforeAll(async () => {
		google = await startFakeGoogle({ user: { emailAddress: 'alice@example.com' } });
		keyFile = google.addServiceAccount({ clientEmail: 'importer@acme-ingest.iam.gserviceaccount.com' });
		const folder = google.addFolder({ name: 'Finance' });
		google.addFile({ name: 'notes.txt', parent: folder.id, mimeType: 'text/plain', content: 'quarterly notes' });
		google.addSpreadsheet({
			name: 'Budget',
			parent: folder.id,
			sheets: [
				{ title: 'Summary', rows: [['Total', '1,250']] },
				{ title: 'Lookups', rows: [['rate', '0.2']], hidden: true },
				{ title: 'Q1', rows: [['Jan', '500']] },
			],
		});

		n8n = await N8nInstance.create({
			CONNECTORS_GOOGLE_API_URL: google.origin,
			CONNECTORS_GOOGLE_TOKEN_URL: google.tokenUrl,
			ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'example.com',
		});
		await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'googleDriveConnectorServiceAccountApi', data: { keyFormat: 'json', privateKeyJson: JSON.stringify(keyFile), subject: 'alice@example.com' } },
		]);
		const id = workflowId('driveserviceacct');
		const drive = (name: string, parameters: Record<string, unknown>): NodeSpec => ({
			name,
			type: NODE_TYPES.googleDriveConnector,
			parameters: { authentication: 'serviceAccount', ...parameters },
			credentials,
		});
		await n8n.importWorkflow(
			graphWorkflow(
				id,
				[
					manualTrigger(),
					drive('List Changes', { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folder.id } }),
					drive('Export', { operation: 'export' }),
					readText,
				],
				[
					['Start', 'List Changes'],
					['List Changes', 'Export'],
					['Export', 'Read'],
				],
			),
		);
		run = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
	});

	it('lists the folder as the impersonated user, whose domain the policy allows, with one minted token', () => {
		expect(run.status).toBe('success');
		expect(run.outputs['List Changes'][0].map((item) => item.name).sort()).toEqual(['Budget', 'notes.txt']);
		expect(run.outputs['List Changes'][0].every((item) => String(item.source_key).includes('alice@example.com'))).toBe(true);
		expect(google.serviceAccountTokenCount).toBe(1);
	});

	it("exports every visible tab of the workbook in one CSV, the hidden one left out", () => {
		const budget = run.outputs.Read[0].find((item) => item.name === 'Budget');
		expect(budget).toEqual(expect.objectContaining({ export_format: 'csv', export_mime: 'text/csv' }));
		expect(budget?.text).toBe('sheet,A,B\r\nSummary,Total,"1,250"\r\nQ1,Jan,500\r\n');
		expect(run.outputs.Read[0].find((item) => item.name === 'notes.txt')?.text).toBe('quarterly notes');
	});

	it('never logs the private key or a minted token', () => {
		const logs = n8n.allLogs();
		expect(logs).not.toContain(keyFile.private_key.split('\n')[1]);
		expect(logs).not.toMatch(/ya29\.fake-/);
	});
});
