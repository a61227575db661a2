import { NODE_TYPES } from './paths';
import type { WorkflowFixture } from './n8n';

export interface NodeSpec {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	typeVersion?: number;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
	/** Webhook nodes register under /webhook/<path> only when they carry a webhook id. */
	webhookId?: string;
}

/** A workflow from a trigger and a chain of nodes, each fed by the one before (first output). */
export function linearWorkflow(id: string, nodes: NodeSpec[], trigger: NodeSpec = manualTrigger()): WorkflowFixture {
	const all = [trigger, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		name: `e2e ${id}`,
		nodes: all.map((node, i) => toWorkflowNode(id, node, i)),
		connections,
	};
}

function toWorkflowNode(workflowId: string, node: NodeSpec, index: number): Record<string, unknown> {
	return {
		id: `${workflowId}-node-${index}`,
		name: node.name,
		type: node.type,
		typeVersion: node.typeVersion ?? 1,
		position: [index * 220, 0],
		parameters: node.parameters ?? {},
		...(node.credentials ? { credentials: node.credentials } : {}),
		...(node.onError ? { onError: node.onError } : {}),
		...(node.webhookId ? { webhookId: node.webhookId } : {}),
	};
}

/** A workflow where the trigger feeds each node directly: independent branches in one execution. */
export function fanOutWorkflow(id: string, nodes: NodeSpec[], trigger: NodeSpec = manualTrigger()): WorkflowFixture {
	const workflow = linearWorkflow(id, [], trigger);
	workflow.nodes.push(...nodes.map((node, i) => toWorkflowNode(id, node, i + 1)));
	workflow.connections = {
		[trigger.name]: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
	};
	return workflow;
}

/** Edges as [from, to] or [from, to, output index of `from`]. */
export type Edge = [string, string] | [string, string, number];

/** A workflow with arbitrary connections, e.g. several outputs of one node into another. */
export function graphWorkflow(id: string, nodes: NodeSpec[], edges: Edge[]): WorkflowFixture {
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return {
		id,
		name: `e2e ${id}`,
		nodes: nodes.map((node, i) => toWorkflowNode(id, node, i)),
		connections,
	};
}

export function manualTrigger(): NodeSpec {
	return { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
}

/** A Code node that returns fixed items; the usual way tests feed items into this package's nodes. */
export function codeNode(name: string, items: unknown[]): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

/** Workflow ids must be 16 characters of letters and digits for n8n to keep them. */
export function workflowId(seed: string): string {
	return `${seed.replace(/[^A-Za-z0-9]/g, '')}0000000000000000`.slice(0, 16);
}

/**
 * The ingestion pipeline users build: items → Check → New/Changed/Deleted → an
 * HTTP Request to an ingestion API (which replaces each item's JSON) → Commit.
 * `source` is the node that lists the items; it follows the manual trigger.
 */
export function ingestionPipeline(id: string, source: NodeSpec, ingestUrl: string, leaseMinutes = 60): WorkflowFixture {
	return graphWorkflow(
		id,
		[
			manualTrigger(),
			source,
			{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check', checkOptions: { leaseMinutes } } },
			{
				name: 'Ingest',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: ingestUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ id: $json.external_id, change: $json.change }) }}',
					options: {},
				},
			},
			{ name: 'Commit', type: NODE_TYPES.connectorDedup, parameters: { operation: 'commit' } },
		],
		[
			['Start', source.name],
			[source.name, 'Check'],
			['Check', 'Ingest', 0],
			['Check', 'Ingest', 1],
			['Check', 'Ingest', 3],
			['Ingest', 'Commit'],
		],
	);
}

/** External ids per Check output of a run. */
export function routedByCheck(
	outputs: Record<string, Array<Array<Record<string, unknown>>>>,
): Record<'new' | 'changed' | 'unchanged' | 'deleted', string[]> {
	const [created = [], changed = [], unchanged = [], deleted = []] = outputs.Check ?? [];
	const ids = (items: Array<Record<string, unknown>>) => items.map((i) => String(i.external_id)).sort();
	return { new: ids(created), changed: ids(changed), unchanged: ids(unchanged), deleted: ids(deleted) };
}

/**
 * The ingestion pipeline with an export step: items → Check → New/Changed/Deleted →
 * `exporter` (ingestion-ready content; its Skipped output left open) → an HTTP Request
 * to an ingestion API that also receives `content_hash` → Commit.
 */
export function exportingIngestionPipeline(id: string, source: NodeSpec, exporter: NodeSpec, ingestUrl: string): WorkflowFixture {
	return graphWorkflow(
		id,
		[
			manualTrigger(),
			source,
			{ name: 'Check', type: NODE_TYPES.connectorDedup, parameters: { operation: 'check' } },
			exporter,
			{
				name: 'Ingest',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: ingestUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ id: $json.external_id, change: $json.change, content_hash: $json.content_hash ?? null }) }}',
					options: {},
				},
			},
			{ name: 'Commit', type: NODE_TYPES.connectorDedup, parameters: { operation: 'commit' } },
		],
		[
			['Start', source.name],
			[source.name, 'Check'],
			['Check', exporter.name, 0],
			['Check', exporter.name, 1],
			['Check', exporter.name, 3],
			[exporter.name, 'Ingest'],
			['Ingest', 'Commit'],
		],
	);
}
