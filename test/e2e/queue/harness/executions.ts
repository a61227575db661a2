import * as fs from 'node:fs';
import { parse as unflatten } from 'flatted';

import { parseRun, waitFor, type WorkflowRun } from '../../harness/n8n';
import type { QueueSession } from './session';

/** What one webhook call answered. */
export interface WebhookAnswer {
	status: number;
	body: unknown;
}

export interface QueueExecution {
	id: string;
	/** n8n's execution status: `success`, `error`, `crashed`, `canceled`. */
	status: string;
	/** The worker (`worker-1`, …) whose log says it started this execution; undefined when none did. */
	worker?: string;
	startedAt: string;
	stoppedAt: string;
	/** Output items per node, as the e2e harness reads `n8n execute`'s run data. */
	run: WorkflowRun;
}

export interface WebhookBurst {
	/** In the order the calls were made; a webhook's answer does not say which execution it came from. */
	answers: WebhookAnswer[];
	/** The executions the calls started, by execution id. */
	executions: QueueExecution[];
}

export interface WebhookBurstOptions {
	/** The workflow the webhook belongs to: its new executions are the burst's. */
	workflowId: string;
	webhookPath: string;
	count: number;
	method?: 'GET' | 'POST';
	/** A JSON body per call (POST), e.g. to tell the calls apart in the run data. */
	body?: (index: number) => unknown;
	timeoutMs?: number;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
/** The REST API's page size limit: one page holds every execution of a burst. */
const MAX_BURST = 100;

interface ListedExecution {
	id: string;
	status: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

/**
 * Calls a published workflow's webhook `count` times at once and waits until
 * every execution those calls started has finished (however the webhook
 * answers: at once or after the last node). Returns the answers, and each
 * execution's status, run data and the worker that ran it.
 */
export async function runWebhooksAtOnce(session: QueueSession, options: WebhookBurstOptions): Promise<WebhookBurst> {
	const { workflowId, count, method = 'GET', timeoutMs = 180_000 } = options;
	if (count > MAX_BURST) throw new Error(`runWebhooksAtOnce reads one page of executions: at most ${MAX_BURST} calls`);
	const earlier = new Set((await listExecutions(session, workflowId)).map((execution) => execution.id));
	const url = session.webhookUrl(options.webhookPath);

	// Every request is on its way before the first answer is awaited.
	const calls = Array.from({ length: count }, (_, index) =>
		fetch(url, {
			method,
			...(options.body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(options.body(index)) } : {}),
		}),
	);
	const answers = await Promise.all(
		calls.map(async (call) => {
			const response = await call;
			const text = await response.text();
			return { status: response.status, body: parseBody(text) };
		}),
	);

	const unregistered = answers.filter((answer) => answer.status === 404);
	if (unregistered.length > 0) {
		throw new Error(`${unregistered.length} of ${count} calls found no webhook (404): ${JSON.stringify(unregistered[0].body)}. Was the workflow activated through QueueSession.activate?`);
	}

	let burst: ListedExecution[] = [];
	let attributed = new Map<string, string>();
	let allFinishedAt: number | undefined;
	await waitFor(
		async () => {
			burst = (await listExecutions(session, workflowId)).filter((execution) => !earlier.has(execution.id));
			if (burst.length < count || !burst.every((execution) => FINISHED.has(execution.status))) return false;
			allFinishedAt ??= Date.now();
			attributed = workerAttribution(session);
			// A finished execution's start is long logged; a few seconds cover the log file's buffering.
			return burst.every((execution) => attributed.has(execution.id)) || Date.now() - allFinishedAt > 5000;
		},
		timeoutMs,
		`${count} executions of workflow ${workflowId} to finish`,
	).catch((error: Error) => {
		const answered = answers.map((answer) => `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
		throw new Error(`${error.message}; so far: ${summarize(burst)}; the webhook answered: ${[...new Set(answered)].join(' | ')}`);
	});

	const executions = await Promise.all(
		burst.map(async (listed) => {
			const stored = await session.rest.request<{ data: string; status: string }>('GET', `/executions/${listed.id}`);
			return {
				id: listed.id,
				status: listed.status,
				worker: attributed.get(listed.id),
				startedAt: listed.startedAt ?? '',
				stoppedAt: listed.stoppedAt ?? '',
				run: parseRun({ status: stored.status, data: unflatten(stored.data) }),
			};
		}),
	);
	return { answers, executions: executions.sort((a, b) => Number(a.id) - Number(b.id)) };
}

async function listExecutions(session: QueueSession, workflowId: string): Promise<ListedExecution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await session.rest.request<{ results: ListedExecution[] }>('GET', `/executions?filter=${filter}&limit=${MAX_BURST}`);
	return page.results;
}

/**
 * Execution id → worker, from the workers' own logs: a worker logs "Worker
 * started execution <id> (job <job>)" with the execution id as metadata when
 * it takes an execution from the queue. (n8n's own worker id, in the main's
 * log, is no help here: inside a container n8n derives it from the hostname,
 * which workers on one machine share.)
 */
export function workerAttribution(session: QueueSession): Map<string, string> {
	const byExecution = new Map<string, string>();
	for (const worker of session.cluster.workers) {
		const log = fs.existsSync(worker.logFile) ? fs.readFileSync(worker.logFile, 'utf8') : '';
		for (const line of log.split('\n')) {
			if (!line.includes('Worker started execution')) continue;
			try {
				const entry = JSON.parse(line) as { message?: string; metadata?: { executionId?: string }; executionId?: string };
				const executionId = entry.metadata?.executionId ?? entry.executionId;
				if (executionId && entry.message?.startsWith('Worker started execution')) byExecution.set(String(executionId), worker.name);
			} catch {
				// A line being written while it is read.
			}
		}
	}
	return byExecution;
}

/** Per worker: how many of the executions it ran, and the most it ran at once. */
export function perWorker(executions: QueueExecution[]): Record<string, { executions: number; peak: number }> {
	const result: Record<string, { executions: number; peak: number }> = {};
	for (const execution of executions) {
		const worker = execution.worker ?? 'unknown';
		const same = executions.filter((other) => (other.worker ?? 'unknown') === worker);
		const startsAt = Date.parse(execution.startedAt);
		// Running at the moment this one started: started no later, not yet stopped.
		const running = same.filter((other) => Date.parse(other.startedAt) <= startsAt && Date.parse(other.stoppedAt) > startsAt).length;
		const entry = (result[worker] ??= { executions: 0, peak: 0 });
		entry.executions++;
		entry.peak = Math.max(entry.peak, running);
	}
	return result;
}

function parseBody(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function summarize(executions: ListedExecution[]): string {
	if (executions.length === 0) return 'none';
	return executions.map((execution) => `${execution.id} ${execution.status}`).join(', ');
}
