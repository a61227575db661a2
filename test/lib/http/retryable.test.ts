import { isTransientNetworkError } from '../../../lib/http/retryable';
import { connectionReset } from './fakeFetch';

describe('isTransientNetworkError', () => {
	it('recognises a dropped connection wrapped in "fetch failed"', () => {
		expect(isTransientNetworkError(connectionReset())).toBe(true);
	});

	it('recognises a socket hang-up and a refused connection', () => {
		expect(isTransientNetworkError(new Error('socket hang up'))).toBe(true);
		expect(isTransientNetworkError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
	});

	it('never treats an abort or a timeout the caller set as transient', () => {
		expect(isTransientNetworkError(new DOMException('aborted', 'AbortError'))).toBe(false);
		expect(isTransientNetworkError(new DOMException('timed out', 'TimeoutError'))).toBe(false);
		const abortWithResetCause = Object.assign(new Error('aborted', { cause: connectionReset() }), { name: 'AbortError' });
		expect(isTransientNetworkError(abortWithResetCause)).toBe(false);
	});

	it('does not treat programming errors as transient', () => {
		expect(isTransientNetworkError(new TypeError('Invalid URL'))).toBe(false);
		expect(isTransientNetworkError('ECONNRESET')).toBe(false);
	});
});
