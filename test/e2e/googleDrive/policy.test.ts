import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, waitFor } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { codeNode, graphWorkflow, ingestionPipeline, linearWorkflow, manualTrigger, workflowId, type NodeSpec } from '../harness/workflows';

type Item = Record<string, unknown>;
const names = (items: Item[] = []) => items.map((item) => item.name);
const skips = (items: Item[] = []) => items.map((item) => [item.name, item.skip_reason]);

const MB = 1024 * 1024;
const GOOGLE_DOC = 'application/vnd.google-apps.document';
const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';

/** One of each thing a policy can refuse, in a folder of its own (each test lists its own source). */
function addMixedFolder(google: FakeGoogle, name: string) {
	const folder = google.addFolder({ name });
	const hr = google.addFolder({ name: 'HR', parent: folder.id });
	google.addFile({ name: 'notes.txt', parent: folder.id, mimeType: 'text/plain', content: 'notes' });
	google.addFile({ name: 'big.pdf', parent: folder.id, mimeType: 'application/pdf', content: { size: 2 * MB } });
	google.addFile({ name: 'tool.exe', parent: folder.id, mimeType: 'application/octet-stream', content: 'MZ' });
	google.addFile({ name: 'salaries.txt', parent: hr.id, mimeType: 'text/plain', content: 'confidential' });
	google.addFile({ name: 'Plan', parent: folder.id, mimeType: GOOGLE_DOC, content: 'The plan' });
	return folder;
}

function listNodeFor(folderId: string, parameters: Record<string, unknown> = {}): NodeSpec {
	return {
		name: 'List Changes',
		type: NODE_TYPES.googleDriveConnector,
		parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folderId }, ...parameters },
		credentials: driveCredentials,
	};
}

function exportNode(parameters: Record<string, unknown> = {}): NodeSpec {
	return { name: 'Export', type: NODE_TYPES.googleDriveConnector, parameters: { operation: 'export', ...parameters }, credentials: driveCredentials };
}

