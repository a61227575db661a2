import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { freePort, waitFor } from '../../harness/n8n';
import { ServiceProcess } from './service';

/** Debian's PostgreSQL 15, which the CI image ships; CONNECTORS_POSTGRES_BIN points elsewhere. */
const PG_BIN = process.env.CONNECTORS_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

/**
 * A throwaway PostgreSQL: a data folder in the temp dir, its unix socket inside
 * that folder, TCP on 127.0.0.1 only, on a free port. Durability is switched off
 * (fsync, synchronous commit): the data lives as long as one test run.
 */
export class PostgresServer {
	readonly name = 'PostgreSQL';
	private constructor(
		readonly connection: PostgresConnection,
		private readonly folder: string,
		private readonly server: ServiceProcess,
	) {}

	static async start(database = 'n8n'): Promise<PostgresServer> {
		if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) {
			throw new Error(`PostgreSQL 15 is missing (no ${PG_BIN}/initdb): run \`bash scripts/dev.sh test\` once, or apt-get install postgresql-15.`);
		}
		const owner = serverAccount();
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-postgres-'));
		let server: ServiceProcess | undefined;
		try {
			fs.chmodSync(folder, 0o700);
			fs.chownSync(folder, owner.uid, owner.gid);
			const connection = { host: '127.0.0.1', port: await freePort(), database, user: 'n8n', password: randomBytes(12).toString('hex') };
			const passwordFile = path.join(folder, 'password');
			fs.writeFileSync(passwordFile, connection.password, { mode: 0o600 });
			fs.chownSync(passwordFile, owner.uid, owner.gid);
			const data = path.join(folder, 'data');
			const asOwner = { uid: owner.uid, gid: owner.gid, cwd: folder, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };

			const init = spawnSync(
				path.join(PG_BIN, 'initdb'),
				['-D', data, '-U', connection.user, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync'],
				{ ...asOwner, encoding: 'utf8' },
			);
			if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.error?.message}):\n${init.stdout}\n${init.stderr}`);

			server = ServiceProcess.spawn(
				'PostgreSQL',
				path.join(PG_BIN, 'postgres'),
				[
					'-D', data,
					'-p', String(connection.port),
					'-k', folder,
					'-c', 'listen_addresses=127.0.0.1',
					'-c', 'fsync=off',
					'-c', 'synchronous_commit=off',
					'-c', 'full_page_writes=off',
				],
				asOwner,
			);
			const started = server;
			await waitFor(
				async () => {
					started.assertRunning();
					return await run(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', connection.host, '-p', String(connection.port)]).then(
						() => true,
						() => false,
					);
				},
				60_000,
				'PostgreSQL to accept connections',
			);
			// Over TCP with the password, as n8n connects: proves the authentication n8n will meet.
			await run(path.join(PG_BIN, 'createdb'), ['-h', connection.host, '-p', String(connection.port), '-U', connection.user, database], {
				env: { ...process.env, PGPASSWORD: connection.password },
			});
			return new PostgresServer(connection, folder, server);
		} catch (error) {
			server?.killNow();
			fs.rmSync(folder, { recursive: true, force: true });
			throw error;
		}
	}

	get pid(): number | undefined {
		return this.server.pid;
	}

	/** n8n's settings for this database. */
	n8nEnvironment(): NodeJS.ProcessEnv {
		const { host, port, database, user, password } = this.connection;
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		};
	}

	/** Fast shutdown (SIGINT: open sessions are cut, nothing is written back), then the folder goes. */
	async stop(): Promise<void> {
		await this.server.stop('SIGINT', 10_000);
		fs.rmSync(this.folder, { recursive: true, force: true });
	}

	killNow(): void {
		this.server.killNow();
		fs.rmSync(this.folder, { recursive: true, force: true });
	}
}

/** PostgreSQL refuses to run as root: as root, the server runs as Debian's `postgres` account. */
function serverAccount(): { uid: number; gid: number } {
	if (process.getuid?.() !== 0) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
	const id = (flag: string) => {
		const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
		if (result.status !== 0) throw new Error('Running as root, and there is no `postgres` account to run PostgreSQL as: apt-get install postgresql-15.');
		return Number(result.stdout.trim());
	};
	return { uid: id('-u'), gid: id('-g') };
}
