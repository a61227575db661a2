import type { INodeProperties } from 'n8n-workflow';

export const folderLocator: INodeProperties = {
	displayName: 'Folder',
	name: 'folderId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The folder to browse; a shared drive works too',
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
			placeholder: 'https://drive.google.com/drive/folders/1AbC…',
			extractValue: { type: 'regex', regex: 'https://drive\\.google\\.com/.*folders/([-\\w]{10,})' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https://drive\\.google\\.com/.*folders/[-\\w]{10,}.*',
						errorMessage: 'Not a Google Drive folder URL',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '1AbCdEfGhIjKlMnOp',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^(root|[-\\w]{10,})$', errorMessage: 'Not a Google Drive folder ID' },
				},
			],
		},
	],
};

export const sharedDriveLocator: INodeProperties = {
	displayName: 'Shared Drive',
	name: 'driveId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSharedDrives', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://drive.google.com/drive/folders/0AbC…',
			extractValue: { type: 'regex', regex: 'https://drive\\.google\\.com/.*folders/([-\\w]{10,})' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https://drive\\.google\\.com/.*folders/[-\\w]{10,}.*',
						errorMessage: 'Not a Google Drive shared drive URL',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '0AbCdEfGhIjKlMnOp',
			validation: [
				{ type: 'regex', properties: { regex: '^[-\\w]{10,}$', errorMessage: 'Not a shared drive ID' } },
			],
		},
	],
};
