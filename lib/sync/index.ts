/** The sync engine: written once, above the providers (docs/architecture.md). */
export { checkAccount, hasAccountRules, type AccountScope } from './accounts';
export { meteredBody, type MeteredBody } from './content';
export { runExport, type ExportRunInput, type ExportRunResult, type StoreBinary } from './exportRun';
export type { RunHost, RunPolicy } from './host';
export { checkListedItem, formatOverrideWarnings, partitionByPolicy, planExport, type ExportPlan, type SkippedItem } from './itemPolicy';
export { listSource, type ListingOptions, type ListSourceInput, type ListSourceResult } from './listing';
export { policyMessages, runListing, type ListingRunInput, type ListingRunResult } from './listingRun';
export { ProgressLog, progressIntervalMs, type ProgressCounter } from './progress';
export { acquireRunSlot } from './runSlot';
export {
	adminWorkflows,
	ADMIN_WORKFLOWS_VARIABLE,
	assertItemsInScope,
	assertSourceInScope,
	ForeignSourceError,
	sourcesInScope,
	stateScopeOf,
	usableSources,
	type StateScope,
} from './stateScope';
export { settleFailed, settleSkipped, type FailedItem } from './settlement';