/** The administrator's ORG_CONNECTORS_* variables, set in n8n's environment. */
describe('org policy applied by Google Drive Connector listChanges in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	let listNode: NodeSpec;
	const listOnly = workflowId('policylist');
	const pipeline = workflowId('policypipe');

	beforeAll(async () => {
		google = await startFakeGoogle();
		const folder = google.addFolder({ name: 'Team' });
		for (const name of ['a.txt', 'b.txt', 'c.txt']) {
			google.addFile({ name, parent: folder.id, mimeType: 'text/plain', content: name });
		}
		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
		listNode = {
			name: 'List Changes',
			type: NODE_TYPES.googleDriveConnector,
			parameters: {
				operation: 'listChanges',
				source: 'folder',
				sourceFolderId: { __rl: true, mode: 'id', value: folder.id },
			},
			credentials: driveCredentials,
		};
		await n8n.importWorkflow(linearWorkflow(listOnly, [listNode]));
		await n8n.importWorkflow(ingestionPipeline(pipeline, listNode, ingestion.url));
	});

	afterEach(() => {
		ingestion.reset();
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await google?.close();
	});

	it('fails at once, before any Drive request, when the provider is disabled', async () => {
		google.resetRequestLog();
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ENABLED_PROVIDERS: 'notion' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/google_drive|Google Drive/);
		expect(run.error?.message).toMatch(/disabled|not enabled/i);
		expect(google.driveRequests()).toEqual([]);
	});

	it('fails naming the account and the allowed domains when the account is outside them', async () => {
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example' });
		expect(run.status).toBe('error');
		expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(/alice@example\.com/);
		expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(/corp\.example/);
	});

	it('applies the account domains to Browse too, so a disallowed account cannot be looked into', async () => {
		const browseId = workflowId('policybrowse');
		const browse = { name: 'Browse', type: NODE_TYPES.googleDriveConnector, parameters: { operation: 'browse', location: 'myDrive', returnAll: true }, credentials: driveCredentials };
		await n8n.importWorkflow(linearWorkflow(browseId, [browse]));
		const refused = await n8n.execute(browseId, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example' });
		expect(refused.status).toBe('error');
		expect(refused.error?.message).toMatch(/^The Google Drive account alice@example\.com is not in a domain the org policy allows \(allowed: corp\.example\)/);
		const allowed = await n8n.execute(browseId, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'example.com' });
		expect(allowed.status).toBe('success');
		expect(allowed.outputs.Browse[0].length).toBeGreaterThan(0);
	});

	it('sends no token along a redirect from the Drive API to another host', async () => {
		const received: http.IncomingHttpHeaders[] = [];
		const elsewhere = http.createServer((req, res) => {
			received.push(req.headers);
			res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
		});
		await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = elsewhere.address() as AddressInfo;
			google.failNext(1, { path: '/drive/v3/about', redirectTo: `http://127.0.0.1:${port}/collect` });
			await n8n.execute(listOnly);
			expect(received.length).toBeGreaterThan(0);
			expect(received.map((headers) => headers.authorization)).toEqual(received.map(() => undefined));
		} finally {
			await new Promise((resolve) => elsewhere.close(resolve));
		}
	});

	it('fails loudly, naming the variable, on a bad policy value', async () => {
		const run = await n8n.execute(listOnly, { ORG_CONNECTORS_MAX_FILE_SIZE_MB: '-1' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/ORG_CONNECTORS_MAX_FILE_SIZE_MB/);
	});

	it('caps files per run and brings the rest on the next runs, dropping nothing', async () => {
		const capped = { ORG_CONNECTORS_MAX_FILES_PER_RUN: '2' };
		const seen: string[] = [];
		for (const expected of [2, 1, 0]) {
			ingestion.received.length = 0;
			const run = await n8n.execute(pipeline, capped);
			expect(run.status).toBe('success');
			expect(run.outputs['List Changes'][0]).toHaveLength(expected);
			seen.push(...ingestion.received.map((d) => d.id));
		}
		expect(seen).toHaveLength(3);
		expect(new Set(seen).size).toBe(3);
	});

	describe('file rules: type, size and path', () => {
		const pipelineId = workflowId('policyrules');
		const statusId = workflowId('policystatus');
		let env: NodeJS.ProcessEnv;
		let sourceKey = '';
		let salariesId = '';

		beforeAll(async () => {
			const folder = addMixedFolder(google, 'Mixed');
			// Its plain-text export is 1.5 MB: over the limit, which only the stream can tell.
			google.addFile({ name: 'Huge notes', parent: folder.id, mimeType: GOOGLE_DOC, content: 'x'.repeat(1.5 * MB) });
			const policyFile = path.join(n8n.userFolder, 'connectors-policy.json');
			fs.writeFileSync(policyFile, JSON.stringify({ providers: { google_drive: { paths: { deny: ['/HR/**'] } } } }));
			env = {
				ORG_CONNECTORS_MAX_FILE_SIZE_MB: '1',
				ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'txt,pdf,md',
				ORG_CONNECTORS_POLICY_FILE: policyFile,
			};
			const nodes = [
				manualTrigger(),
				listNodeFor(folder.id),
				{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
				exportNode(),
				{
					name: 'Ingest',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						method: 'POST',
						url: ingestion.url,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify({ id: $json.name, change: $json.change }) }}',
						options: {},
					},
				},
				{ name: 'Commit', type: NODE_TYPES.connectorDedup, parameters: { operation: 'commit' } },
			];
			await n8n.importWorkflow(
				graphWorkflow(pipelineId, nodes, [
					['Start', 'List Changes'],
					['List Changes', 'Check'],
					['Check', 'Export', 0],
					['Check', 'Export', 1],
					['Check', 'Export', 3],
					['Export', 'Ingest'],
					['Ingest', 'Commit'],
				]),
			);
		});

		it('skips refused files at listing and at export with stable reasons, and ingests the rest', async () => {
			const run = await n8n.execute(pipelineId, env);
			expect(run.status).toBe('success');
			const [listed, skippedAtListing] = run.outputs['List Changes'];
			sourceKey = String(listed[0].source_key);
			salariesId = String(skippedAtListing.find((item) => item.name === 'salaries.txt')?.external_id);
			// In path order: /HR/…, /Huge notes, /Plan, /big.pdf, /notes.txt, /tool.exe.
			expect(names(listed)).toEqual(['Huge notes', 'Plan', 'notes.txt']);
			expect(skips(skippedAtListing)).toEqual([
				['salaries.txt', 'policy_path'],
				['big.pdf', 'policy_size'],
				['tool.exe', 'policy_file_type'],
			]);
			const detail = Object.fromEntries(skippedAtListing.map((item) => [item.name, item.skip_detail]));
			expect(detail['big.pdf']).toBe('big.pdf is 2,097,152 bytes, over the org limit of 1 MB (1,048,576 bytes)');
			expect(detail['salaries.txt']).toBe('/HR/salaries.txt is in a path the org policy denies (/HR/**)');
			expect(detail['tool.exe']).toBe('tool.exe (application/octet-stream) is not an allowed file type: allowed are txt, pdf, md');

			// The Google Doc's size is only known while streaming its export: the cap stops it there.
			const [exported, skippedAtExport] = run.outputs.Export;
			expect(names(exported)).toEqual(['Plan', 'notes.txt']);
			expect(exported[0]).toMatchObject({ export_format: 'txt' });
			expect(skips(skippedAtExport)).toEqual([['Huge notes', 'policy_size']]);
			expect(skippedAtExport[0].skip_detail).toMatch(/larger than the org limit of 1 MB .*the download was stopped there/);
			expect(ingestion.ids()).toEqual(['Plan', 'notes.txt']);
		});

		it('counts the skips per reason in the run record, shows the policy in status, and the cursor moves on', async () => {
			await n8n.importWorkflow(
				linearWorkflow(statusId, [{ name: 'Status', type: NODE_TYPES.connectorDedup, parameters: { operation: 'status', sourceKey } }]),
			);
			// A status workflow of its own reads another workflow's source: the administrator names it.
			const [status] = (await n8n.execute(statusId, { ...env, CONNECTORS_STATE_ADMIN_WORKFLOWS: statusId })).outputs.Status[0];
			expect(status).toMatchObject({
				source_key: sourceKey,
				last_run_status: 'success',
				last_run_skipped_by_reason: { policy_size: 2, policy_path: 1, policy_file_type: 1 },
				last_run_policy: expect.objectContaining({
					maxFileSizeMb: 1,
					allowedFileTypes: ['txt', 'pdf', 'md'],
					paths: expect.objectContaining({ google_drive: { allow: 'any', deny: ['/HR/**'] } }),
				}),
				org_policy: expect.objectContaining({ maxFileSizeMb: 1, policyFile: env.ORG_CONNECTORS_POLICY_FILE }),
			});
			expect(status.cursor_committed_at).toEqual(expect.stringMatching(/^\d{4}-/));
			expect((status.last_run as Item).counts).toMatchObject({ skipped: 4, committed: 2 });

			// Skipped files were settled, not left pending: the next run has nothing to list again.
			const next = await n8n.execute(pipelineId, env);
			expect(next.status).toBe('success');
			expect(next.outputs['List Changes'].flat()).toEqual([]);
		});
		it('checks Export against what the source listed, so crafted item JSON gets no denied or unlisted file', async () => {
			const outside = google.addFile({ name: 'outside.txt', parent: google.addFolder({ name: 'Elsewhere' }).id, mimeType: 'text/plain', content: 'x' });
			const crafted = (externalId: string, name: string) => ({
				provider: 'google_drive',
				external_id: externalId,
				source_key: sourceKey,
				name,
				path: `/${name}`,
				mime: 'text/plain',
				change: 'new',
			});
			const id = workflowId('policycrafted');
			await n8n.importWorkflow(linearWorkflow(id, [codeNode('Crafted', [crafted(salariesId, 'ok.txt'), crafted(outside.id, 'fine.txt')]), exportNode()]));
			google.resetRequestLog();
			// A maintenance workflow (named by the administrator) may use another workflow's source: the listing's metadata still wins.
			const run = await n8n.execute(id, { ...env, CONNECTORS_STATE_ADMIN_WORKFLOWS: id });
			expect(run.status).toBe('success');
			const [exported, skipped] = run.outputs.Export;
			expect(exported).toEqual([]);
			expect(skipped.map((item) => [item.external_id, item.path, item.skip_reason])).toEqual([
				[salariesId, '/HR/salaries.txt', 'policy_path'],
				[outside.id, '/fine.txt', 'unknown_source_item'],
			]);
			expect(google.driveRequests().filter((request) => request.query.alt === 'media' || request.path.endsWith('/export'))).toEqual([]);
		});
	});

	it('narrows the policy with the node\'s Restrict Further parameters, never widening it', async () => {
		const folder = addMixedFolder(google, 'Narrowed');
		const id = workflowId('policynarrow');
		const restricted = listNodeFor(folder.id, {
			// exe is outside the org's types and 100 MB above its limit: both are ignored, not widened.
			policyNarrowing: { allowedFileTypes: 'pdf, exe', maxFileSizeMb: 100, denyPaths: '/notes.txt' },
		});
		await n8n.importWorkflow(linearWorkflow(id, [restricted]));
		const run = await n8n.execute(id, { ORG_CONNECTORS_MAX_FILE_SIZE_MB: '1', ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'txt,pdf' });
		expect(run.status).toBe('success');
		const [listed, skipped] = run.outputs['List Changes'];
		expect(names(listed)).toEqual(['Plan']);
		expect(skips(skipped)).toEqual([
			['salaries.txt', 'policy_file_type'],
			['big.pdf', 'policy_size'],
			['notes.txt', 'policy_path'],
			['tool.exe', 'policy_file_type'],
		]);
	});

	it('exports to the default format when an override is not allowed, and skips when neither is', async () => {
		const folder = google.addFolder({ name: 'Formats' });
		google.addFile({ name: 'Spec', parent: folder.id, mimeType: GOOGLE_DOC, content: 'Spec text' });
		google.addFile({ name: 'Budget', parent: folder.id, mimeType: GOOGLE_SHEET, content: 'a,b\n1,2' });
		const id = workflowId('policyformats');
		const exporter = exportNode({ exportFormats: { document: 'docx', spreadsheet: 'xlsx' } });
		await n8n.importWorkflow(linearWorkflow(id, [listNodeFor(folder.id), exporter]));
		const run = await n8n.execute(id, { ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS: 'txt,pdf' });
		expect(run.status).toBe('success');
		const [exported, skipped] = run.outputs.Export;
		expect(exported.map((item) => [item.name, item.export_format])).toEqual([['Spec', 'txt']]);
		expect(skips(skipped)).toEqual([['Budget', 'policy_export_format']]);
		expect(skipped[0].skip_detail).toBe(
			'"Budget": the org policy does not allow exporting to xlsx (nor the default csv): allowed formats are txt, pdf',
		);
	});

	it('fails a run over ORG_CONNECTORS_MAX_CONCURRENT_RUNS fast, while another execution\'s run is open', async () => {
		const folder = google.addFolder({ name: 'Busy' });
		google.addFile({ name: 'busy.txt', parent: folder.id, mimeType: 'text/plain', content: 'busy' });
		const busyId = workflowId('policybusy');
		await n8n.importWorkflow(ingestionPipeline(busyId, listNodeFor(folder.id), ingestion.url));
		const limit = { ORG_CONNECTORS_MAX_CONCURRENT_RUNS: '1' };

		// The first execution listed and checked, and now waits on a hanging ingestion API: its run is open.
		ingestion.mode = 'hang';
		const { child, result } = await n8n.spawnCli(['execute', `--id=${busyId}`, '--rawOutput'], limit);
		await waitFor(async () => ingestion.received.length > 0, 60_000, 'the first execution to reach the ingestion step');

		google.resetRequestLog();
		const refused = await n8n.execute(listOnly, limit);
		expect(refused.status).toBe('error');
		expect(refused.error?.message).toMatch(
			/^The Google Drive connector already has 1 run\(s\) in progress \(execution \d+ since [^)]+\) and the org policy allows at most 1 at a time/,
		);
		expect(`${refused.error?.message} ${refused.error?.description ?? ''}`).toMatch(/ORG_CONNECTORS_MAX_CONCURRENT_RUNS/);
		expect(google.driveRequests()).toEqual([]);

		// Once that execution's process is gone, its slot is free at once.
		child.kill('SIGKILL');
		await result;
		const after = await n8n.execute(listOnly, limit);
		expect(after.status).toBe('success');
	});
});
