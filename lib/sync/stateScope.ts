/**
 * Who may read and change which source's state (docs/architecture.md, "Who sees which state"):
 * each workflow its own sources — those it listed, or adopted while nobody owned them — and the
 * workflows an administrator names in CONNECTORS_STATE_ADMIN_WORKFLOWS every source, for
 * instance-wide maintenance. n8n tells a node its workflow in single-instance and queue mode alike.
 */
import { ConnectorError, InvalidInputError } from '../errors';
import type { ConnectorItem } from '../items';
import type { ConnectorStore, SourceRef } from '../store/types';

export interface StateScope {
	/** The owner the store records: `workflow:<id>`. */
	owner: string;
	workflowId: string;
	/** Named in CONNECTORS_STATE_ADMIN_WORKFLOWS: every source, and nothing adopted on the way. */
	admin: boolean;
}

export const ADMIN_WORKFLOWS_VARIABLE = 'CONNECTORS_STATE_ADMIN_WORKFLOWS';

/** The workflow ids in CONNECTORS_STATE_ADMIN_WORKFLOWS (comma-separated). */
export function adminWorkflows(env: NodeJS.ProcessEnv = process.env): Set<string> {
	const ids = (env[ADMIN_WORKFLOWS_VARIABLE] ?? '').split(',').map((id) => id.trim());
	return new Set(ids.filter((id) => id !== ''));
}

/** The scope of a node run in the workflow `workflowId`; a workflow without an id (never saved) has none. */
export function stateScopeOf(workflowId: string | undefined, env: NodeJS.ProcessEnv = process.env): StateScope {
	const id = workflowId?.trim();
	if (!id) {
		throw new InvalidInputError(
			"This workflow has no id, and the connectors' state is kept per workflow",
			'Save the workflow, then run it again.',
		);
	}
	return { owner: `workflow:${id}`, workflowId: id, admin: adminWorkflows(env).has(id) };
}

/** A source this workflow did not list (or adopt) was asked for; the message is the same whether the source exists or not. */
export class ForeignSourceError extends ConnectorError {
	constructor(
		readonly sourceKey: string,
		scope: StateScope,
		readonly itemIndex?: number,
	) {
		super(
			'foreign_source',
			`Source ${sourceKey} is not a source of this workflow (${scope.workflowId})` + (itemIndex === undefined ? '' : ` (item ${itemIndex})`),
			'A workflow reads and changes only the state of the sources it lists with List Changes. ' +
				`Run List Changes for this source in this workflow first; for instance-wide maintenance, an administrator lists this workflow's id in ${ADMIN_WORKFLOWS_VARIABLE}.`,
		);
		this.name = 'ForeignSourceError';
	}
}

function sourceRefs(items: readonly ConnectorItem[]): SourceRef[] {
	return items.filter((item) => typeof item.source_key === 'string').map((item) => ({ sourceKey: item.source_key, provider: String(item.provider) }));
}

/**
 * Throws ForeignSourceError for the first item whose source the workflow may not use. With `adopt`
 * (Check), a source nobody owns becomes the workflow's.
 */
export async function assertItemsInScope(store: ConnectorStore, scope: StateScope, items: readonly ConnectorItem[], options: { adopt: boolean }): Promise<void> {
	if (scope.admin) return;
	const refused = await store.owners.refused(scope.owner, sourceRefs(items), options);
	if (refused.size === 0) return;
	const index = items.findIndex((item) => refused.has(item.source_key));
	throw new ForeignSourceError(items[index].source_key, scope, index);
}

/** Throws ForeignSourceError unless the workflow may use the source (Status and Forget of one source). */
export async function assertSourceInScope(store: ConnectorStore, scope: StateScope, sourceKey: string): Promise<void> {
	if (scope.admin) return;
	const refused = await store.owners.refused(scope.owner, [{ sourceKey, provider: '' }], { adopt: false });
	if (refused.size > 0) throw new ForeignSourceError(sourceKey, scope);
}

/** The sources the workflow may use; undefined for an admin workflow (every source). */
export async function sourcesInScope(store: ConnectorStore, scope: StateScope): Promise<string[] | undefined> {
	return scope.admin ? undefined : await store.owners.sourcesOf(scope.owner);
}

/** Of the given source keys, those the workflow may use (Export: what it listed). */
export async function usableSources(store: ConnectorStore, scope: StateScope, sourceKeys: readonly string[]): Promise<Set<string>> {
	if (scope.admin) return new Set(sourceKeys);
	const refused = await store.owners.refused(scope.owner, sourceKeys.map((sourceKey) => ({ sourceKey, provider: '' })), { adopt: false });
	return new Set(sourceKeys.filter((key) => !refused.has(key)));
}
