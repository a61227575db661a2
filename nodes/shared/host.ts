import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunHost } from '../../lib/sync';

/** The engine's view of this execution: its id, n8n's log, the output pane's hints, the cancel signal. */
export function runHost(ctx: IExecuteFunctions): RunHost {
	return {
		executionId: ctx.getExecutionId(),
		logger: ctx.logger,
		hint: (messages) => {
			if (messages.length === 0) return;
			ctx.addExecutionHints(...messages.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
		},
		signal: ctx.getExecutionCancelSignal(),
	};
}
