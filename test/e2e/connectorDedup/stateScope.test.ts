import * as fs from 'node:fs';
import * as path from 'node:path';

import { sourceKeyFor } from '../../../lib/providers/googleDrive/listing/source';
import { openStore } from '../../../lib/store';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { codeNode, graphWorkflow, linearWorkflow, manualTrigger, workflowId, type NodeSpec } from '../harness/workflows';

const listChanges = (name: string, folderId: string): NodeSpec => ({
	name,
	type: NODE_TYPES.googleDriveConnector,
	parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folderId }, recursive: true },
	credentials: driveCredentials,
});

const exporter = (name: string, exportIdsDirectly: boolean): NodeSpec => ({
	name,
	type: NODE_TYPES.googleDriveConnector,
	parameters: { operation: 'export', exportOptions: { exportIdsDirectly } },
	credentials: driveCredentials,
});

const continuing = (node: NodeSpec): NodeSpec => ({ ...node, onError: 'continueRegularOutput' });

/**
 * Two workflows on one n8n: the first lists its Drive folder; the second, which lists another
 * folder, can neither see, forget, check nor export from the first one's source, and exports the
 * first one's file ids only with Export IDs Directly, under the rules on the paths Drive gives.
 */
describe("Each workflow's own connectors' state in a real n8n", () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let cachePath: string;
	let owner: WorkflowRun;
	let other: WorkflowRun;
	const ownerId = workflowId('scopeowner');
	const otherId = workflowId('scopeother');
	let ownerSource: string;
	let otherSource: string;
	const files: Record<string, string> = {};

	beforeAll(async () => {
		google = await startFakeGoogle();
		const handbook = google.addFolder({ name: 'Handbook' });
		const hr = google.addFolder({ name: 'HR', parent: handbook.id });
		const elsewhere = google.addFolder({ name: 'Elsewhere' });
		files.welcome = google.addFile({ name: 'welcome.md', parent: handbook.id, mimeType: 'text/markdown', content: '# Hi' }).id;
		files.salaries = google.addFile({ name: 'salaries.txt', parent: hr.id, mimeType: 'text/plain', content: 'secret' }).id;
		google.addFile({ name: 'stray.txt', parent: elsewhere.id, mimeType: 'text/plain', content: 'x' });
		ownerSource = sourceKeyFor(google.user.emailAddress, { kind: 'folder', folderId: handbook.id, recursive: true });
		otherSource = sourceKeyFor(google.user.emailAddress, { kind: 'folder', folderId: elsewhere.id, recursive: true });

		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		cachePath = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		n8n.env.CONNECTORS_CACHE_PATH = cachePath;
		const policyFile = path.join(n8n.userFolder, 'connectors-policy.json');
		fs.writeFileSync(policyFile, JSON.stringify({ providers: { google_drive: { paths: { deny: ['/Handbook/HR/**'] } } } }));

		// The other workflow hands Dedup and Export the owner's items as a Code node would craft them.
		const crafted = [files.salaries, files.welcome].map((id) => ({
			provider: 'google_drive',
			external_id: id,
			source_key: ownerSource,
			name: 'ok.txt',
			path: '/ok.txt',
			mime: 'text/plain',
			size: 1,
			version: '1',
			change: 'upsert',
		}));
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
		await n8n.importWorkflows([
			linearWorkflow(ownerId, [
				listChanges('List Handbook', handbook.id),
				{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
				{ name: 'Commit', type: NODE_TYPES.connectorDedup, parameters: { operation: 'commit' } },
			]),
			graphWorkflow(
				otherId,
				[
					manualTrigger(),
					listChanges('List Elsewhere', elsewhere.id),
					{ name: 'Status', type: NODE_TYPES.connectorDedup, parameters: { operation: 'status', sourceKey: '' } },
					continuing({ name: 'Status of Theirs', type: NODE_TYPES.connectorDedup, parameters: { operation: 'status', sourceKey: ownerSource } }),
					continuing({ name: 'Forget Theirs', type: NODE_TYPES.connectorDedup, parameters: { operation: 'forget', sourceKey: ownerSource } }),
					codeNode('Their Items', crafted),
					continuing({ name: 'Check Theirs', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } }),
					exporter('Export Listed Only', false),
					exporter('Export IDs Directly', true),
				],
				[
					['Start', 'List Elsewhere'],
					['List Elsewhere', 'Status'],
					['Status', 'Status of Theirs'],
					['Status of Theirs', 'Forget Theirs'],
					['Forget Theirs', 'Their Items'],
					['Their Items', 'Check Theirs'],
					['Their Items', 'Export Listed Only'],
					['Their Items', 'Export IDs Directly'],
				],
			),
		]);
		owner = await n8n.execute(ownerId);
		other = await n8n.execute(otherId, { ORG_CONNECTORS_POLICY_FILE: policyFile });
	});

	afterAll(async () => {
		await n8n?.dispose();
		await google?.close();
	});

	it('lists and commits the first workflow\'s folder', () => {
		expect(owner.status).toBe('success');
		expect(owner.outputs.Commit[0].map((item) => item.name).sort()).toEqual(['salaries.txt', 'welcome.md']);
		expect(owner.outputs.Commit[0].map((item) => item.source_key)).toEqual([ownerSource, ownerSource]);
	});

	it("shows the second workflow only its own source in Status, and refuses it the first one's", () => {
		expect(other.outputs.Status[0].map((source) => source.source_key)).toEqual([otherSource]);
		// A refused step fails on its own (Continue: its input passes on), saying why and what to do.
		const refusal = `Source ${ownerSource} is not a source of this workflow (${otherId})`;
		const hint = expect.stringContaining('CONNECTORS_STATE_ADMIN_WORKFLOWS');
		expect(other.nodeErrors['Status of Theirs']).toEqual({ message: refusal, description: hint });
		expect(other.nodeErrors['Forget Theirs']).toEqual({ message: refusal, description: hint });
		expect(other.nodeErrors['Check Theirs']).toEqual({ message: `${refusal} (item 0)`, description: hint });
	});

	it("skips the first workflow's files in an Export of the second as unknown to it, without exporting anything", () => {
		const [exported, skipped] = other.outputs['Export Listed Only'];
		expect(exported).toEqual([]);
		expect(skipped.map((item) => [item.external_id, item.skip_reason])).toEqual([
			[files.salaries, 'unknown_source_item'],
			[files.welcome, 'unknown_source_item'],
		]);
	});

	it('exports ids directly as Drive describes them, the path rule applied to the path Drive gives, not the item JSON', () => {
		const [exported, skipped] = other.outputs['Export IDs Directly'];
		expect(exported).toEqual([expect.objectContaining({ external_id: files.welcome, name: 'welcome.md', path: '/Handbook/welcome.md', export_mime: 'text/markdown' })]);
		expect(skipped).toEqual([
			expect.objectContaining({ external_id: files.salaries, path: '/Handbook/HR/salaries.txt', skip_reason: 'policy_path' }),
		]);
	});

	it("leaves the first workflow's state as it was", async () => {
		const store = await openStore({ path: cachePath });
		try {
			const [status] = await store.status(ownerSource);
			expect(status).toMatchObject({ itemsKnown: 2, hasCursor: true });
			expect(await store.owners.sourcesOf(`workflow:${ownerId}`)).toEqual([ownerSource]);
			expect(await store.owners.sourcesOf(`workflow:${otherId}`)).toEqual([otherSource]);
		} finally {
			await store.close();
		}
	});
});
