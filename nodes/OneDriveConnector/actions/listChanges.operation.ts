import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { parseDriveId, parseFolderRef, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { listChangesOperation } from '../../shared/connectorOperations';
import { fileListingOptions, fileListingOptionsOf } from '../../shared/listingOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { oneDriveNode } from '../transport';
import { driveLocator, folderLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'folder',
		options: [
			{ name: 'Folder', value: 'folder', description: "A folder's files (and its subfolders' with Recursive)" },
			{ name: 'Drive', value: 'drive', description: 'Every file of My OneDrive or of a SharePoint document library' },
		],
	},
	{ ...driveLocator, name: 'sourceDriveId', description: 'The drive the folder is in, or the drive to import' },
	{ ...folderLocator, name: 'sourceFolderId', description: 'The folder to import', displayOptions: { show: { source: ['folder'] } } },
	{
		displayName: 'Recursive',
		name: 'recursive',
		type: 'boolean',
		default: true,
		description: 'Whether files in subfolders belong to the source',
		displayOptions: { show: { source: ['folder'] } },
	},
	fileListingOptions('pdf, docx, text/*'),
	policyNarrowingProperty,
];

/** Include types, exclude globs and the node's cap on items per run. */
export const listingOptionsOf = fileListingOptionsOf;

export const description = updateDisplayOptions({ show: { operation: ['listChanges'] } }, properties);

/** The source the parameters describe: a drive, or a folder in one (recursive or not). */
export function sourceOf(ctx: IExecuteFunctions, itemIndex: number): OneDriveSource {
	const driveId = parseDriveId(ctx.getNodeParameter('sourceDriveId', itemIndex, '', { extractValue: true }) as string);
	if ((ctx.getNodeParameter('source', itemIndex) as string) === 'drive') return { kind: 'drive', driveId };
	const folderId = parseFolderRef(ctx.getNodeParameter('sourceFolderId', itemIndex, '', { extractValue: true }) as string);
	return { kind: 'folder', driveId, folderId, recursive: ctx.getNodeParameter('recursive', itemIndex) as boolean };
}


/**
 * One item per file new or changed since the source's committed cursor, and one per deletion.
 * The cursor moves only once Connector Dedup has committed this run's items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listChangesOperation(this, { ...oneDriveNode, sourceOf, listingOptionsOf });
}
