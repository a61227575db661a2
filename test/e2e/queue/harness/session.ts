import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance, waitFor, type CredentialFixture, type WorkflowFixture } from '../../harness/n8n';
import { N8nRest } from '../../harness/rest';
import { CLUSTER_ENV, type QueueClusterDescription } from './cluster';
import type { FakeProvider } from './control';

interface WorkflowNode {
	type: string;
	parameters: { path: string; httpMethod?: string };
}

export interface SessionFakes {
	/** A FakeGoogle (test/fakes/googleApi.ts): the workers' Drive requests go to its origin. */
	google?: { origin: string };
	/** A FakeNotion (test/fakes/notionApi.ts). */
	notion?: { url: string };
}

/**
 * A test file's use of the shared queue cluster. `open` (in beforeAll) waits
 * until no other test file uses it, attaches this file's fakes, and gives a
 * CLI on the cluster's database and the main's REST API; `close` (in
 * afterAll, always) deactivates what the file activated and hands the
 * cluster on.
 */
export class QueueSession {
	private readonly activated: string[] = [];

	private constructor(
		readonly cluster: QueueClusterDescription,
		/** n8n's CLI on the cluster's PostgreSQL database. */
		readonly cli: N8nInstance,
		/** The main's internal REST API, signed in as the owner. */
		readonly rest: N8nRest,
		private readonly token: string,
	) {}

	static async open(options: { fakes?: SessionFakes } = {}): Promise<QueueSession> {
		const described = process.env[CLUSTER_ENV];
		if (!described) throw new Error(`${CLUSTER_ENV} is not set: the queue project's global setup did not run (npx jest --selectProjects queue).`);
		const cluster = JSON.parse(described) as QueueClusterDescription;
		const token = randomUUID();
		await waitFor(
			async () => {
				const response = await control(cluster, 'POST', '/lease', { token, pid: process.pid });
				if (response.status !== 409) await expectOk(response, 'taking the lease');
				return response.ok;
			},
			280_000,
			'the queue cluster, which another test file is using',
		);
		try {
			const fakes: Partial<Record<FakeProvider, string>> = { google: options.fakes?.google?.origin, notion: options.fakes?.notion?.url };
			await expectOk(await control(cluster, 'PUT', '/fakes', { token, fakes }), 'attaching the fakes');
			const cliFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-queue-cli-'));
			const cli = await N8nInstance.inFolder(cliFolder, cluster.databaseEnv);
			return new QueueSession(cluster, cli, N8nRest.withCookie(cluster.main.url, cluster.ownerCookie), token);
		} catch (error) {
			// No session to close: the next test file must not wait for this one.
			await control(cluster, 'DELETE', '/lease', { token });
			throw error;
		}
	}

	get workerNames(): string[] {
		return this.cluster.workers.map((worker) => worker.name);
	}

	/**
	 * Saves a workflow through the main's REST API, as the editor does, keeping
	 * its id: seconds faster than a CLI command, which boots a whole n8n.
	 */
	async importWorkflow(workflow: WorkflowFixture): Promise<void> {
		const { id, name, nodes, connections, settings = {} } = workflow;
		await this.rest.request('POST', '/workflows', { id, name, nodes, connections, settings });
	}

	/** Credentials as the e2e harness imports them: `n8n import:credentials`, encrypted with the cluster's key. */
	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		await this.cli.importCredentials(credentials);
	}

	/**
	 * Publishes a workflow through the main, as the editor's Publish button does
	 * (`n8n publish:workflow` only takes effect at the next start), and resolves
	 * once its Webhook nodes answer: the main registers them shortly after it
	 * answered the publish request.
	 */
	async activate(workflowId: string): Promise<void> {
		const workflow = await this.rest.request<{ versionId: string; nodes: WorkflowNode[] }>('GET', `/workflows/${workflowId}`);
		await this.rest.request('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
		this.activated.push(workflowId);
		const webhooks = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook');
		await waitFor(
			async () => {
				const registered = await Promise.all(
					webhooks.map(async ({ parameters }) => (await this.webhookMethods(parameters.path)).includes(parameters.httpMethod ?? 'GET')),
				);
				return registered.every(Boolean);
			},
			60_000,
			`the webhooks of workflow ${workflowId} to be registered`,
		);
	}

	/**
	 * The methods a webhook path is registered for, from a CORS preflight: n8n
	 * lists them in Access-Control-Allow-Methods without running anything.
	 */
	async webhookMethods(webhookPath: string): Promise<string[]> {
		const response = await fetch(this.webhookUrl(webhookPath), { method: 'OPTIONS', headers: { origin: this.cluster.main.url } });
		const allowed = response.headers.get('access-control-allow-methods') ?? '';
		return allowed.split(',').map((method) => method.trim()).filter((method) => method && method !== 'OPTIONS');
	}

	/** Kills the worker with SIGKILL (its process group: task runners too), as when its machine dies. */
	async killWorker(name: string): Promise<void> {
		await expectOk(await control(this.cluster, 'POST', '/workers/kill', { token: this.token, name }), `killing ${name}`);
	}

	/** Starts a killed worker again; resolves once it takes jobs. */
	async startWorker(name: string): Promise<void> {
		await expectOk(await control(this.cluster, 'POST', '/workers/start', { token: this.token, name }), `starting ${name}`);
	}

	webhookUrl(webhookPath: string): string {
		return `${this.cluster.main.url}/webhook/${webhookPath}`;
	}

	async close(): Promise<void> {
		try {
			for (const workflowId of this.activated.splice(0)) {
				await this.rest.request('POST', `/workflows/${workflowId}/deactivate`, {});
			}
		} finally {
			await control(this.cluster, 'DELETE', '/lease', { token: this.token });
			await this.cli.dispose();
		}
	}
}

async function control(cluster: QueueClusterDescription, method: string, route: string, body: unknown): Promise<Response> {
	return await fetch(`${cluster.controlUrl}${route}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function expectOk(response: Response, what: string): Promise<void> {
	if (!response.ok) throw new Error(`${what}: the queue cluster's control answered ${response.status} ${await response.text()}`);
}
