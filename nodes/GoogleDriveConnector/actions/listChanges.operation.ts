import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ConnectorCache } from '../../../lib/cache';
import type { OrgPolicy } from '../../../lib/policy';
import { googleDriveProvider, parseDriveId, type DriveConnection, type DriveSource } from '../../../lib/providers/googleDrive';
import { storeOver } from '../../../lib/store';
import { listSource } from '../../../lib/sync/listing';
import { connectorCache } from '../../shared/cache';
import { listingRun } from '../../shared/listingRun';
import { toNodeError } from '../../shared/nodeErrors';
import { commaList } from '../../shared/parameters';
import {
	acquireRunSlot,
	checkAccount,
	policyNarrowingProperty,
	runPolicy,
	type RunPolicy,
} from '../../shared/policy';
import { driveConnection } from '../transport';
import { folderLocator, sharedDriveLocator } from './common.descriptions';

const showFor = (extra: IDataObject = {}) => ({ show: { operation: ['listChanges'], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'folder',
		displayOptions: showFor(),
		options: [
			{ name: 'Folder', value: 'folder', description: "A folder's files (and its subfolders' with Recursive)" },
			{ name: 'Shared Drive', value: 'sharedDrive', description: 'Every file of a shared drive' },
			{ name: 'My Drive', value: 'myDrive', description: "Every file of the account's My Drive" },
		],
	},
	{ ...folderLocator, name: 'sourceFolderId', description: 'The folder to import', displayOptions: showFor({ source: ['folder'] }) },
	{ ...sharedDriveLocator, name: 'sourceDriveId', displayOptions: showFor({ source: ['sharedDrive'] }) },
	{
		displayName: 'Recursive',
		name: 'recursive',
		type: 'boolean',
		default: true,
		description: 'Whether files in subfolders belong to the source',
		displayOptions: showFor({ source: ['folder'] }),
	},
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(),
		options: [
			{
				displayName: 'Include Types',
				name: 'includeTypes',
				type: 'string',
				default: '',
				placeholder: 'pdf, text/*, application/vnd.google-apps.document',
				description: 'Comma-separated extensions or MIME types (wildcards allowed); empty for all',
			},
			{
				displayName: 'Exclude Paths',
				name: 'excludeGlobs',
				type: 'string',
				default: '',
				placeholder: '/Archive/**, **/*.tmp',
				description: 'Comma-separated glob patterns on paths from the source root; matching files are left out',
			},
			{
				displayName: 'Max Items per Run',
				name: 'maxItems',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description:
					'Stop after this many items; the rest comes on the next run, nothing is dropped. 0 for no limit (ORG_CONNECTORS_MAX_FILES_PER_RUN still applies).',
			},
		],
	},
	policyNarrowingProperty(['listChanges']),
];

function sourceOf(ctx: IExecuteFunctions, itemIndex: number): DriveSource {
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
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<[INodeExecutionData[], INodeExecutionData[]]> {
	const run = runPolicy(this, itemIndex, 'google_drive');
	const cache = connectorCache();
	const releaseSlot = acquireRunSlot(cache, 'google_drive', this.getExecutionId(), run.policy);
	try {
		return await listDriveSource.call(this, itemIndex, run, cache);
	} finally {
		releaseSlot();
	}
}

/**
 * The connected account's e-mail (Drive `about`, asked once per credential and execution), checked
 * against the allowed domains: a disallowed account fails the node naming it and the domains.
 */
export async function checkDriveAccount(ctx: IExecuteFunctions, policy: OrgPolicy, connection: DriveConnection): Promise<string> {
	const { email } = await checkAccount(ctx, 'google_drive', policy, async () => {
		const { email } = await googleDriveProvider.account(connection);
		return { email };
	});
	return email ?? '';
}

async function listDriveSource(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunPolicy,
	cache: ConnectorCache,
): Promise<[INodeExecutionData[], INodeExecutionData[]]> {
	const { policy } = run;
	const source = sourceOf(this, itemIndex);
	const options = this.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	const connection = driveConnection(this);
	const accountEmail = await checkDriveAccount(this, policy, connection);
	const sourceKey = googleDriveProvider.sourceKey(accountEmail, source);
	const nodeMax = Number(options.maxItems) > 0 ? Number(options.maxItems) : Infinity;
	const maxItems = Math.min(nodeMax, policy.maxFilesPerRun ?? Infinity);
	return await listingRun(this, {
		provider: googleDriveProvider.id,
		providerName: googleDriveProvider.displayName,
		sourceKey,
		itemIndex,
		run,
		cache,
		countsListed: true,
		list: async (runId, progress) =>
			await listSource({
				store: storeOver(cache),
				provider: googleDriveProvider,
				connection,
				source,
				sourceKey,
				runId,
				onListed: (files) => progress.add('listed', files),
				options: {
					includeMimeTypes: commaList(options.includeTypes),
					excludeGlobs: commaList(options.excludeGlobs),
					maxItems: Number.isFinite(maxItems) ? maxItems : undefined,
				},
			}),
	});
}

/** Every input item's listing: listed items on the first output, items the org policy refuses on Skipped. */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = [[], []];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const [listed, skipped] = await execute.call(this, itemIndex);
			outputs[0].push(...listed);
			outputs[1].push(...skipped);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			outputs[0].push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return outputs;
}
