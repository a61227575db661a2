import { ConnectorError } from '../errors';

/** A bad policy value, set by the n8n administrator; `setting` is the variable or policy-file key at fault. */
export class PolicyError extends ConnectorError {
	constructor(
		readonly setting: string,
		message: string,
		hint?: string,
		options?: { cause?: unknown },
	) {
		super('policy_invalid', message, hint, options);
		this.name = 'PolicyError';
	}
}

export type PolicyViolationCode =
	| 'policy_provider_disabled'
	| 'policy_account_domain'
	| 'policy_notion_workspace'
	| 'policy_concurrent_runs';

/** The run as a whole is not allowed (provider, account, concurrent runs); the node fails with this message. */
export class PolicyViolationError extends ConnectorError {
	constructor(
		readonly code: PolicyViolationCode,
		message: string,
		hint: string,
	) {
		super(code, message, hint);
		this.name = 'PolicyViolationError';
	}
}

/** Stable `skip_reason` codes for items the policy refuses (docs/architecture.md, "Items": the `Skipped` output). */
export type SkipReason = 'policy_file_type' | 'policy_size' | 'policy_path' | 'policy_export_format';

/** One item is refused, discovered while streaming it; the node routes it to `Skipped`, the run goes on. */
export class PolicySkipError extends ConnectorError {
	constructor(
		readonly skipReason: SkipReason,
		readonly skipDetail: string,
	) {
		super(skipReason, skipDetail);
		this.name = 'PolicySkipError';
	}
}
