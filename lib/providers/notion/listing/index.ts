export { listNotionChanges, type NotionListChangesRequest, type NotionListChangesResponse } from './listChanges';
export {
	DEFAULT_MAX_DEPTH,
	DEFAULT_OVERLAP_MINUTES,
	DEFAULT_RECONCILE_MINUTES,
	notionSourceKeyFor,
	type NotionListOptions,
	type NotionSource,
} from './source';
export { parseCursor, type NotionCursor, type NotionListingState } from './state';
