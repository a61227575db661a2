import type { INodeProperties } from 'n8n-workflow';

export const folderLocator: INodeProperties = {
	displayName: 'Folder',
	name: 'folder',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The folder to browse; a team folder of the team space works too',
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
			placeholder: 'https://www.dropbox.com/home/Handbook or a shared link',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https://(www\\.)?dropbox\\.com/(home|scl/fo|sh|s)(/.*)?',
						errorMessage: 'Not a Dropbox folder URL or shared link',
					},
				},
			],
		},
		{
			displayName: 'By Path or ID',
			name: 'id',
			type: 'string',
			placeholder: '/Handbook/Policies or id:a4ayc_80_OEAAAAAAAAAXw',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^(/.*|id:[-\\w]{4,}|ns:[0-9]+(/.*)?)$', errorMessage: 'Not a Dropbox path (/Folder), id (id:…) or namespace path (ns:…)' },
				},
			],
		},
	],
};
