/** Drive v3 resource shapes the fake knows: field names for `fields` validation, default field sets, export formats. */
import type { FieldSchema } from './driveFields';

const leaves = (...names: string[]): Record<string, 'leaf'> =>
	Object.fromEntries(names.map((name) => [name, 'leaf' as const]));

export const USER_SCHEMA: FieldSchema = leaves('kind', 'displayName', 'emailAddress', 'me', 'permissionId', 'photoLink');

export const FILE_SCHEMA: FieldSchema = {
	...leaves(
		'appProperties',
		'copyRequiresWriterPermission',
		'createdTime',
		'description',
		'driveId',
		'explicitlyTrashed',
		'exportLinks',
		'fileExtension',
		'folderColorRgb',
		'fullFileExtension',
		'hasAugmentedPermissions',
		'hasThumbnail',
		'headRevisionId',
		'iconLink',
		'id',
		'inheritedPermissionsDisabled',
		'isAppAuthorized',
		'kind',
		'md5Checksum',
		'mimeType',
		'modifiedByMe',
		'modifiedByMeTime',
		'modifiedTime',
		'name',
		'originalFilename',
		'ownedByMe',
		'parents',
		'permissionIds',
		'properties',
		'quotaBytesUsed',
		'resourceKey',
		'sha1Checksum',
		'sha256Checksum',
		'shared',
		'sharedWithMeTime',
		'size',
		'spaces',
		'starred',
		'teamDriveId',
		'thumbnailLink',
		'thumbnailVersion',
		'trashed',
		'trashedTime',
		'version',
		'viewedByMe',
		'viewedByMeTime',
		'viewersCanCopyContent',
		'webContentLink',
		'webViewLink',
		'writersCanShare',
	),
	capabilities: 'open',
	clientEncryptionDetails: 'open',
	contentHints: 'open',
	contentRestrictions: 'open',
	downloadRestrictions: 'open',
	imageMediaMetadata: 'open',
	labelInfo: 'open',
	linkShareMetadata: 'open',
	permissions: 'open',
	videoMediaMetadata: 'open',
	lastModifyingUser: USER_SCHEMA,
	owners: USER_SCHEMA,
	sharingUser: USER_SCHEMA,
	trashingUser: USER_SCHEMA,
	shortcutDetails: leaves('targetId', 'targetMimeType', 'targetResourceKey'),
};

export const FILE_LIST_SCHEMA: FieldSchema = { ...leaves('kind', 'nextPageToken', 'incompleteSearch'), files: FILE_SCHEMA };

export const DRIVE_SCHEMA: FieldSchema = {
	...leaves('backgroundImageLink', 'colorRgb', 'createdTime', 'hidden', 'id', 'kind', 'name', 'orgUnitId', 'themeId'),
	backgroundImageFile: 'open',
	capabilities: 'open',
	restrictions: 'open',
};

export const DRIVE_LIST_SCHEMA: FieldSchema = { ...leaves('kind', 'nextPageToken'), drives: DRIVE_SCHEMA };

export const CHANGE_SCHEMA: FieldSchema = {
	...leaves('changeType', 'driveId', 'fileId', 'kind', 'removed', 'teamDriveId', 'time', 'type'),
	file: FILE_SCHEMA,
	drive: DRIVE_SCHEMA,
	teamDrive: 'open',
};

export const CHANGE_LIST_SCHEMA: FieldSchema = {
	...leaves('kind', 'newStartPageToken', 'nextPageToken'),
	changes: CHANGE_SCHEMA,
};

export const START_PAGE_TOKEN_SCHEMA: FieldSchema = leaves('kind', 'startPageToken');

export const ABOUT_SCHEMA: FieldSchema = {
	...leaves(
		'appInstalled',
		'canCreateDrives',
		'canCreateTeamDrives',
		'exportFormats',
		'folderColorPalette',
		'importFormats',
		'kind',
		'maxImportSizes',
		'maxUploadSize',
	),
	driveThemes: 'open',
	teamDriveThemes: 'open',
	storageQuota: leaves('limit', 'usage', 'usageInDrive', 'usageInDriveTrash'),
	user: USER_SCHEMA,
};

