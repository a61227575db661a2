import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IngestedDocument {
	id: string;
	change: string;
	at: number;
}

/**
 * A stand-in for a search index's document API: records what it receives and
 * answers a JSON body that replaces the item in n8n (as a real API would).
 */
export class IngestionEndpoint {
	readonly received: IngestedDocument[] = [];
	/** `ok`, `fail` (answers 500), or `hang` (never answers, for crash tests). */
	mode: 'ok' | 'fail' | 'hang' = 'ok';
	private server?: http.Server;
	private readonly hanging: http.ServerResponse[] = [];
	url = '';

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				const document = JSON.parse(body || '{}') as { id: string; change: string };
				this.received.push({ ...document, at: Date.now() });
				if (this.mode === 'hang') {
					this.hanging.push(res);
					return;
				}
				res.writeHead(this.mode === 'fail' ? 500 : 200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(this.mode === 'fail' ? { error: 'index unavailable' } : { indexed: document.id, ok: true }));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/documents`;
		return this;
	}

	ids(): string[] {
		return this.received.map((d) => d.id).sort();
	}

	reset(): void {
		this.received.length = 0;
		this.mode = 'ok';
	}

	async close(): Promise<void> {
		for (const res of this.hanging) res.destroy();
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}
}
