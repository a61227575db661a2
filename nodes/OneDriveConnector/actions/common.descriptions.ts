import type { INodeProperties } from 'n8n-workflow';

const LINK = '^https?://\\S+$';

export const driveLocator: INodeProperties = {
	displayName: 'Drive',
	name: 'driveId',
	type: 'resourceLocator',
	default: { mode: 'list', value: 'me' },
	required: true,
	description: 'My OneDrive, or a SharePoint document library',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchDrives', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents',
			validation: [{ type: 'regex', properties: { regex: LINK, errorMessage: 'Not a OneDrive or SharePoint address' } }],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3',
			validation: [{ type: 'regex', properties: { regex: '^(me|[A-Za-z0-9!_-]{4,})$', errorMessage: 'Not a drive ID (or "me" for My OneDrive)' } }],
		},
	],
};

export const folderLocator: INodeProperties = {
	displayName: 'Folder',
	name: 'folderId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A folder of the drive; a share link works too, whatever the drive',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchFolders', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://contoso.sharepoint.com/:f:/s/Marketing/EbC…',
			validation: [{ type: 'regex', properties: { regex: LINK, errorMessage: 'Not a OneDrive or SharePoint link' } }],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
			validation: [{ type: 'regex', properties: { regex: '^(root|[A-Za-z0-9!_.-]{4,})$', errorMessage: 'Not a OneDrive item ID' } }],
		},
	],
};
