import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

import { stopProcess, tail } from '../../harness/n8n';

/**
 * A long-running child process the queue harness owns, in a process group of
 * its own: n8n's task runners and PostgreSQL's backends go with it, and only
 * what the harness started is ever signalled (by PID, never by name: other
 * test runs share the machine). Its output is kept for error messages.
 */
export class ServiceProcess {
	private output = '';

	private constructor(
		readonly name: string,
		readonly child: ChildProcess,
	) {
		child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
		child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
	}

	static spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): ServiceProcess {
		return new ServiceProcess(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true }));
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get exited(): boolean {
		return this.child.exitCode !== null || this.child.signalCode !== null;
	}

	/** The last lines it printed, for the error that explains why it did not come up. */
	recentOutput(lines = 40): string {
		return tail(this.output, lines);
	}

	/** Throws (with its output) if the process is gone: a wait on a dead service must not run into its timeout. */
	assertRunning(): void {
		if (this.exited) {
			throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.recentOutput()}`);
		}
	}

	/** `signal` to the process itself, so it shuts down in order; whatever of its group is left after `graceMs` is killed. */
	async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
		await stopProcess(this.child, signal, graceMs);
		this.killGroup();
	}

	/** Synchronous last resort, when the test run ends without its teardown (a crash, Ctrl+C, --forceExit). */
	killNow(): void {
		if (!this.exited) this.child.kill('SIGKILL');
		this.killGroup();
	}

	private killGroup(): void {
		if (!this.child.pid) return;
		try {
			process.kill(-this.child.pid, 'SIGKILL');
		} catch {
			// The group is empty: everything in it has exited.
		}
	}

	private keep(chunk: Buffer): void {
		// Enough for an error message; a chatty n8n must not grow this without bound.
		this.output = (this.output + chunk.toString()).slice(-200_000);
	}
}
