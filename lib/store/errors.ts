/** Why the cache could not do what was asked; each code pairs with a message that says what to do next. */
export type CacheErrorCode =
	| 'cache_corrupt'
	| 'cache_locked'
	| 'cache_unwritable'
	| 'cache_too_new'
	| 'cache_foreign_database'
	| 'cache_driver_unavailable'
	| 'cache_unreachable'
	| 'cache_refused'
	| 'cache_closed'
	| 'unknown_run'
	| 'invalid_item';

export class CacheError extends Error {
	readonly code: CacheErrorCode;
	/** The cache file (or the database, without its password) the error is about, when there is one. */
	readonly path: string | null;

	constructor(code: CacheErrorCode, message: string, options: { path?: string | null; cause?: unknown } = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'CacheError';
		this.code = code;
		this.path = options.path ?? null;
	}
}

export function isCacheError(error: unknown): error is CacheError {
	return error instanceof CacheError;
}
