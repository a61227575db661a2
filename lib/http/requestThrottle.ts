import { createHash } from 'node:crypto';

export interface RequestThrottleOptions {
	/** Requests per second, sustained. */
	rate: number;
	/** Requests allowed back to back after an idle spell. */
	burst?: number;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket that hands out permits in arrival order. `pause(ms)` stops everyone — used when a
 * 429 says how long to wait, so concurrent callers back off together instead of each tripping it.
 */
export class RequestThrottle {
	private readonly rate: number;
	private readonly burst: number;
	private readonly now: () => number;
	private readonly sleep: (ms: number) => Promise<void>;
	private tokens: number;
	private lastRefill: number;
	private pausedUntil = 0;
	private readonly waiting: Array<() => void> = [];
	private pumping = false;

	constructor(options: RequestThrottleOptions) {
		if (!(options.rate > 0)) throw new RangeError(`Throttle rate must be positive, got ${options.rate}`);
		this.rate = options.rate;
		this.burst = Math.max(1, options.burst ?? 1);
		this.now = options.now ?? Date.now;
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		this.tokens = this.burst;
		this.lastRefill = this.now();
	}

	acquire(): Promise<void> {
		return new Promise((resolve) => {
			this.waiting.push(resolve);
			if (!this.pumping) void this.pump();
		});
	}

	/** Nobody gets a permit for `ms`; afterwards the bucket restarts with a single token, not a burst. */
	pause(ms: number): void {
		const until = this.now() + ms;
		if (until <= this.pausedUntil) return;
		this.pausedUntil = until;
		this.tokens = Math.min(this.tokens, 1);
		this.lastRefill = until;
	}

	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.waiting.length > 0) {
				const now = this.now();
				if (now < this.pausedUntil) {
					await this.sleep(this.pausedUntil - now);
					continue;
				}
				this.refill(now);
				if (this.tokens >= 1) {
					this.tokens -= 1;
					this.waiting.shift()?.();
					continue;
				}
				await this.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.rate));
			}
		} finally {
			this.pumping = false;
		}
	}

	private refill(now: number): void {
		if (now <= this.lastRefill) return;
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) * this.rate) / 1000);
		this.lastRefill = now;
	}
}

const throttles = new Map<string, RequestThrottle>();

/**
 * The process-wide throttle for one integration. Key it with `integrationKey(...)` so the map
 * never holds a token.
 */
export function requestThrottleFor(key: string, options: RequestThrottleOptions): RequestThrottle {
	let throttle = throttles.get(key);
	if (!throttle) {
		throttle = new RequestThrottle(options);
		throttles.set(key, throttle);
	}
	return throttle;
}

/** A stable, non-reversible key from a credential id or bot id. */
export function integrationKey(provider: string, identity: string): string {
	return `${provider}:${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}
