/** Dropbox's file and folder metadata as list_folder, get_metadata and the content routes return it. */
import { extensionOf } from '../../files/fileName';

export interface FileMetadata {
	'.tag': 'file';
	id: string;
	name: string;
	path_lower?: string;
	path_display?: string;
	client_modified: string;
	server_modified: string;
	rev: string;
	size: number;
	content_hash?: string;
	/** False for Paper docs and other files Dropbox only exports (`export_info`). */
	is_downloadable?: boolean;
	export_info?: { export_as?: string; export_options?: string[] };
}

export interface FolderMetadata {
	'.tag': 'folder';
	id: string;
	name: string;
	path_lower?: string;
	path_display?: string;
	/** Set on team folders and shared folders: the namespace the folder is the root of. */
	sharing_info?: { read_only: boolean; shared_folder_id?: string; parent_shared_folder_id?: string };
}

export interface DeletedMetadata {
	'.tag': 'deleted';
	name: string;
	path_lower?: string;
	path_display?: string;
}

export type Metadata = FileMetadata | FolderMetadata | DeletedMetadata;

export interface ListFolderResult {
	entries: Metadata[];
	cursor: string;
	has_more: boolean;
}

/** What Paper docs carry: no bytes of their own, exported by files/export. */
export const DROPBOX_PAPER_MIME = 'application/vnd.dropbox.paper';

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
	pdf: 'application/pdf',
	txt: 'text/plain',
	md: 'text/markdown',
	csv: 'text/csv',
	tsv: 'text/tab-separated-values',
	html: 'text/html',
	htm: 'text/html',
	json: 'application/json',
	xml: 'application/xml',
	rtf: 'application/rtf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	odt: 'application/vnd.oasis.opendocument.text',
	epub: 'application/epub+zip',
	zip: 'application/zip',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	svg: 'image/svg+xml',
	mp3: 'audio/mpeg',
	mp4: 'video/mp4',
	paper: DROPBOX_PAPER_MIME,
};

/** Dropbox reports no MIME type: it follows from the extension, as Dropbox's own previews do. */
export function mimeOf(file: Pick<FileMetadata, 'name' | 'export_info'>): string {
	const extension = extensionOf(file.name);
	if (extension === 'paper') return DROPBOX_PAPER_MIME;
	return (extension !== undefined ? MIME_BY_EXTENSION[extension] : undefined) ?? 'application/octet-stream';
}

/** Whether Dropbox exports the file (Paper docs) instead of handing out its bytes. */
export function isExportOnly(file: Pick<FileMetadata, 'is_downloadable' | 'export_info'>): boolean {
	return file.is_downloadable === false && file.export_info !== undefined;
}

/** A link a person can open: the file's preview in its folder on dropbox.com. */
export function webUrlOf(pathDisplay: string | undefined): string | null {
	if (pathDisplay === undefined) return null;
	const slash = pathDisplay.lastIndexOf('/');
	const folder = pathDisplay.slice(0, slash);
	const name = pathDisplay.slice(slash + 1);
	return `https://www.dropbox.com/home${folder.split('/').map(encodeURIComponent).join('/')}?preview=${encodeURIComponent(name)}`;
}
