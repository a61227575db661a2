import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, waitFor } from '../../harness/n8n';
import { ServiceProcess } from './service';

const REDIS_SERVER = process.env.CONNECTORS_REDIS_SERVER ?? 'redis-server';

/** A throwaway Redis on 127.0.0.1 and a free port, with no persistence: n8n's queue lives as long as one test run. */
export class RedisServer {
	readonly name = 'Redis';
	private constructor(
		readonly host: string,
		readonly port: number,
		private readonly folder: string,
		private readonly server: ServiceProcess,
	) {}

	static async start(): Promise<RedisServer> {
		if (spawnSync(REDIS_SERVER, ['--version']).error) {
			throw new Error(`${REDIS_SERVER} is missing: run \`bash scripts/dev.sh test\` once (it installs it with apt-get), or apt-get install redis-server.`);
		}
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-redis-'));
		const host = '127.0.0.1';
		const port = await freePort();
		const server = ServiceProcess.spawn(
			'Redis',
			REDIS_SERVER,
			['--bind', host, '--port', String(port), '--dir', folder, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
			{ cwd: folder },
		);
		try {
			await waitFor(
				async () => {
					server.assertRunning();
					return (await ping(host, port)) === '+PONG';
				},
				30_000,
				'Redis to answer PING',
			);
		} catch (error) {
			server.killNow();
			fs.rmSync(folder, { recursive: true, force: true });
			throw error;
		}
		return new RedisServer(host, port, folder, server);
	}

	get pid(): number | undefined {
		return this.server.pid;
	}

	n8nEnvironment(): NodeJS.ProcessEnv {
		return { QUEUE_BULL_REDIS_HOST: this.host, QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	async stop(): Promise<void> {
		await this.server.stop('SIGTERM', 10_000);
		fs.rmSync(this.folder, { recursive: true, force: true });
	}

	killNow(): void {
		this.server.killNow();
		fs.rmSync(this.folder, { recursive: true, force: true });
	}
}

/** One inline PING; resolves with Redis's first reply line, or '' when nothing answers. */
async function ping(host: string, port: number): Promise<string> {
	return await new Promise((resolve) => {
		const socket = net.connect(port, host);
		let reply = '';
		const done = (value: string) => {
			socket.destroy();
			resolve(value);
		};
		socket.setTimeout(2000, () => done(''));
		socket.once('error', () => done(''));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) done(reply.split('\r\n')[0]);
		});
	});
}
