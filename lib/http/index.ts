export { backoffDelayMs, retryAfterMs } from './backoff';
export { CircuitBreaker, circuitBreakerFor } from './circuitBreaker';
export type { CircuitBreakerOptions, CircuitState } from './circuitBreaker';
export { RequestThrottle, integrationKey, requestThrottleFor } from './requestThrottle';
export type { RequestThrottleOptions } from './requestThrottle';
export { resilientFetch } from './resilientFetch';
export type { ResilientFetch, ResilientFetchDeps, RetryEvent, RetryPolicy, RetryStats } from './resilientFetch';
export { defaultRetryable, isTransientNetworkError } from './retryable';
export type { RetryableCheck } from './retryable';
