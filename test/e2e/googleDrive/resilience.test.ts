import * as path from 'node:path';

import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { driveCredential, driveCredentials } from '../harness/google';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance } from '../harness/n8n';
import { NODE_TYPES } from '../harness/paths';
import { graphWorkflow, manualTrigger, routedByCheck, workflowId, type NodeSpec } from '../harness/workflows';

/** Rate limits, outages and one bad file during List Changes → Export in a real n8n. */
describe('Google Drive Connector under rate limits and failures in a real n8n', () => {
	let google: FakeGoogle;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	const stormIds: string[] = [];
	const mixedIds: Record<string, string> = {};
	let stormFolder: string;
	let mixedFolder: string;
	let team: string;
	const teamFiles: string[] = [];

	const listNode = (folderId: string): NodeSpec => ({
		name: 'List Changes',
		type: NODE_TYPES.googleDriveConnector,
		parameters: { operation: 'listChanges', source: 'folder', sourceFolderId: { __rl: true, mode: 'id', value: folderId } },
		credentials: driveCredentials,
	});
	const exportNode = (concurrency: number, onError?: string): NodeSpec => ({
		name: 'Export',
		type: NODE_TYPES.googleDriveConnector,
		parameters: { operation: 'export', exportOptions: { concurrency } },
		credentials: driveCredentials,
		onError,
	});
	/** Start → List Changes → Export, nothing committed: every run lists the folder in full. */
	const listAndExport = (id: string, folderId: string, exporter: NodeSpec) =>
		graphWorkflow(id, [manualTrigger(), listNode(folderId), exporter], [
			['Start', 'List Changes'],
			['List Changes', 'Export'],
		]);
	/** Requests that download one of `ids` (not the listing's). */
	const downloads = (ids: string[]) => new RegExp(`^/drive/v3/files/(${ids.join('|')})$`);

	beforeAll(async () => {
		google = await startFakeGoogle();
		stormFolder = google.addFolder({ name: 'Storm' }).id;
		for (let i = 0; i < 12; i++) {
			stormIds.push(google.addFile({ name: `storm-${i}.txt`, parent: stormFolder, mimeType: 'text/plain', content: `file ${i}` }).id);
		}
		mixedFolder = google.addFolder({ name: 'Mixed' }).id;
		for (const name of ['a.txt', 'b.txt', 'bad.txt', 'c.txt']) {
			mixedIds[name] = google.addFile({ name, parent: mixedFolder, mimeType: 'text/plain', content: name }).id;
		}
		team = google.addSharedDrive({ name: 'Team' }).id;
		for (let f = 0; f < 4; f++) {
			const folder = google.addFolder({ name: `Area ${f}`, parent: team }).id;
			const sub = google.addFolder({ name: 'Notes', parent: folder }).id;
			for (let i = 0; i < 5; i++) {
				teamFiles.push(google.addFile({ name: `a${f}-${i}.txt`, parent: folder, mimeType: 'text/plain', content: `area ${f} file ${i}` }).id);
				teamFiles.push(google.addFile({ name: `Note ${f}-${i}`, parent: sub, mimeType: 'application/vnd.google-apps.document', content: `note ${f} ${i}` }).id);
			}
		}
		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create({ CONNECTORS_GOOGLE_API_URL: google.origin, CONNECTORS_PROGRESS_INTERVAL_MS: '0' });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([driveCredential(google, google.issueTokens())]);
	});

	afterEach(() => {
		google.clearFaults();
		google.setRateLimit(null);
		google.setLatency(0);
		delete n8n.env.CONNECTORS_RETRY_BUDGET_SECONDS;
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await google?.close();
	});

	it('rides out ten 429s in a row on the listing and a storm of 429s and rate-limit 403s on downloads: every file arrives once', async () => {
		const id = workflowId('drivestorm');
		await n8n.importWorkflow(listAndExport(id, stormFolder, exportNode(4)));
		google.resetRequestLog();
		google.failNext(10, { status: 429, retryAfter: 1, path: /^\/drive\/v3\/files$/ });
		google.failNext(6, { status: 429, retryAfter: 1, path: downloads(stormIds) });
		google.failNext(2, { status: 403, reason: 'userRateLimitExceeded', path: downloads(stormIds) });

		const run = await n8n.execute(id);

		expect(run.status).toBe('success');
		expect(run.outputs.Export[0].map((item) => item.external_id).sort()).toEqual([...stormIds].sort());
		expect(run.outputs.Export[0].every((item) => typeof item.content_hash === 'string')).toBe(true);
		const attempts = google.driveRequests().filter((request) => downloads(stormIds).test(request.path));
		expect(attempts.map((request) => request.status).filter((status) => status !== 200).sort()).toEqual([403, 403, 429, 429, 429, 429, 429, 429]);
		for (const fileId of stormIds) {
			expect(attempts.filter((request) => request.path.endsWith(fileId) && request.status === 200)).toHaveLength(1);
		}
		const listing = google.driveRequests().filter((request) => request.path === '/drive/v3/files');
		expect(listing.map((request) => request.status)).toEqual([...Array.from({ length: 10 }, () => 429), 200]);
		const logs = n8n.allLogs();
		expect(logs).toMatch(/Google Drive export: \d+ exported of 12 in \d+ s so far/);
		expect(logs).toMatch(/Google Drive export: 12 exported of 12 in \d+ s, done/);
	});

	it('syncs a shared drive for the first time through one corpus listing, riding out 60 s of rate-limit 403s mid-export with every file exported once', async () => {
		const id = workflowId('driveteamstorm');
		const listTeam: NodeSpec = {
			name: 'List Changes',
			type: NODE_TYPES.googleDriveConnector,
			parameters: { operation: 'listChanges', source: 'sharedDrive', sourceDriveId: { __rl: true, mode: 'id', value: team } },
			credentials: driveCredentials,
		};
		const exporter: NodeSpec = { name: 'Export', type: NODE_TYPES.googleDriveConnector, parameters: { operation: 'export' }, credentials: driveCredentials };
		await n8n.importWorkflow(graphWorkflow(id, [manualTrigger(), listTeam, exporter], [['Start', 'List Changes'], ['List Changes', 'Export']]));
		google.resetRequestLog();
		// Slow enough that the storm begins with most files still to come.
		google.setLatency(200);
		const contentRequest = /^\/drive\/v3\/files\/[^/]+(\/export)?$/;
		const exportedSoFar = () => google.driveRequests().filter((request) => contentRequest.test(request.path) && request.status === 200).length;
		// Once 8 files are in, Drive answers every download 403 userRateLimitExceeded for 60 s.
		const storm = { startedAt: 0, endedAt: 0 };
		const watcher = setInterval(() => {
			if (storm.startedAt === 0 && exportedSoFar() >= 8) {
				storm.startedAt = Date.now();
				google.failNext(1_000_000, { status: 403, reason: 'userRateLimitExceeded', retryAfter: 2, path: contentRequest });
			} else if (storm.startedAt !== 0 && storm.endedAt === 0 && Date.now() - storm.startedAt >= 60_000) {
				storm.endedAt = Date.now();
				google.clearFaults();
			}
		}, 50);

		let run: Awaited<ReturnType<N8nInstance['execute']>>;
		try {
			run = await n8n.execute(id);
		} finally {
			clearInterval(watcher);
		}

		expect(storm.startedAt).toBeGreaterThan(0);
		expect(storm.endedAt).toBeGreaterThan(0);
		expect(run.status).toBe('success');
		expect(run.outputs['List Changes'][0]).toHaveLength(40);
		expect(run.outputs.Export[0].map((item) => item.external_id).sort()).toEqual([...teamFiles].sort());
		const requests = google.driveRequests();
		const lists = requests.filter((request) => request.path === '/drive/v3/files');
		expect(lists.map((request) => [request.query.corpora, request.query.q, request.status])).toEqual([['drive', 'trashed = false', 200]]);
		expect(requests.filter((request) => request.status === 403).length).toBeGreaterThan(16);
		for (const fileId of teamFiles) {
			const downloads = requests.filter((request) => request.path.startsWith(`/drive/v3/files/${fileId}`) && request.status === 200);
			expect(downloads).toHaveLength(1);
		}
	});

	it('fails the node with a message naming the file that failed after its retries, without error output', async () => {
		const id = workflowId('drivefailfile');
		await n8n.importWorkflow(listAndExport(id, stormFolder, exportNode(4)));
		// A short budget, so that an endless outage of one file ends the test in seconds.
		n8n.env.CONNECTORS_RETRY_BUDGET_SECONDS = '2';
		google.failNext(10_000, { status: 503, path: downloads([stormIds[3]]) });

		const run = await n8n.execute(id);

		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(new RegExp(`Could not export "storm-3\\.txt" \\(${stormIds[3]}\\)`));
	});

	it('pauses Drive after repeated failures instead of hammering it, each file reported on the error output', async () => {
		const id = workflowId('drivebreaker');
		await n8n.importWorkflow(listAndExport(id, stormFolder, exportNode(2, 'continueErrorOutput')));
		google.resetRequestLog();
		n8n.env.CONNECTORS_RETRY_BUDGET_SECONDS = '2';
		google.failNext(10_000, { status: 503, path: downloads(stormIds) });

		const run = await n8n.execute(id);

		expect(run.status).toBe('success');
		const [exported, skipped, failed] = run.outputs.Export;
		expect(exported).toEqual([]);
		expect(skipped).toEqual([]);
		expect(failed.map((item) => item.external_id).sort()).toEqual([...stormIds].sort());
		const paused = failed.filter((item) => /Google Drive keeps failing.*paused for \d+ s/.test(String(item.error)));
		expect(paused.length).toBeGreaterThanOrEqual(12 - 5 - 1);
		// Five whole requests, each out of budget, open the circuit; at most one more was already under way.
		const attempted = new Set(google.driveRequests().filter((request) => downloads(stormIds).test(request.path)).map((request) => request.path));
		expect(attempted.size).toBeLessThanOrEqual(5 + 1);
	});

	it('sends a file failing after retries to the error output, exports the others, and retries it on the next run', async () => {
		const id = workflowId('driveatleastonce');
		await n8n.importWorkflow(
			graphWorkflow(
				id,
				[
					manualTrigger(),
					listNode(mixedFolder),
					{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
					exportNode(4, 'continueErrorOutput'),
					{
						name: 'Ingest',
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						parameters: {
							method: 'POST',
							url: ingestion.url,
							sendBody: true,
							specifyBody: 'json',
							jsonBody: '={{ JSON.stringify({ id: $json.external_id, change: $json.change }) }}',
							options: {},
						},
					},
					{ name: 'Commit', type: NODE_TYPES.connectorDedup, parameters: { operation: 'commit' } },
				],
				[
					['Start', 'List Changes'],
					['List Changes', 'Check'],
					['Check', 'Export', 0],
					['Check', 'Export', 1],
					['Check', 'Export', 3],
					['Export', 'Ingest', 0],
					['Ingest', 'Commit'],
				],
			),
		);
		const bad = mixedIds['bad.txt'];
		const others = [mixedIds['a.txt'], mixedIds['b.txt'], mixedIds['c.txt']].sort();
		ingestion.reset();
		n8n.env.CONNECTORS_RETRY_BUDGET_SECONDS = '2';
		google.failNext(10_000, { status: 503, path: downloads([bad]) });

		const first = await n8n.execute(id);

		expect(first.status).toBe('success');
		const [exported, , failed] = first.outputs.Export;
		expect(exported.map((item) => item.name)).toEqual(['a.txt', 'b.txt', 'c.txt']);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toEqual(expect.objectContaining({ external_id: bad, error: expect.stringMatching(/Could not export "bad\.txt"/) }));
		expect(ingestion.ids()).toEqual(others);

		ingestion.reset();
		google.clearFaults();
		const second = await n8n.execute(id);

		expect(second.status).toBe('success');
		const routed = routedByCheck(second.outputs);
		expect(routed.new).toEqual([bad]);
		expect(routed.unchanged).toEqual(others);
		expect(ingestion.ids()).toEqual([bad]);

		ingestion.reset();
		const third = await n8n.execute(id);
		expect(third.outputs['List Changes'][0]).toEqual([]);
		expect(ingestion.received).toEqual([]);
	});
});
