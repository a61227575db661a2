/**
 * Progress of a long listing or export in n8n's log: running counts at a steady pace
 * (one line per interval, not one per file), then a summary line when the step ends.
 */
import { InvalidInputError } from '../errors';

/** The part of a logger progress lines need (n8n's logger has it). */
export interface InfoLogger {
	info(message: string): void;
}

export type ProgressCounter = 'listed' | 'exported' | 'skipped' | 'failed' | 'deleted';

const ORDER: readonly ProgressCounter[] = ['listed', 'exported', 'skipped', 'failed', 'deleted'];

const DEFAULT_INTERVAL_MS = 10_000;

/**
 * Milliseconds between two progress lines: `CONNECTORS_PROGRESS_INTERVAL_MS`, default 10 s.
 * A value that is not a whole number of zero or more fails loudly, naming the variable.
 */
export function progressIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.CONNECTORS_PROGRESS_INTERVAL_MS?.trim();
	if (raw === undefined || raw === '') return DEFAULT_INTERVAL_MS;
	if (!/^\d+$/.test(raw)) {
		throw new InvalidInputError(
			`CONNECTORS_PROGRESS_INTERVAL_MS must be a whole number of milliseconds (got "${raw}")`,
			'Set it to e.g. 10000 for a progress line every 10 s, or unset it for that default.',
		);
	}
	return Number(raw);
}

export interface ProgressOptions {
	/** Milliseconds between two progress lines; default `progressIntervalMs()` (10 s). */
	intervalMs?: number;
	/** Items expected, when known: shown as "of N". */
	total?: number;
	now?: () => number;
}

export class ProgressLog {
	private readonly counts = new Map<ProgressCounter, number>();
	private readonly startedAt: number;
	private lastLineAt: number;
	private readonly intervalMs: number;
	private readonly now: () => number;
	private total: number | undefined;

	constructor(
		private readonly logger: InfoLogger,
		/** What is progressing, e.g. `Google Drive export` or `Notion listChanges notion:…`. */
		private readonly label: string,
		options: ProgressOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.intervalMs = options.intervalMs ?? progressIntervalMs();
		this.total = options.total;
		this.startedAt = this.now();
		this.lastLineAt = this.startedAt;
	}

	setTotal(total: number): void {
		this.total = total;
	}

	/** Counts an event; logs a progress line when the interval has passed since the last one. */
	add(counter: ProgressCounter, amount = 1): void {
		this.counts.set(counter, (this.counts.get(counter) ?? 0) + amount);
		const now = this.now();
		if (now - this.lastLineAt >= this.intervalMs) {
			this.lastLineAt = now;
			this.logger.info(`${this.label}: ${this.describe()} so far`);
		}
	}

	count(counter: ProgressCounter): number {
		return this.counts.get(counter) ?? 0;
	}

	/** The summary line; call once when the step ends. */
	done(suffix = ''): void {
		this.logger.info(`${this.label}: ${this.describe()}, done${suffix}`);
	}

	private describe(): string {
		const parts = ORDER.filter((counter) => this.counts.has(counter)).map(
			(counter) => `${this.count(counter).toLocaleString('en-US')} ${counter}`,
		);
		const of = this.total === undefined ? '' : ` of ${this.total.toLocaleString('en-US')}`;
		const seconds = Math.round((this.now() - this.startedAt) / 1000);
		return `${parts.join(', ') || 'nothing'}${of} in ${seconds} s`;
	}
}
