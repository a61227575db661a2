import type { OperationHandler } from '../../shared/router';
import { perItem } from '../../shared/router';
import * as browse from './browse.operation';
import * as exportOperation from './export.operation';
import * as listChanges from './listChanges.operation';

export const operations: Readonly<Record<string, OperationHandler>> = {
	browse: perItem(browse.execute),
	listChanges: listChanges.execute,
	export: exportOperation.execute,
};
