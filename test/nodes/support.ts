/** n8n's node contexts in miniature, as the node tests need them: parameters, items, signed requests. */
import { Readable } from 'node:stream';

import type {
	IBinaryData,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPairedItemData,
	ISourceData,
	NodeTypeAndVersion,
} from 'n8n-workflow';

/** A parameter whose value differs per input item, as an expression evaluated per item does. */
export class PerItem {
	constructor(readonly values: readonly unknown[]) {}
}

export const perItem = (...values: unknown[]) => new PerItem(values);

/**
 * Reads a parameter the way n8n hands it over: a resource locator's value with `extractValue`,
 * the fallback for a parameter not set, a per-item value for the item asked about.
 */
export function nodeParameter(parameters: Record<string, unknown>) {
	return (name: string, itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
		const raw = parameters[name];
		const value = raw instanceof PerItem ? raw.values[itemIndex] : raw;
		if (value === undefined) return fallback;
		if (options?.extractValue && typeof value === 'object' && value !== null && '__rl' in value) {
			return (value as unknown as { value: unknown }).value;
		}
		return value;
	};
}

/** Just enough of n8n's execute context to read parameters. */
export function parameterContext(parameters: Record<string, unknown>): IExecuteFunctions {
	return { getNodeParameter: nodeParameter(parameters) } as unknown as IExecuteFunctions;
}

/** A resource locator's value as the editor stores it. */
export const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

export interface LoggedCall {
	credentialType: string;
	url: string;
}

interface HttpRequestOptions {
	url: string;
	method?: string;
	headers?: Record<string, string>;
	body?: Buffer;
}

export interface SignedRequests {
	/** Each request as n8n was asked to send it. */
	calls?: LoggedCall[];
	/** Held this long before it is sent, so overlapping requests can be counted. */
	delayMs?: number;
	/** Requests sent and not yet answered, and the most there were at once. */
	inFlight?: { now: number; peak: number };
}

/**
 * n8n's `httpRequestWithAuthentication` for a Bearer credential: it signs the request, answers
 * the full response with a streamed body, and throws (with the response as `cause`) on a status
 * that is not 2xx.
 */
export function httpRequestWithAuthentication(token: string, { calls, delayMs, inFlight }: SignedRequests = {}) {
	return async (credentialType: string, options: HttpRequestOptions) => {
		calls?.push({ credentialType, url: options.url });
		if (inFlight) inFlight.peak = Math.max(inFlight.peak, ++inFlight.now);
		try {
			if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
			const response = await fetch(options.url, {
				method: options.method,
				headers: { ...options.headers, authorization: `Bearer ${token}` },
				body: options.body ? new Uint8Array(options.body) : undefined,
			});
			const headers = Object.fromEntries(response.headers.entries());
			if (!response.ok) {
				const data = await response.text();
				throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
					cause: { response: { status: response.status, headers, data } },
				});
			}
			return { statusCode: response.status, headers, body: response.body ? Readable.fromWeb(response.body as never) : null };
		} finally {
			if (inFlight) inFlight.now--;
		}
	};
}

/** An editor's load-options context: the node's parameters and credential, its requests signed with `token`. */
export function loadOptionsContext(options: {
	node: Pick<INode, 'name' | 'credentials'>;
	parameters?: Record<string, unknown>;
	token: string;
	calls?: LoggedCall[];
}): ILoadOptionsFunctions {
	const parameters = options.parameters ?? {};
	return {
		getNode: () => options.node,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		helpers: { httpRequestWithAuthentication: httpRequestWithAuthentication(options.token, { calls: options.calls }) },
	} as unknown as ILoadOptionsFunctions;
}

/** What n8n's binary store keeps of a binary: the bytes, read to the end, and how they are named. */
export async function storedBinary(data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> {
	const chunks: Buffer[] = [];
	if (Buffer.isBuffer(data)) chunks.push(data);
	else for await (const chunk of data) chunks.push(Buffer.from(chunk as Buffer));
	const bytes = Buffer.concat(chunks);
	return { data: bytes.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: String(bytes.length) };
}

/** Where Commit finds the checked items again: n8n's item lineage. */
export interface Lineage {
	parentNodes?: NodeTypeAndVersion[];
	/** `$getPairedItem(ancestor, source, pairedItem)` of n8n's workflow data proxy. */
	getPairedItem?: (ancestor: string, source: ISourceData | null, pairedItem: IPairedItemData) => INodeExecutionData | null;
}

export interface ExecuteContextOptions {
	node?: Partial<INode>;
	parameters?: Record<string, unknown>;
	items?: INodeExecutionData[];
	executionId?: string;
	/** The workflow the node runs in (default `workflow-1`); null for one never saved. */
	workflowId?: string | null;
	continueOnFail?: boolean;
	/** Signs requests like n8n's helper; without it a request fails the test. */
	token?: string;
	requests?: SignedRequests;
	lineage?: Lineage;
	hints?: string[];
}

/** n8n's execute context, as small as the nodes allow: items, parameters, execution, node, helpers, lineage. */
export function executeContext(options: ExecuteContextOptions = {}): IExecuteFunctions {
	const node: INode = {
		id: 'node-1',
		name: 'Node',
		type: 'n8n-nodes-external-connectors.test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...options.node,
	};
	const items = options.items ?? [{ json: {} }];
	const { lineage = {}, hints } = options;
	const unexpectedRequest = async () => {
		throw new Error('This test sends no requests');
	};
	return {
		getNode: () => node,
		getNodeParameter: nodeParameter(options.parameters ?? {}),
		getInputData: () => items,
		getExecutionId: () => options.executionId ?? 'execution-1',
		getWorkflow: () => ({ id: options.workflowId === null ? undefined : (options.workflowId ?? 'workflow-1'), active: false }),
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => undefined,
		addExecutionHints: (...added: Array<{ message: string }>) => hints?.push(...added.map((hint) => hint.message)),
		logger: { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined },
		getParentNodes: () => lineage.parentNodes ?? [],
		getInputSourceData: () => ({ previousNode: lineage.parentNodes?.[0]?.name ?? 'Previous' }),
		getWorkflowDataProxy: () => ({
			$getPairedItem: lineage.getPairedItem ?? (() => null),
		}),
		helpers: {
			httpRequestWithAuthentication: options.token ? httpRequestWithAuthentication(options.token, options.requests) : unexpectedRequest,
			prepareBinaryData: storedBinary,
		},
	} as unknown as IExecuteFunctions;
}