/** What Drive v3 returns when a request has no `fields` parameter. */
export const DEFAULT_FIELDS = {
	file: 'kind,id,name,mimeType',
	fileList: 'kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)',
	drive: 'kind,id,name',
	driveList: 'kind,nextPageToken,drives(kind,id,name)',
	changeList:
		'kind,nextPageToken,newStartPageToken,changes(kind,type,changeType,time,removed,fileId,file(kind,id,name,mimeType),driveId,drive(kind,id,name))',
	startPageToken: 'kind,startPageToken',
} as const;

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';
export const GOOGLE_APPS_PREFIX = 'application/vnd.google-apps.';

/** Export formats Drive offers per Google-native type (about.exportFormats), with exportLinks' `exportFormat`. */
export const EXPORT_FORMATS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
	'application/vnd.google-apps.document': {
		'application/rtf': 'rtf',
		'application/vnd.oasis.opendocument.text': 'odt',
		'text/html': 'html',
		'application/pdf': 'pdf',
		'application/epub+zip': 'epub',
		'application/zip': 'zip',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
		'text/plain': 'txt',
		'text/markdown': 'md',
	},
	'application/vnd.google-apps.spreadsheet': {
		'application/x-vnd.oasis.opendocument.spreadsheet': 'ods',
		'text/tab-separated-values': 'tsv',
		'application/pdf': 'pdf',
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
		'text/csv': 'csv',
		'application/zip': 'zip',
		'application/vnd.oasis.opendocument.spreadsheet': 'ods',
	},
	'application/vnd.google-apps.presentation': {
		'application/vnd.oasis.opendocument.presentation': 'odp',
		'application/pdf': 'pdf',
		'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
		'text/plain': 'txt',
		'image/jpeg': 'jpg',
		'image/png': 'png',
		'image/svg+xml': 'svg',
	},
	'application/vnd.google-apps.drawing': {
		'application/pdf': 'pdf',
		'image/jpeg': 'jpg',
		'image/png': 'png',
		'image/svg+xml': 'svg',
	},
	'application/vnd.google-apps.script': { 'application/vnd.google-apps.script+json': 'json' },
};

/** Drive refuses `files.export` when the result would exceed this. */
export const EXPORT_SIZE_LIMIT = 10 * 1024 * 1024;

/** Query parameters every Google API method accepts. */
export const STANDARD_PARAMS = [
	'$.xgafv',
	'access_token',
	'alt',
	'callback',
	'fields',
	'key',
	'oauth_token',
	'prettyPrint',
	'quotaUser',
	'uploadType',
	'upload_protocol',
	'userIp',
];

/** Method parameters, from the Drive v3 discovery document (via @googleapis/drive's types). */
export const METHOD_PARAMS: Readonly<Record<string, readonly string[]>> = {
	'about.get': [],
	'files.list': [
		'corpora',
		'corpus',
		'driveId',
		'includeItemsFromAllDrives',
		'includeLabels',
		'includePermissionsForView',
		'includeTeamDriveItems',
		'orderBy',
		'pageSize',
		'pageToken',
		'q',
		'spaces',
		'supportsAllDrives',
		'supportsTeamDrives',
		'teamDriveId',
	],
	'files.get': ['acknowledgeAbuse', 'includeLabels', 'includePermissionsForView', 'supportsAllDrives', 'supportsTeamDrives'],
	'files.export': ['mimeType'],
	'drives.list': ['pageSize', 'pageToken', 'q', 'useDomainAdminAccess'],
	'drives.get': ['useDomainAdminAccess'],
	'changes.getStartPageToken': ['driveId', 'supportsAllDrives', 'supportsTeamDrives', 'teamDriveId'],
	'changes.list': [
		'driveId',
		'includeCorpusRemovals',
		'includeItemsFromAllDrives',
		'includeLabels',
		'includePermissionsForView',
		'includeRemoved',
		'includeTeamDriveItems',
		'pageSize',
		'pageToken',
		'restrictToMyDrive',
		'spaces',
		'supportsAllDrives',
		'supportsTeamDrives',
		'teamDriveId',
	],
};
