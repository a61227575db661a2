import type { IExecuteFunctions } from 'n8n-workflow';

import { ForeignSourceError, stateScopeOf, type RunHost, type StateScope } from '../../lib/sync';
import { toNodeError } from './nodeErrors';

/** Which sources' state this node may read and change: its workflow's (lib/sync/stateScope.ts). */
export function stateScope(ctx: IExecuteFunctions): StateScope {
	try {
		return stateScopeOf(ctx.getWorkflow().id);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, 0);
	}
}

/** Awaits a scope check; a refusal fails the node on the item it names, saying what to do. */
export async function withinScope(ctx: IExecuteFunctions, check: Promise<void>): Promise<void> {
	try {
		await check;
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, (error instanceof ForeignSourceError ? error.itemIndex : undefined) ?? 0);
	}
}

/** The engine's view of this execution: its id, its workflow's scope, n8n's log, the output pane's hints, the cancel signal. */
export function runHost(ctx: IExecuteFunctions): RunHost {
	return {
		executionId: ctx.getExecutionId(),
		scope: stateScope(ctx),
		logger: ctx.logger,
		hint: (messages) => {
			if (messages.length === 0) return;
			ctx.addExecutionHints(...messages.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
		},
		signal: ctx.getExecutionCancelSignal(),
	};
}
