import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { parseDropboxFolder, type DropboxSource } from '../../../lib/providers/dropbox';
import { listChangesOperation } from '../../shared/connectorOperations';
import { fileListingOptions, fileListingOptionsOf } from '../../shared/listingOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { dropboxNode } from '../transport';
import { folderLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{ ...folderLocator, name: 'sourceFolder', description: 'The folder to import; pick "/" for the whole Dropbox' },
	{
		displayName: 'Recursive',
		name: 'recursive',
		type: 'boolean',
		default: true,
		description: 'Whether files in subfolders belong to the source',
	},
	fileListingOptions('pdf, md, text/*, application/vnd.dropbox.paper'),
	policyNarrowingProperty,
];

/** Include types, exclude globs and the node's cap on items per run. */
export const listingOptionsOf = fileListingOptionsOf;

export const description = updateDisplayOptions({ show: { operation: ['listChanges'] } }, properties);

/** The folder the parameters name (a path, id, team-space path or shared link), recursive or not. */
export function sourceOf(ctx: IExecuteFunctions, itemIndex: number): DropboxSource {
	const value = ctx.getNodeParameter('sourceFolder', itemIndex, '', { extractValue: true }) as string;
	return { ...parseDropboxFolder(value), recursive: ctx.getNodeParameter('recursive', itemIndex) as boolean };
}


/**
 * One item per file new or changed since the source's committed cursor, and one per deletion.
 * The cursor moves only once Connector Dedup has committed this run's items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listChangesOperation(this, { ...dropboxNode, sourceOf, listingOptionsOf });
}
