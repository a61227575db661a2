import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeProvider = 'google' | 'notion';
export const FAKE_PROVIDERS: FakeProvider[] = ['google', 'notion'];

interface Lease {
	token: string;
	pid: number;
	since: string;
}

/**
 * Lives in the global setup's process, beside the cluster, for the test files
 * (in jest's worker processes) to share it one at a time:
 *
 * - a lease: one test file uses the cluster at a time, so that its executions,
 *   worker counts and fakes are its own; a lease whose holder process is gone
 *   is free again;
 * - one relay per fake API: the workers were started once, with
 *   CONNECTORS_GOOGLE_API_URL and CONNECTORS_NOTION_API_URL pointing here, and
 *   each request is forwarded to the fake the lease holder attached.
 */
export class ClusterControl {
	readonly name = 'control server';
	private lease?: Lease;
	private readonly upstreams: Partial<Record<FakeProvider, string>> = {};
	private readonly servers: http.Server[] = [];
	url = '';
	/** Set by the cluster once its workers run: stop one with SIGKILL, start it again. */
	workers?: { kill(name: string): void; start(name: string): Promise<number> };
	readonly relayUrls = {} as Record<FakeProvider, string>;

	static async start(): Promise<ClusterControl> {
		const control = new ClusterControl();
		control.url = await control.listen((req, res) => {
			control.handleControl(req, res).catch((error: unknown) => send(res, 400, { error: String(error) }));
		});
		for (const provider of FAKE_PROVIDERS) {
			control.relayUrls[provider] = await control.listen((req, res) => control.relay(provider, req, res));
		}
		return control;
	}

	async stop(): Promise<void> {
		await Promise.all(
			this.servers.map(async (server) => {
				server.closeAllConnections();
				await new Promise<void>((resolve) => server.close(() => resolve()));
			}),
		);
	}

	/** In-process servers end with the process; nothing to do when it exits. */
	killNow(): void {}

	private async listen(handler: http.RequestListener): Promise<string> {
		const server = http.createServer(handler);
		this.servers.push(server);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	private async handleControl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const body = await readJson(req);
		const route = `${req.method} ${req.url}`;
		if (route === 'POST /lease') {
			const { token, pid } = body as { token: string; pid: number };
			if (this.lease && this.lease.token !== token && isAlive(this.lease.pid)) {
				return send(res, 409, { holder: this.lease });
			}
			if (this.lease?.token !== token) this.detachAll();
			this.lease = { token, pid, since: new Date().toISOString() };
			return send(res, 200, { lease: this.lease });
		}
		const { token } = body as { token?: string };
		if (!this.lease || this.lease.token !== token) return send(res, 403, { error: 'this test file does not hold the queue cluster lease' });
		if (route === 'DELETE /lease') {
			this.detachAll();
			this.lease = undefined;
			return send(res, 200, {});
		}
		if (route === 'PUT /fakes') {
			const { fakes } = body as { fakes: Partial<Record<FakeProvider, string>> };
			this.detachAll();
			Object.assign(this.upstreams, fakes);
			return send(res, 200, { fakes: this.upstreams });
		}
		if (route === 'POST /workers/kill' || route === 'POST /workers/start') {
			const { name } = body as { name: string };
			if (!this.workers) return send(res, 409, { error: 'the workers are not running yet' });
			if (route === 'POST /workers/kill') {
				this.workers.kill(name);
				return send(res, 200, {});
			}
			return send(res, 200, { pid: await this.workers.start(name) });
		}
		send(res, 404, { error: `no route ${route}` });
	}

	private detachAll(): void {
		for (const provider of FAKE_PROVIDERS) delete this.upstreams[provider];
	}

	/** Forwards the request as it came (method, path, headers, body) and streams the answer back. */
	private relay(provider: FakeProvider, req: http.IncomingMessage, res: http.ServerResponse): void {
		const upstream = this.upstreams[provider];
		if (!upstream) {
			send(res, 502, { error: `No fake ${provider} API is attached to the queue cluster: the test must pass it to QueueSession.open({ fakes }).` });
			req.resume();
			return;
		}
		const target = new URL(req.url ?? '/', upstream);
		const headers = { ...req.headers, host: target.host };
		delete headers.connection;
		// A connection per request: a kept-alive socket the fake closes (after 1 s idle) could be reused as it closes.
		const forwarded = http.request(target, { method: req.method, headers, agent: false }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		forwarded.on('error', (error) => {
			if (!res.headersSent) send(res, 502, { error: `fake ${provider} API at ${upstream} unreachable: ${error.message}` });
			else res.destroy();
		});
		req.pipe(forwarded);
	}
}

/** Signal 0 checks that a process exists without touching it. */
function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
	let text = '';
	for await (const chunk of req) text += String(chunk);
	return text ? JSON.parse(text) : {};
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
