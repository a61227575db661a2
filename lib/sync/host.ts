import type { PolicyDescription, OrgPolicy } from '../policy';
import type { StateScope } from './stateScope';

/** What the engine needs of the n8n execution it runs in; the nodes provide it. */
export interface RunHost {
	executionId: string;
	/** Which sources' state the run may read and change: its workflow's. */
	scope: StateScope;
	logger: { info(message: string): void; warn(message: string): void };
	/** Messages for the node's output pane (n8n's execution hints); called with none is a no-op. */
	hint(messages: readonly string[]): void;
	/** Set when the execution is cancelled. */
	signal?: AbortSignal;
}

/** The effective policy of one node run: the org policy narrowed by the node's Restrict Further. */
export interface RunPolicy {
	policy: OrgPolicy;
	/** The effective policy as JSON, for run records. */
	description: PolicyDescription;
	/** Narrowing requests the org policy overrides (shown as warnings, never widening it). */
	warnings: string[];
}
