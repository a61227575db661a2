export interface AdaptiveConcurrencyOptions {
	/** Slots at the start. */
	initial: number;
	/** Never more than this, whatever the successes (the server-side cap). */
	max: number;
	/** Never fewer than this. Default 1. */
	min?: number;
	/** After a cut, further rate limits within this are the same storm and cut nothing more. Default 1 s. */
	coolDownMs?: number;
	now?: () => number;
}

/**
 * How many downloads may run at once for one integration, found the way TCP finds its window:
 * halved when the provider says "slow down" (429, Drive's rate-limit 403), one more after as many
 * successes in a row as there are slots, between `min` and `max`.
 */
export class AdaptiveConcurrency {
	private current: number;
	private readonly max: number;
	private readonly min: number;
	private readonly coolDownMs: number;
	private readonly now: () => number;
	private active = 0;
	private successes = 0;
	private lastCut = Number.NEGATIVE_INFINITY;
	private readonly waiting: Array<() => void> = [];

	constructor(options: AdaptiveConcurrencyOptions) {
		this.max = Math.max(1, Math.trunc(options.max));
		this.min = Math.min(this.max, Math.max(1, Math.trunc(options.min ?? 1)));
		this.current = Math.min(this.max, Math.max(this.min, Math.trunc(options.initial)));
		this.coolDownMs = options.coolDownMs ?? 1000;
		this.now = options.now ?? Date.now;
	}

	get limit(): number {
		return this.current;
	}

	get running(): number {
		return this.active;
	}

	/** Waits for a slot; the returned function gives it back (once), saying whether the work succeeded. */
	async acquire(): Promise<(succeeded: boolean) => void> {
		if (this.active < this.current && this.waiting.length === 0) this.active++;
		// The slot is counted by `wake` as it hands it over, so two wakes cannot give out the same one.
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		let released = false;
		return (succeeded: boolean) => {
			if (released) return;
			released = true;
			this.active--;
			if (succeeded) this.recordSuccess();
			this.wake();
		};
	}

	/**
	 * The provider asked to slow down: half the slots, once per storm. `sentAt` is when the limited
	 * request began; one that began before the last cut was sent at the old pace and cuts nothing
	 * more (so a single request retrying through a storm halves the limit once, not at every retry).
	 */
	backOff(sentAt = Number.POSITIVE_INFINITY): void {
		const now = this.now();
		if (now - this.lastCut < this.coolDownMs || sentAt <= this.lastCut) return;
		this.lastCut = now;
		this.successes = 0;
		this.current = Math.max(this.min, Math.floor(this.current / 2));
	}

	private recordSuccess(): void {
		if (this.current >= this.max) return;
		this.successes++;
		if (this.successes < this.current) return;
		this.successes = 0;
		this.current++;
	}

	private wake(): void {
		while (this.waiting.length > 0 && this.active < this.current) {
			this.active++;
			(this.waiting.shift() as () => void)();
		}
	}
}

const limits = new Map<string, AdaptiveConcurrency>();

/** The process-wide limit for one integration (`integrationKey(...)`), shared by every run on that credential. */
export function adaptiveConcurrencyFor(key: string, options: AdaptiveConcurrencyOptions): AdaptiveConcurrency {
	let limit = limits.get(key);
	if (!limit) {
		limit = new AdaptiveConcurrency(options);
		limits.set(key, limit);
	}
	return limit;
}
