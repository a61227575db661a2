import { ConnectorError } from '../errors';

export interface CircuitBreakerOptions {
	/** Shown to users: "Google Drive keeps failing …". */
	providerName: string;
	/** Consecutive failed requests (every attempt used up) before the circuit opens. */
	failureThreshold?: number;
	/** First pause; doubles after each failed probe up to `maxCoolDownMs`. */
	coolDownMs?: number;
	maxCoolDownMs?: number;
	now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Stops a run from hammering a provider that keeps failing. Counts whole requests, not attempts:
 * after `failureThreshold` consecutive failures it opens and calls fail fast; after the cool-down
 * one probe goes through (half-open); its success closes the circuit, its failure reopens it for
 * twice as long.
 */
export class CircuitBreaker {
	readonly providerName: string;
	private readonly failureThreshold: number;
	private readonly baseCoolDownMs: number;
	private readonly maxCoolDownMs: number;
	private readonly now: () => number;
	private consecutiveFailures = 0;
	private coolDownMs: number;
	private openUntil: number | undefined;
	private probeInFlight = false;
	private lastFailure = '';

	constructor(options: CircuitBreakerOptions) {
		this.providerName = options.providerName;
		this.failureThreshold = options.failureThreshold ?? 5;
		this.baseCoolDownMs = options.coolDownMs ?? 30_000;
		this.maxCoolDownMs = options.maxCoolDownMs ?? 300_000;
		this.now = options.now ?? Date.now;
		this.coolDownMs = this.baseCoolDownMs;
	}

	get state(): CircuitState {
		if (this.openUntil === undefined) return 'closed';
		return this.now() < this.openUntil || this.probeInFlight ? 'open' : 'half-open';
	}

	/** Throws `provider_unavailable` while open; in half-open lets exactly one probe through. */
	beforeRequest(): void {
		if (this.openUntil === undefined) return;
		if (this.now() >= this.openUntil && !this.probeInFlight) {
			this.probeInFlight = true;
			return;
		}
		const remainingMs = Math.max(this.openUntil - this.now(), 1000);
		throw new ConnectorError(
			'provider_unavailable',
			`${this.providerName} keeps failing (last: ${this.lastFailure}); paused for ${Math.ceil(remainingMs / 1000)} s to avoid hammering it — the run will retry later`,
			`Nothing to fix on your side if this is temporary; if it persists, check ${this.providerName}'s status and the credential's quota.`,
		);
	}

	recordSuccess(): void {
		this.consecutiveFailures = 0;
		this.openUntil = undefined;
		this.probeInFlight = false;
		this.coolDownMs = this.baseCoolDownMs;
	}

	/** `description` names the last failure for the message, e.g. `503 Service Unavailable`. */
	recordFailure(description: string): void {
		this.lastFailure = description;
		if (this.probeInFlight) {
			this.probeInFlight = false;
			this.coolDownMs = Math.min(this.coolDownMs * 2, this.maxCoolDownMs);
			this.openUntil = this.now() + this.coolDownMs;
			return;
		}
		this.consecutiveFailures++;
		if (this.openUntil === undefined && this.consecutiveFailures >= this.failureThreshold) {
			this.openUntil = this.now() + this.coolDownMs;
		}
	}

	/** A request that ended without a verdict (aborted by the caller) frees the probe slot. */
	recordAbandoned(): void {
		this.probeInFlight = false;
	}
}

const breakers = new Map<string, CircuitBreaker>();

/** The process-wide breaker for a provider key, so every run and node shares one view of its health. */
export function circuitBreakerFor(key: string, options: CircuitBreakerOptions): CircuitBreaker {
	let breaker = breakers.get(key);
	if (!breaker) {
		breaker = new CircuitBreaker(options);
		breakers.set(key, breaker);
	}
	return breaker;
}
