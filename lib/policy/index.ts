/** The org policy (docs/architecture.md, "Org policy"): what the n8n administrator allows, and the checks that apply it. */
export { byteCap, policyByteCap } from './byteCap';
export {
	PolicyError,
	PolicySkipError,
	PolicyViolationError,
	type PolicyViolationCode,
	type SkipReason,
} from './errors';
export { loadPolicy, POLICY_FILE_VARIABLE, POLICY_VARIABLES, type ReadPolicyFile } from './load';
export { narrowPolicy, type IgnoredNarrowing, type NarrowedPolicy, type PolicyNarrowing } from './narrow';
export {
	defaultPolicy,
	describePolicy,
	formatBytes,
	maxFileSizeBytes,
	pathRulesFor,
	type OrgPolicy,
	type PathRules,
	type PolicyDescription,
} from './policy';
export {
	assertAccountAllowed,
	assertProviderEnabled,
	checkFile,
	concurrentRunsError,
	resolveExportFormat,
	type AccountFacts,
	type ExportDecision,
	type FileFacts,
	type PolicyDecision,
	type RunningRun,
} from './rules';
export { EXPORT_FORMATS, type ExportFormat } from './values';
