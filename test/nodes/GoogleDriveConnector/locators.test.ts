import type { INodePropertyMode } from 'n8n-workflow';

import { parseDriveId } from '../../../lib/providers/googleDrive';
import { folderLocator, sharedDriveLocator } from '../../../nodes/GoogleDriveConnector/actions/common.descriptions';

const FOLDER_ID = '1AbCdEfGhIjKlMnOpQrStUv';
const DRIVE_ID = '0AbCdEfGhIjKlUk9PVA';

const mode = (locator: typeof folderLocator, name: string) => locator.modes?.find((m) => m.name === name) as INodePropertyMode;

/** What the editor does with a mode's validation regex before the node ever runs. */
function accepts(locatorMode: INodePropertyMode, value: string): boolean {
	const rule = locatorMode.validation?.[0] as { properties: { regex: string } } | undefined;
	return new RegExp(rule?.properties.regex ?? '').test(value);
}

/** What n8n hands the node for a URL with `extractValue`: the regex's first group. */
function extracted(locatorMode: INodePropertyMode, value: string): string | undefined {
	const extract = locatorMode.extractValue as { regex: string } | undefined;
	return new RegExp(extract?.regex ?? '').exec(value)?.[1];
}

describe('Google Drive resource locators', () => {
	const folderUrls = [
		`https://drive.google.com/drive/folders/${FOLDER_ID}`,
		`https://drive.google.com/drive/u/0/folders/${FOLDER_ID}?usp=sharing`,
		`https://drive.google.com/drive/folders/${FOLDER_ID}?resourcekey=0-abc`,
	];

	it.each(folderUrls)('accepts the folder URL %s, and the node gets the same id either way', (url) => {
		const byUrl = mode(folderLocator, 'url');
		expect(accepts(byUrl, url)).toBe(true);
		expect(extracted(byUrl, url)).toBe(FOLDER_ID);
		expect(parseDriveId(url)).toBe(FOLDER_ID);
	});

	it.each([
		['another site', `https://example.com/drive/folders/${FOLDER_ID}`],
		['a file link', `https://drive.google.com/file/d/${FOLDER_ID}/view`],
		['a bare id', FOLDER_ID],
		['a truncated id', 'https://drive.google.com/drive/folders/1AbC'],
	])('refuses %s in URL mode', (_what, value) => {
		expect(accepts(mode(folderLocator, 'url'), value)).toBe(false);
	});

	it.each([FOLDER_ID, 'root', 'a_b-c_d-e_f'])('accepts the folder id %s in ID mode', (id) => {
		expect(accepts(mode(folderLocator, 'id'), id)).toBe(true);
		expect(parseDriveId(id)).toBe(id);
	});

	it.each([
		['too short', '1AbC'],
		['a URL', `https://drive.google.com/drive/folders/${FOLDER_ID}`],
		['spaces inside', '1AbC dEfGh IjK'],
	])('refuses a folder id that is %s in ID mode', (_what, value) => {
		expect(accepts(mode(folderLocator, 'id'), value)).toBe(false);
	});

	it("does not take My Drive's alias for a shared drive", () => {
		expect(accepts(mode(sharedDriveLocator, 'id'), 'root')).toBe(false);
		expect(accepts(mode(sharedDriveLocator, 'id'), DRIVE_ID)).toBe(true);
		expect(extracted(mode(sharedDriveLocator, 'url'), `https://drive.google.com/drive/folders/${DRIVE_ID}`)).toBe(DRIVE_ID);
	});

	it('searches folders for a folder and shared drives for a shared drive in list mode', () => {
		expect(mode(folderLocator, 'list').typeOptions).toEqual({ searchListMethod: 'searchFolders', searchable: true });
		expect(mode(sharedDriveLocator, 'list').typeOptions).toEqual({ searchListMethod: 'searchSharedDrives', searchable: true });
		expect(folderLocator.modes?.map((m) => m.name)).toEqual(['list', 'url', 'id']);
	});
});
