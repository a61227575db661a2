/**
 * Errors that say what went wrong and what to do next. `code` is stable so
 * nodes and tests can tell errors apart without matching messages.
 */
export class ConnectorError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly hint?: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'ConnectorError';
	}
}

export class InvalidInputError extends ConnectorError {
	constructor(message: string, hint?: string) {
		super('invalid_input', message, hint);
		this.name = 'InvalidInputError';
	}
}

export class NotFoundError extends ConnectorError {
	constructor(message: string, hint?: string, options?: { cause?: unknown }) {
		super('not_found', message, hint, options);
		this.name = 'NotFoundError';
	}
}

/** The message of anything thrown: an Error, an error-like object (SDK errors), or a value. */
export function errorMessage(error: unknown): string {
	if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
		return error.message;
	}
	return String(error);
}
