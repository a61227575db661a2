import * as fs from 'node:fs';
import * as path from 'node:path';

import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, waitFor, type WorkflowRun } from '../harness/n8n';
import { NODE_TYPES, PACKAGE_NAME } from '../harness/paths';
import {
	codeNode,
	graphWorkflow,
	ingestionPipeline,
	manualTrigger,
	routedByCheck,
	workflowId,
	type NodeSpec,
} from '../harness/workflows';

const SOURCE = 'google_drive:alice@example.com:folder:1FolderAbCdEf';

function doc(id: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		provider: 'google_drive',
		external_id: id,
		source_key: SOURCE,
		name: `${id}.txt`,
		path: `/${id}.txt`,
		parents: ['1FolderAbCdEf'],
		mime: 'text/plain',
		size: 10,
		modified_at: `2026-11-0${version}T10:00:00.000Z`,
		created_at: '2026-11-01T09:00:00.000Z',
		version,
		hash: null,
		url: `https://drive.google.com/file/d/${id}/view`,
		change: 'upsert',
		...extra,
	};
}

const dedup = (name: string, parameters: Record<string, unknown>): NodeSpec => ({
	name,
	type: NODE_TYPES.connectorDedup,
	parameters,
});

function importWorkflow(id: string, items: unknown[], ingestUrl: string, leaseMinutes = 60) {
	return ingestionPipeline(id, codeNode('Items', items), ingestUrl, leaseMinutes);
}

const routed = (run: WorkflowRun) => routedByCheck(run.outputs);

/**
 * Both SQLite drivers: better-sqlite3 from the prebuilt binary it ships, and
 * Node's built-in node:sqlite, which the cache falls back to where that binary
 * does not load (here: removed from the installed package).
 */
