import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { parseDriveId } from '../../../lib/providers/googleDrive/ids';
import type { DriveSource } from '../../../lib/providers/googleDrive';
import { listChangesOperation } from '../../shared/connectorOperations';
import { fileListingOptions, fileListingOptionsWithPermissionsOf } from '../../shared/listingOptions';
import { policyNarrowingProperty } from '../../shared/policy';
import { googleDriveNode } from '../transport';
import { folderLocator, sharedDriveLocator } from './common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'folder',
		options: [
			{ name: 'Folder', value: 'folder', description: "A folder's files (and its subfolders' with Recursive)" },
			{ name: 'Shared Drive', value: 'sharedDrive', description: 'Every file of a shared drive' },
			{ name: 'My Drive', value: 'myDrive', description: "Every file of the account's My Drive" },
		],
	},
	{ ...folderLocator, name: 'sourceFolderId', description: 'The folder to import', displayOptions: { show: { source: ['folder'] } } },
	{ ...sharedDriveLocator, name: 'sourceDriveId', displayOptions: { show: { source: ['sharedDrive'] } } },
	{
		displayName: 'Recursive',
		name: 'recursive',
		type: 'boolean',
		default: true,
		description: 'Whether files in subfolders belong to the source',
		displayOptions: { show: { source: ['folder'] } },
	},
	fileListingOptions('pdf, text/*, application/vnd.google-apps.document', { permissions: true }),
	policyNarrowingProperty,
];

/** Include types, exclude globs and the node's cap on items per run. */
export const listingOptionsOf = fileListingOptionsWithPermissionsOf;

export const description = updateDisplayOptions({ show: { operation: ['listChanges'] } }, properties);

/** The source the parameters describe: a folder (recursive or not), a shared drive, or My Drive. */
export function sourceOf(ctx: IExecuteFunctions, itemIndex: number): DriveSource {
	const kind = ctx.getNodeParameter('source', itemIndex) as string;
	if (kind === 'myDrive') return { kind: 'myDrive' };
	if (kind === 'sharedDrive') {
		const value = ctx.getNodeParameter('sourceDriveId', itemIndex, '', { extractValue: true }) as string;
		return { kind: 'sharedDrive', driveId: parseDriveId(value, 'shared drive') };
	}
	const value = ctx.getNodeParameter('sourceFolderId', itemIndex, '', { extractValue: true }) as string;
	return { kind: 'folder', folderId: parseDriveId(value), recursive: ctx.getNodeParameter('recursive', itemIndex) as boolean };
}


/**
 * One item per file new or changed since the source's committed cursor, and one per deletion.
 * The cursor moves only once Connector Dedup has committed this run's items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listChangesOperation(this, { ...googleDriveNode, sourceOf, listingOptionsOf });
}
