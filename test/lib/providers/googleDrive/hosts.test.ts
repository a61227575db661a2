import { driveCredentialOrigins, isDriveExportLink } from '../../../../lib/providers/googleDrive';
import { googleSheetsApiUrl } from '../../../../lib/settings';

describe('Drive credential hosts', () => {
	it("sends the credential to the configured API and Google's export-link hosts only", () => {
		expect(driveCredentialOrigins('http://127.0.0.1:4100/', 'http://127.0.0.1:4100')).toEqual([
			'http://127.0.0.1:4100',
			'https://docs.google.com',
			'https://drive.google.com',
			'https://www.googleapis.com',
		]);
	});

	it("adds Google's Sheets API host, which reads a workbook's tabs, beside Google's own Drive API", () => {
		expect(driveCredentialOrigins('https://www.googleapis.com', 'https://sheets.googleapis.com')).toEqual([
			'https://www.googleapis.com',
			'https://sheets.googleapis.com',
			'https://docs.google.com',
			'https://drive.google.com',
		]);
	});

	it('sends Sheets requests to a proxy or test server set in CONNECTORS_GOOGLE_API_URL, else to Google', () => {
		expect(googleSheetsApiUrl({ CONNECTORS_GOOGLE_API_URL: 'http://127.0.0.1:4100/' })).toBe('http://127.0.0.1:4100');
		expect(googleSheetsApiUrl({})).toBe('https://sheets.googleapis.com');
	});

	it.each([
		['https://docs.google.com/feeds/download/documents/export/Export?id=1&exportFormat=docx', true],
		['http://127.0.0.1:4100/feeds/download/export?id=1', true],
		['http://docs.google.com/feeds/download/documents/export/Export?id=1', false],
		['https://docs.google.com.attacker.test/export', false],
		['https://attacker.test/export', false],
		['javascript:alert(1)', false],
	])('treats %s as an export link to follow: %s', (link, expected) => {
		expect(isDriveExportLink(link, 'http://127.0.0.1:4100')).toBe(expected);
	});
});
