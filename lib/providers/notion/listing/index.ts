export { listNotionChanges } from './listChanges';
export {
	DEFAULT_MAX_DEPTH,
	DEFAULT_OVERLAP_MINUTES,
	DEFAULT_RECONCILE_MINUTES,
	notionSourceKeyFor,
	type NotionListOptions,
	type NotionSource,
} from './source';