describe.each([
	{ driver: 'better-sqlite3', removeNativeBinding: false },
	{ driver: 'node:sqlite', removeNativeBinding: true },
])('Connector Dedup check and commit in a real n8n, cache on $driver', ({ driver, removeNativeBinding }) => {
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	const id = workflowId(`dedup${driver}`);

	async function runWith(items: unknown[], leaseMinutes?: number): Promise<WorkflowRun> {
		ingestion.received.length = 0;
		await n8n.importWorkflow(importWorkflow(id, items, ingestion.url, leaseMinutes));
		return await n8n.execute(id);
	}

	beforeAll(async () => {
		ingestion = await new IngestionEndpoint().start();
		n8n = await N8nInstance.create();
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		if (removeNativeBinding) {
			const betterSqlite = path.join(n8n.userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME, 'node_modules/better-sqlite3');
			fs.rmSync(path.join(betterSqlite, 'prebuilds'), { recursive: true, force: true });
			fs.rmSync(path.join(betterSqlite, 'build'), { recursive: true, force: true });
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
	});

	it('routes every item of a first run to New, ingests and commits them', async () => {
		const run = await runWith([doc('a', '1'), doc('b', '1'), doc('c', '1')]);
		expect(run.status).toBe('success');
		expect(routed(run)).toEqual({ new: ['a', 'b', 'c'], changed: [], unchanged: [], deleted: [] });
		expect(ingestion.ids()).toEqual(['a', 'b', 'c']);
		// Commit ran after the HTTP Request replaced the JSON, and still knew the items.
		expect(run.outputs.Commit[0].map((i) => [i.external_id, i.committed])).toEqual([
			['a', true],
			['b', true],
			['c', true],
		]);
	});

	it('routes the same items to Unchanged on the next run and ingests nothing', async () => {
		const run = await runWith([doc('a', '1'), doc('b', '1'), doc('c', '1')]);
		expect(routed(run)).toEqual({ new: [], changed: [], unchanged: ['a', 'b', 'c'], deleted: [] });
		expect(ingestion.received).toEqual([]);
	});

	it('routes an edited item to Changed and a removed one to Deleted', async () => {
		const run = await runWith([doc('a', '2'), doc('b', '1'), doc('c', '1', { change: 'deleted' })]);
		expect(routed(run)).toEqual({ new: [], changed: ['a'], unchanged: ['b'], deleted: ['c'] });
		expect(ingestion.received.map((d) => [d.id, d.change]).sort()).toEqual([
			['a', 'changed'],
			['c', 'deleted'],
		]);
	});

	it('re-emits the items of a run whose ingestion failed before commit', async () => {
		ingestion.mode = 'fail';
		const failed = await runWith([doc('a', '3'), doc('d', '1')], 0.01);
		expect(failed.status).toBe('error');
		expect(routed(failed)).toEqual({ new: ['d'], changed: ['a'], unchanged: [], deleted: [] });
		expect(failed.outputs.Commit).toBeUndefined();

		ingestion.mode = 'ok';
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const retried = await runWith([doc('a', '3'), doc('d', '1')]);
		expect(retried.status).toBe('success');
		expect(routed(retried)).toEqual({ new: ['d'], changed: ['a'], unchanged: [], deleted: [] });
		expect(ingestion.ids()).toEqual(['a', 'd']);
	});

	it('loses nothing and commits nothing twice when the n8n process is killed mid-run', async () => {
		ingestion.received.length = 0;
		ingestion.mode = 'hang';
		await n8n.importWorkflow(importWorkflow(id, [doc('e', '1'), doc('b', '1')], ingestion.url, 0.05));
		const { child, result } = await n8n.spawnCli(['execute', `--id=${id}`, '--rawOutput']);
		await waitFor(async () => ingestion.received.length > 0, 60_000, 'the killed run to reach the ingestion step');
		child.kill('SIGKILL');
		await result;
		ingestion.mode = 'ok';

		// The killed run's claim on e@1 lapses after its 3 s lease; then e comes back.
		await new Promise((resolve) => setTimeout(resolve, 3_500));
		const next = await runWith([doc('e', '1'), doc('b', '1')]);
		expect(routed(next)).toEqual({ new: ['e'], changed: [], unchanged: ['b'], deleted: [] });
		expect(ingestion.ids()).toEqual(['e']);

		const after = await runWith([doc('e', '1'), doc('b', '1')]);
		expect(routed(after)).toEqual({ new: [], changed: [], unchanged: ['b', 'e'], deleted: [] });
	});

	it('reports the source in status and forgets it on request', async () => {
		const statusId = workflowId('dedupstatus');
		await n8n.importWorkflow(
			graphWorkflow(
				statusId,
				[manualTrigger(), dedup('Status', { operation: 'status', sourceKey: SOURCE })],
				[['Start', 'Status']],
			),
		);
		// Status and Forget run in workflows of their own: maintenance workflows, which the administrator names.
		const maintenance = { CONNECTORS_STATE_ADMIN_WORKFLOWS: `${statusId},${workflowId('dedupforget')}` };
		const [status] = (await n8n.execute(statusId, maintenance)).outputs.Status[0];
		expect(status).toEqual(
			expect.objectContaining({
				source_key: SOURCE,
				provider: 'google_drive',
				items_known: 4,
				items_deleted: 1,
				last_synced_at: expect.stringMatching(/^\d{4}-/),
				cache_driver: driver,
			}),
		);

		const forgetId = workflowId('dedupforget');
		await n8n.importWorkflow(
			graphWorkflow(
				forgetId,
				[manualTrigger(), dedup('Forget', { operation: 'forget', sourceKey: SOURCE })],
				[['Start', 'Forget']],
			),
		);
		const [forgotten] = (await n8n.execute(forgetId, maintenance)).outputs.Forget[0];
		expect(forgotten).toEqual(expect.objectContaining({ source_key: SOURCE, items_removed: 5 }));

		const fresh = await runWith([doc('a', '3'), doc('b', '1')]);
		expect(routed(fresh)).toEqual({ new: ['a', 'b'], changed: [], unchanged: [], deleted: [] });
	});
});
